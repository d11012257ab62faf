package dev.arbor.eval;

/**
 * One point of a {@link Curve}.
 *
 * @param seq position along the curve, from 0
 * @param x ROC: false-positive rate; PR: recall; calibration: mean predicted probability of the bin
 * @param y ROC: true-positive rate; PR: precision; calibration: observed positive rate of the bin
 * @param threshold ROC and PR: the score threshold of the point (rows with {@code score >=
 *     threshold} are predicted positive; {@code +Infinity} for the point where none is);
 *     calibration: the bin's upper edge
 * @param count ROC and PR: number of rows predicted positive at the threshold; calibration: rows in
 *     the bin
 */
public record CurvePoint(int seq, double x, double y, double threshold, long count) {}

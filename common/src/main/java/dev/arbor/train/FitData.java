package dev.arbor.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The data one fit reads: the rows it fits on and the rows it is evaluated on (early stopping and
 * the candidate's selection score).
 *
 * @param key names the data set for caches shared by the candidates ({@code train}, {@code
 *     fold-<f>}); a fitter may keep per-key caches until {@link CandidateFitter#release}
 * @param fold the cross-validation fold, or -1 for the whole train split
 * @param train the rows to fit on (cached by the caller)
 * @param eval the held-out rows: the validation split, or the fold's rows (cached by the caller;
 *     may be empty)
 */
public record FitData(String key, int fold, Dataset<Row> train, Dataset<Row> eval) {}

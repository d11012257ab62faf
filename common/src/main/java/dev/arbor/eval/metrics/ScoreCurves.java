package dev.arbor.eval.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.arbor.eval.Curve;
import dev.arbor.eval.CurvePoint;
import dev.arbor.eval.PredictionColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The ranking metrics of a binary classifier, from the cumulative true/false-positive weights over
 * the distinct scores in descending order (scikit-learn's {@code _binary_clf_curve}): exact AUC-ROC
 * (trapezoids), average precision (steps, no interpolation), the F1-optimal threshold and the
 * thinned ROC and PR curves.
 *
 * <p>Rows with weight 0 are left out, as scikit-learn does: they would add points without moving.
 *
 * <p>Curve thinning, when a curve has more than {@code maxPoints} points (the distinct scores plus
 * the origin): first the points inside straight segments are dropped, which changes nothing in the
 * curve (scikit-learn's {@code drop_intermediate} rule: second differences of both cumulative
 * weights are zero); if still too many, the ROC path is cut into {@code maxPoints - 2} equal steps
 * of {@code (fpr + tpr) / 2}, a monotone measure of the distance travelled along the curve, and the
 * first point of each step is kept, plus the last point and the origin. Points are thereby spread
 * evenly along the curve, not along the scores, so steep and flat stretches keep their shape; the
 * PR curve keeps the same thresholds as the ROC curve.
 */
final class ScoreCurves {
  private static final String S = PredictionColumns.SCORE;

  /** Totals over the distinct-score frame: for AUC, AP and thinning. */
  record Summary(
      long distinctScores, double positives, double negatives, double aucRoc, double avgPrecision) {
    boolean bothClasses() {
      return positives > 0 && negatives > 0;
    }
  }

  private final Consumer<Dataset<Row>> observer;

  ScoreCurves(Consumer<Dataset<Row>> observer) {
    this.observer = observer;
  }

  private static WindowSpec byScoreDesc() {
    return Window.orderBy(col(S).desc());
  }

  /**
   * One row per distinct score (descending), with the weights of the positives ({@code tpw}) and
   * negatives ({@code fpw}) at that score, their running sums ({@code ctp}, {@code cfp}), the
   * running row count ({@code cn}) and the 1-based position {@code idx}.
   *
   * @param in columns {@code label}, {@code weight}, {@code score} (validated)
   */
  static Dataset<Row> cumulative(Dataset<Row> in) {
    Column w = col(PredictionColumns.WEIGHT);
    Column l = col(PredictionColumns.LABEL);
    WindowSpec running =
        byScoreDesc().rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    return in.filter(w.gt(0.0))
        .groupBy(col(S))
        .agg(
            sum(w.multiply(l)).as("tpw"),
            sum(w.multiply(lit(1.0).minus(l))).as("fpw"),
            count(lit(1)).as("n"))
        .withColumn("ctp", sum(col("tpw")).over(running))
        .withColumn("cfp", sum(col("fpw")).over(running))
        .withColumn("cn", sum(col("n")).over(running))
        .withColumn("idx", row_number().over(byScoreDesc()));
  }

  /** Exact AUC-ROC and average precision, and the totals. One Spark job. */
  Summary summarize(Dataset<Row> in) {
    Dataset<Row> c = cumulative(in);
    Column prevTp = lag(col("ctp"), 1, 0.0).over(byScoreDesc());
    Column prevFp = lag(col("cfp"), 1, 0.0).over(byScoreDesc());
    Column predicted = col("ctp").plus(col("cfp"));
    Dataset<Row> terms =
        c.withColumn("ptp", prevTp)
            .withColumn("pfp", prevFp)
            // Twice the trapezoid under the ROC step, in unnormalized (weight) units.
            .withColumn("roc2", col("cfp").minus(col("pfp")).multiply(col("ctp").plus(col("ptp"))))
            // Recall step (unnormalized) times the precision at this threshold.
            .withColumn(
                "ap",
                when(
                        predicted.gt(0.0),
                        col("ctp").minus(col("ptp")).multiply(col("ctp")).divide(predicted))
                    .otherwise(lit(0.0)));
    Row r =
        Frames.collectOne(
            terms.agg(
                count(lit(1)).as("distinct"),
                max(col("ctp")).as("pos"),
                max(col("cfp")).as("neg"),
                sum(col("roc2")).as("roc2"),
                sum(col("ap")).as("ap")),
            observer);
    long distinct = r.getLong(0);
    double pos = Frames.doubleOrZero(r, "pos");
    double neg = Frames.doubleOrZero(r, "neg");
    double roc2 = Frames.doubleOrZero(r, "roc2");
    double ap = Frames.doubleOrZero(r, "ap");
    boolean both = pos > 0 && neg > 0;
    return new Summary(
        distinct,
        pos,
        neg,
        both ? roc2 / 2.0 / (pos * neg) : Double.NaN,
        pos > 0 ? ap / pos : Double.NaN);
  }

  /**
   * The distinct score maximizing F1 when rows with {@code score >= threshold} are predicted
   * positive; among equal F1 values the highest score. {@code NaN} when there is no positive.
   */
  double bestF1Threshold(Dataset<Row> in, double positives) {
    if (!(positives > 0)) {
      return Double.NaN;
    }
    Column predicted = col("ctp").plus(col("cfp"));
    Column precision = when(predicted.gt(0.0), col("ctp").divide(predicted)).otherwise(lit(0.0));
    Column recall = col("ctp").divide(lit(positives));
    Column sumPr = col("p").plus(col("r"));
    Dataset<Row> best =
        cumulative(in)
            .withColumn("p", precision)
            .withColumn("r", recall)
            .withColumn(
                "f1",
                when(sumPr.gt(0.0), lit(2.0).multiply(col("p")).multiply(col("r")).divide(sumPr))
                    .otherwise(lit(0.0)))
            .orderBy(col("f1").desc(), col(S).desc())
            .select(col(S))
            .limit(1);
    List<Row> rows = Frames.collect(best, observer);
    return rows.isEmpty() ? Double.NaN : rows.get(0).getDouble(0);
  }

  /** The ROC and PR curves, at most {@code maxPoints} points each. One Spark job. */
  List<Curve> curves(Dataset<Row> in, Summary summary, int maxPoints) {
    double pos = summary.positives();
    double neg = summary.negatives();
    Dataset<Row> c =
        cumulative(in)
            .withColumn("fpr", col("cfp").divide(lit(neg)))
            .withColumn("tpr", col("ctp").divide(lit(pos)));
    if (summary.distinctScores() + 1 > maxPoints) {
      c = thin(c, summary.distinctScores(), maxPoints);
    }
    Column predicted = col("ctp").plus(col("cfp"));
    Dataset<Row> points =
        c.withColumn(
                "precision",
                when(predicted.gt(0.0), col("ctp").divide(predicted)).otherwise(lit(0.0)))
            .orderBy(col(S).desc())
            .select(col(S), col("fpr"), col("tpr"), col("precision"), col("cn"));
    List<Row> rows = Frames.collect(points, observer);
    List<CurvePoint> roc = new ArrayList<>(rows.size() + 1);
    List<CurvePoint> pr = new ArrayList<>(rows.size() + 1);
    roc.add(new CurvePoint(0, 0.0, 0.0, Double.POSITIVE_INFINITY, 0L));
    pr.add(new CurvePoint(0, 0.0, 1.0, Double.POSITIVE_INFINITY, 0L));
    int seq = 1;
    for (Row r : rows) {
      double threshold = r.getDouble(0);
      long n = r.getLong(4);
      roc.add(new CurvePoint(seq, r.getDouble(1), r.getDouble(2), threshold, n));
      pr.add(new CurvePoint(seq, r.getDouble(2), r.getDouble(3), threshold, n));
      seq++;
    }
    return List.of(new Curve(Curve.Kind.ROC, roc), new Curve(Curve.Kind.PR, pr));
  }

  /** Drops collinear points, then keeps the first point of each equal step along the path. */
  private static Dataset<Row> thin(Dataset<Row> c, long distinct, int maxPoints) {
    WindowSpec order = byScoreDesc();
    Column d2tp =
        lead(col("ctp"), 1)
            .over(order)
            .minus(col("ctp").multiply(2.0))
            .plus(lag(col("ctp"), 1).over(order));
    Column d2fp =
        lead(col("cfp"), 1)
            .over(order)
            .minus(col("cfp").multiply(2.0))
            .plus(lag(col("cfp"), 1).over(order));
    Column isEnd = col("idx").equalTo(lit(1L)).or(col("idx").equalTo(lit(distinct)));
    Dataset<Row> bent =
        c.withColumn("d2tp", d2tp)
            .withColumn("d2fp", d2fp)
            .filter(isEnd.or(col("d2tp").notEqual(lit(0.0))).or(col("d2fp").notEqual(lit(0.0))));
    int steps = maxPoints - 2;
    // (fpr + tpr) / 2 runs from 0 to 1; step indices 0 .. steps - 1 (1.0 falls into the last).
    Column step =
        least(floor(col("fpr").plus(col("tpr")).divide(2.0).multiply(steps)), lit(steps - 1L));
    Column prevStep = lag(col("step"), 1).over(order);
    return bent.withColumn("step", step)
        .withColumn("prev_step", prevStep)
        .filter(
            col("prev_step")
                .isNull()
                .or(col("step").notEqual(col("prev_step")))
                .or(col("idx").equalTo(lit(distinct))));
  }
}

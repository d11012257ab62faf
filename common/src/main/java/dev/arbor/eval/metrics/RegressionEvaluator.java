package dev.arbor.eval.metrics;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.arbor.DataValidationException;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.Evaluator;
import dev.arbor.eval.Metric;
import dev.arbor.eval.PredictionColumns;
import dev.arbor.ingest.Task;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Metrics of a regression from columns {@code label}, {@code prediction} and {@code weight}. Two
 * Spark jobs: weighted means first, then centred sums of squares (two passes, for accuracy when the
 * mean is large against the spread).
 *
 * <p>Metrics (weighted): {@code mse}, {@code rmse}, {@code mae}, {@code r2}, {@code
 * explained_variance}, plus {@code rows} and {@code weight_sum}. With a constant label, R² and
 * explained variance are 1 for perfect predictions and 0 otherwise (scikit-learn's {@code
 * force_finite=True}).
 */
public final class RegressionEvaluator implements Evaluator {
  private static final String L = PredictionColumns.LABEL;
  private static final String W = PredictionColumns.WEIGHT;
  private static final String P = PredictionColumns.PREDICTION;

  private final Consumer<Dataset<Row>> observer;

  RegressionEvaluator(Consumer<Dataset<Row>> observer) {
    this.observer = observer;
  }

  @Override
  public Evaluation evaluate(Dataset<Row> predictions) {
    Dataset<Row> in = Frames.selectDoubles(predictions, L, W, P);
    Column w = col(W);
    Column residual = col(L).minus(col(P));
    Row first =
        Frames.collectOne(
            in.agg(
                count(lit(1)).as("n"),
                Frames.countIf(Frames.notFinite(col(L))).as("bad_label"),
                Frames.countIf(Frames.notFinite(col(P))).as("bad_prediction"),
                Frames.countIf(Frames.badWeight(w)).as("bad_weight"),
                sum(w).as("w_sum"),
                sum(w.multiply(col(L))).as("wy"),
                sum(w.multiply(residual)).as("wr"),
                sum(w.multiply(residual).multiply(residual)).as("wrr"),
                sum(w.multiply(abs(residual))).as("wabs")),
            observer);
    Frames.checkNone(
        Frames.longOrZero(first, "bad_label"), L, "a label that is not a finite number");
    Frames.checkNone(
        Frames.longOrZero(first, "bad_prediction"), P, "a prediction that is not a finite number");
    Frames.checkNone(
        Frames.longOrZero(first, "bad_weight"), W, "a weight that is not a finite number >= 0");
    long rows = first.getLong(first.fieldIndex("n"));
    DataValidationException.check(rows > 0, "Invalid predictions: no rows to evaluate");
    double wSum = Frames.doubleOrZero(first, "w_sum");
    DataValidationException.check(
        wSum > 0, "Invalid predictions: the weights in column '%s' sum to 0", W);
    double yMean = Frames.doubleOrZero(first, "wy") / wSum;
    double rMean = Frames.doubleOrZero(first, "wr") / wSum;
    double sse = Frames.doubleOrZero(first, "wrr");

    Column dy = col(L).minus(lit(yMean));
    Column dr = residual.minus(lit(rMean));
    Row second =
        Frames.collectOne(
            in.agg(
                sum(w.multiply(dy).multiply(dy)).as("syy"),
                sum(w.multiply(dr).multiply(dr)).as("srr")),
            observer);
    double syy = Frames.doubleOrZero(second, "syy");
    double srr = Frames.doubleOrZero(second, "srr");
    double mse = sse / wSum;
    return new Evaluation(
        Task.REGRESSION,
        List.of(
            Metric.of("rows", rows),
            Metric.of("weight_sum", wSum),
            Metric.of("mse", mse),
            Metric.of("rmse", Math.sqrt(mse)),
            Metric.of("mae", Frames.doubleOrZero(first, "wabs") / wSum),
            Metric.of("r2", finiteScore(sse, syy)),
            Metric.of("explained_variance", finiteScore(srr / wSum, syy / wSum))),
        List.of(),
        List.of());
  }

  /** {@code 1 - num / den}, as scikit-learn with {@code force_finite=True}. */
  private static double finiteScore(double numerator, double denominator) {
    if (numerator == 0.0) {
      return 1.0;
    }
    return denominator == 0.0 ? 0.0 : 1.0 - numerator / denominator;
  }
}

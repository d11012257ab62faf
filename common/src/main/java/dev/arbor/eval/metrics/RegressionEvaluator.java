package dev.arbor.eval.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.arbor.DataValidationException;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.Evaluator;
import dev.arbor.eval.Metric;
import dev.arbor.eval.PredictionColumns;
import dev.arbor.ingest.Task;
import java.util.ArrayList;
import java.util.Arrays;
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
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    aggs.add(Frames.countIf(Frames.notFinite(col(L))).as("bad_label"));
    aggs.add(Frames.countIf(Frames.notFinite(col(P))).as("bad_prediction"));
    aggs.add(Frames.countIf(Frames.badWeight(w)).as("bad_weight"));
    aggs.addAll(Arrays.asList(MetricKernels.regressionSums()));
    Row first = Frames.collectOne(Frames.agg(in, aggs.toArray(Column[]::new)), observer);
    Frames.checkNone(
        Frames.longOrZero(first, "bad_label"), L, "a label that is not a finite number");
    Frames.checkNone(
        Frames.longOrZero(first, "bad_prediction"), P, "a prediction that is not a finite number");
    Frames.checkNone(
        Frames.longOrZero(first, "bad_weight"), W, "a weight that is not a finite number >= 0");
    long rows = first.getLong(first.fieldIndex("n"));
    DataValidationException.check(rows > 0, "Invalid predictions: no rows to evaluate");
    MetricKernels.RegressionSums sums = MetricKernels.RegressionSums.of(first);
    double wSum = sums.wSum();
    DataValidationException.check(
        wSum > 0, "Invalid predictions: the weights in column '%s' sum to 0", W);
    double[] centred = MetricKernels.centredSums(in, sums, observer);
    double syy = centred[0];
    double srr = centred[1];
    double mse = sums.mse();
    return new Evaluation(
        Task.REGRESSION,
        List.of(
            Metric.of("rows", rows),
            Metric.of("weight_sum", wSum),
            Metric.of("mse", mse),
            Metric.of("rmse", Math.sqrt(mse)),
            Metric.of("mae", sums.mae()),
            Metric.of("r2", MetricKernels.finiteScore(sums.sse(), syy)),
            Metric.of("explained_variance", MetricKernels.finiteScore(srr / wSum, syy / wSum))),
        List.of(),
        List.of());
  }
}

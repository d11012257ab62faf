package dev.arbor.train;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.arbor.ingest.Task;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes a {@link ValidationMetric} (except {@link ValidationMetric#LOSS}, which the stage takes
 * from the training objective) from a Predictions DataFrame ({@code label}, {@code weight}, {@code
 * prediction}, {@code score} or {@code prob_k}) with one aggregation; AUC collects one row per
 * distinct score. For early stopping and model selection; the {@code evaluate} stage computes the
 * full metric set.
 */
public final class ValidationMetrics {
  private static final double CLIP = 1e-15;

  private ValidationMetrics() {}

  /**
   * The weighted metric over {@code predictions}.
   *
   * @param numClasses K for multiclass (ignored otherwise)
   * @return the value, NaN when undefined (no rows, a single class for AUC)
   */
  public static double compute(
      Dataset<Row> predictions, ValidationMetric metric, Task task, int numClasses) {
    if (!metric.appliesTo(task) || metric == ValidationMetric.LOSS) {
      throw new IllegalArgumentException(
          "Cannot compute " + metric.configName() + " here for task " + task);
    }
    Column w = col("weight");
    Column y = col("label");
    Column pred = col("prediction");
    return switch (metric) {
      case ACCURACY -> ratio(predictions, w.multiply(when(pred.equalTo(y), 1.0).otherwise(0.0)));
      case LOG_LOSS -> ratio(predictions, w.multiply(crossEntropy(task, numClasses)));
      case MSE -> ratio(predictions, w.multiply(y.minus(pred)).multiply(y.minus(pred)));
      case RMSE -> Math.sqrt(compute(predictions, ValidationMetric.MSE, task, numClasses));
      case MAE -> ratio(predictions, w.multiply(abs(y.minus(pred))));
      case R2 -> r2(predictions);
      case AUC -> auc(predictions);
      default -> throw new IllegalStateException("Unhandled metric " + metric);
    };
  }

  private static Column crossEntropy(Task task, int numClasses) {
    if (task == Task.BINARY) {
      Column p = clip(col("score"));
      return when(col("label").equalTo(1.0), log(p).unary_$minus())
          .otherwise(log(lit(1.0).minus(p)).unary_$minus());
    }
    Column p = lit(CLIP);
    for (int k = numClasses - 1; k >= 0; k--) {
      p = when(col("label").equalTo((double) k), col("prob_" + k)).otherwise(p);
    }
    return log(clip(p)).unary_$minus();
  }

  private static Column clip(Column p) {
    return least(greatest(p, lit(CLIP)), lit(1 - CLIP));
  }

  private static double ratio(Dataset<Row> predictions, Column weighted) {
    Row r = predictions.agg(sum(weighted), sum(col("weight"))).first();
    if (r.isNullAt(0) || r.isNullAt(1) || r.getDouble(1) <= 0) {
      return Double.NaN;
    }
    return r.getDouble(0) / r.getDouble(1);
  }

  private static double r2(Dataset<Row> predictions) {
    Column w = col("weight");
    Column y = col("label");
    Column res = y.minus(col("prediction"));
    Row r =
        predictions
            .agg(
                sum(w),
                sum(w.multiply(y)),
                sum(w.multiply(y).multiply(y)),
                sum(w.multiply(res).multiply(res)))
            .first();
    if (r.isNullAt(0) || r.getDouble(0) <= 0) {
      return Double.NaN;
    }
    double sw = r.getDouble(0);
    double total = r.getDouble(2) - r.getDouble(1) * r.getDouble(1) / sw;
    return total <= 0 ? Double.NaN : 1 - r.getDouble(3) / total;
  }

  /** Exact weighted AUC (Mann–Whitney), ties between a positive and a negative counted half. */
  private static double auc(Dataset<Row> predictions) {
    Column w = col("weight");
    List<Row> groups =
        predictions
            .groupBy(col("score"))
            .agg(
                sum(when(col("label").equalTo(1.0), w).otherwise(0.0)).as("pos"),
                sum(when(col("label").equalTo(1.0), 0.0).otherwise(w)).as("neg"))
            .orderBy(col("score"))
            .collectAsList();
    double negBelow = 0;
    double area = 0;
    double pos = 0;
    for (Row g : groups) {
      double p = g.getDouble(1);
      double n = g.getDouble(2);
      area += p * (negBelow + 0.5 * n);
      negBelow += n;
      pos += p;
    }
    return pos == 0 || negBelow == 0 ? Double.NaN : area / (pos * negBelow);
  }
}

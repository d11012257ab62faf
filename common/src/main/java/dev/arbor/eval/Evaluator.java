package dev.arbor.eval;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes the metrics of a Predictions frame (columns in {@link PredictionColumns}). The metrics
 * are computed with a few Spark aggregations (no UDFs, RAPIDS-eligible); only small results (sums,
 * at most {@link EvalSettings#maxCurvePoints()} curve points, K² confusion cells) reach the driver.
 *
 * <p>Implementations are immutable and thread-safe; each call runs its own Spark jobs.
 */
public interface Evaluator {
  /**
   * Evaluates {@code predictions}.
   *
   * @throws dev.arbor.DataValidationException when a column is missing or has values outside its
   *     contract (labels, probabilities, non-negative finite weights), naming column and problem
   */
  Evaluation evaluate(Dataset<Row> predictions);
}

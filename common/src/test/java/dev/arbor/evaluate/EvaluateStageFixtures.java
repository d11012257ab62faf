package dev.arbor.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;

import dev.arbor.catalog.CandidateRow;
import dev.arbor.catalog.CoefficientRow;
import dev.arbor.catalog.HistoryRow;
import dev.arbor.ingest.Task;
import dev.arbor.testing.SparkTestSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Synthetic evaluation inputs: binary Predictions frames whose ranking quality is a parameter. */
public final class EvaluateStageFixtures {
  private EvaluateStageFixtures() {}

  /**
   * Binary predictions of ids {@code [from, from + n)}: label 1 for a third of the rows, score = a
   * hash-based noise in [0, 0.5) plus {@code signal} for positives (more signal, better AUC).
   */
  public static Dataset<Row> binary(long from, long n, double signal) {
    Dataset<Row> ids = SparkTestSession.get().range(from, from + n).toDF("id");
    Column label = when(pmod(col("id"), lit(3)).equalTo(0), 1.0).otherwise(0.0);
    Column score = pmod(hash(col("id")), lit(1000)).divide(2000.0).plus(label.multiply(signal));
    return ids.select(
        col("id").cast("string").as("row_id"),
        label.as("label"),
        lit(1.0).as("weight"),
        when(score.geq(0.5), 1.0).otherwise(0.0).as("prediction"),
        score.as("score"));
  }

  /** Inputs with train (600 rows), validation (200) and the given test frame. */
  public static EvaluationInputs inputs(Dataset<Row> test, double signal) {
    Map<String, Dataset<Row>> splits = new LinkedHashMap<>();
    splits.put("train", binary(0, 600, signal));
    splits.put("validation", binary(600, 200, signal));
    splits.put("test", test);
    return new EvaluationInputs(
        Task.BINARY,
        List.of("<=50K", ">50K"),
        splits,
        List.of(
            new HistoryRow("final", 1, 0.69, null, 1.0, 1.0, 3),
            new HistoryRow("final", 2, 0.55, 0.75, 0.3, 1.0, 4),
            new HistoryRow("final", 3, 0.50, 0.8, 0.1, 1.0, 5)),
        List.of(new CandidateRow(0, "base", "{}", null, "auc", 0.8, true)),
        List.of(
            new CoefficientRow(null, "x", 2.0, 4.0),
            new CoefficientRow(null, "y", -0.5, -1.5),
            new CoefficientRow(null, "(intercept)", -1, -1)),
        "{\"model\":{\"name\":\"m\"}}",
        "sha256:abc",
        new EvaluationInputs.RowCounts(600L, 200L, 200L, 7L),
        1234L,
        567L);
  }

  /** {@link #inputs(Dataset, double)} with a 200-row test split. */
  public static EvaluationInputs inputs(double signal) {
    return inputs(binary(800, 200, signal), signal);
  }
}

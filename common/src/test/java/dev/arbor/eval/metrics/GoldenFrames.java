package dev.arbor.eval.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The golden predictions frames and scikit-learn values made by {@code
 * scripts/golden/eval_metrics_golden.py} (test resources {@code golden/eval-*}), loaded as Parquet
 * so the plans read like production plans (a CSV or local-relation scan is not what RAPIDS runs).
 */
final class GoldenFrames {
  private final SparkSession spark = SparkTestSession.get();
  private final Path dir = TestPaths.newTempDir("eval-golden");
  private final Map<String, Dataset<Row>> loaded = new HashMap<>();

  /** The golden JSON. */
  static JsonNode golden() {
    try (InputStream in = resource("eval-metrics-golden.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = GoldenFrames.class.getClassLoader().getResourceAsStream("golden/" + name);
    if (in == null) {
      throw new IllegalStateException("Missing test resource golden/" + name);
    }
    return in;
  }

  /** {@code golden/<name>.csv} with the given DDL schema, as a Parquet-backed frame. */
  synchronized Dataset<Row> frame(String name, String ddl) {
    return loaded.computeIfAbsent(name, n -> load(n, ddl));
  }

  private Dataset<Row> load(String name, String ddl) {
    try (InputStream in = resource(name + ".csv")) {
      Path csv = dir.resolve(name + ".csv");
      Files.copy(in, csv);
      Path parquet = dir.resolve(name + ".parquet");
      spark
          .read()
          .option("header", "true")
          .schema(ddl)
          .csv(csv.toString())
          .coalesce(1)
          .write()
          .mode(SaveMode.ErrorIfExists)
          .parquet(parquet.toString());
      return spark.read().parquet(parquet.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Dataset<Row> binary() {
    return frame(
        "eval-binary",
        "row_id STRING, label DOUBLE, weight DOUBLE, score DOUBLE, prediction DOUBLE");
  }

  Dataset<Row> binaryValidation() {
    return frame(
        "eval-binary-validation",
        "row_id STRING, label DOUBLE, weight DOUBLE, score DOUBLE, prediction DOUBLE");
  }

  Dataset<Row> multiclass() {
    return frame(
        "eval-multiclass",
        "row_id STRING, label DOUBLE, weight DOUBLE, prediction DOUBLE, prob_0 DOUBLE,"
            + " prob_1 DOUBLE, prob_2 DOUBLE");
  }

  Dataset<Row> regression() {
    return frame(
        "eval-regression", "row_id STRING, label DOUBLE, weight DOUBLE, prediction DOUBLE");
  }
}

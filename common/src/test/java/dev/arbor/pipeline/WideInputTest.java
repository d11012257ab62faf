package dev.arbor.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.prep.PrepModel;
import dev.arbor.prep.PrepareResult;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.runs.StageRunner;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestConfig;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prepare → train → evaluate at 1,000 and 5,000 numeric columns (issue #14: a per-column expression
 * built as a left-deep chain overflowed the stack at a few hundred columns). Few rows, so the runs
 * stay fast: what is tested is the width. Every column has a few nulls (imputed); one DOUBLE column
 * has one NaN (that row is rejected as non-finite) and one row has a null label.
 */
@Tag("spark")
class WideInputTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static final LocalDate DAY = LocalDate.of(2026, 1, 1);
  private static final int ROWS = 120;
  private static Path dir;
  private static CatalogSettings catalog;

  @BeforeAll
  static void folders() {
    dir = TestPaths.newTempDir("wide-input");
    catalog = CatalogSettings.localJdbc("t_wide", "arbor", dir.resolve("warehouse"));
    catalog.applyTo(spark);
  }

  /** id, label (binary, null in row 7), x0 … x{width-1}: DOUBLE, x1 NaN in row 11. */
  private static String input(int width) {
    String out = dir.resolve("in-" + width).toString();
    Column i = col("id");
    Column label =
        when(i.equalTo(lit(7L)), lit(null).cast("int")).otherwise(pmod(i, lit(2L)).cast("int"));
    List<Column> cols = new ArrayList<>(List.of(i, label.as("label")));
    for (int j = 0; j < width; j++) {
      Column x = pmod(i.multiply(lit(31L)).plus(lit(17L * j)), lit(101L)).cast("double");
      if (j == 0) {
        x = x.plus(pmod(i, lit(2L)).multiply(lit(50.0)));
      }
      x =
          when(pmod(i.plus(lit((long) j)), lit(53L)).equalTo(lit(0L)), lit(null).cast("double"))
              .otherwise(x);
      if (j == 1) {
        x = when(i.equalTo(lit(11L)), lit(Double.NaN)).otherwise(x);
      }
      cols.add(x.as("x" + j));
    }
    spark.range(ROWS).select(cols.toArray(Column[]::new)).coalesce(1).write().parquet(out);
    return out;
  }

  private static ArborConfig config(String model, String input) {
    return TestConfig.of()
        .set("model.name", model)
        .set("input.path", input)
        .set("input.generate-demo-if-missing", false)
        .set("output.root", dir.resolve("out").toString())
        .catalog(catalog)
        .set("schema.categorical-columns", List.of())
        .set("prepare.max-rejected-fraction", 0.1)
        .set("train.optimizer.max-iterations", 3)
        .build();
  }

  private static JsonNode readJson(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void runsAtWidth(int width) {
    ArborConfig config = config("wide" + width, input(width));
    Pipeline.Result r = Pipeline.run(new JobContext(spark, config, DAY), StageRunner.Mode.FORCE);
    System.out.println("wide " + width + ": " + r.summary("evaluate"));

    PrepareSettings s = PrepareSettings.from(config);
    String prepared = s.outputDir(DAY);
    PrepModel model =
        PrepModel.read(
            prepared + "/" + PrepModel.FILE_NAME, spark.sparkContext().hadoopConfiguration());
    assertThat(model.features()).hasSize(width);
    JsonNode summary = readJson(Path.of(prepared, PrepareResult.FILE_NAME));
    assertThat(summary.get("input-rows").asLong()).isEqualTo(ROWS);
    assertThat(summary.get("rejected-rows").asLong()).isEqualTo(2);
    assertThat(summary.get("rejects-by-reason").get("null_label").asLong()).isEqualTo(1);
    assertThat(summary.get("rejects-by-reason").get("non_finite_feature").asLong()).isEqualTo(1);
    long testRows = summary.get("test-rows").asLong();
    assertThat(
            summary.get("train-rows").asLong() + summary.get("validation-rows").asLong() + testRows)
        .isEqualTo(ROWS - 2);
    List<Row> metrics =
        spark
            .sql(
                "SELECT metric, value FROM "
                    + catalog.qualified("metrics")
                    + " WHERE model = 'wide"
                    + width
                    + "' AND split = 'test' AND metric IN ('rows', 'auc_roc') AND class IS NULL")
            .collectAsList();
    assertThat(metrics).hasSize(2);
    for (Row m : metrics) {
      if (m.getString(0).equals("rows")) {
        assertThat(m.getDouble(1)).isEqualTo((double) testRows);
      } else {
        assertThat(m.getDouble(1)).isBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void thousandColumns() {
    runsAtWidth(1000);
  }

  @Test
  void fiveThousandColumns() {
    runsAtWidth(5000);
  }
}

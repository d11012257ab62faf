package dev.arbor.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.DataValidationException;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.TableDefinitions;
import dev.arbor.eval.EvalSettings;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stage on synthetic Predictions frames, results read back from the tables with SQL. */
@Tag("spark")
class EvaluateStageTest {
  private static final LocalDate DAY = LocalDate.of(2025, 3, 1);
  private static final SparkSession spark = SparkTestSession.get();
  private static CatalogSettings catalog;

  @BeforeAll
  static void openCatalog() {
    catalog = CatalogSettings.localJdbc("t_evalstage", "arbor", TestPaths.newTempDir("evalstage"));
    catalog.applyTo(spark);
  }

  private static EvaluateSettings settings(String model) {
    return new EvaluateSettings(
        model, "unused", EvalSettings.DEFAULTS, List.of("test", "validation"), catalog);
  }

  static Dataset<Row> binary(long from, long n) {
    return EvaluateStageFixtures.binary(from, n, 0.4);
  }

  static EvaluationInputs inputs(Dataset<Row> test) {
    return EvaluateStageFixtures.inputs(test, 0.4);
  }

  private static List<Row> sql(String query) {
    return spark.sql(query).collectAsList();
  }

  private static String t(String table) {
    return catalog.qualified(table);
  }

  @Test
  void writesEveryTableAndTheRunRowLast() {
    EvaluateResult result = EvaluateStage.run(spark, settings("m1"), DAY, inputs(binary(800, 200)));

    String where = " WHERE model = 'm1' AND run_date = DATE'2025-03-01'";
    assertThat(sql("SELECT DISTINCT split FROM " + t("metrics") + where + " ORDER BY split"))
        .extracting(r -> r.getString(0))
        .containsExactly("test", "train", "validation");
    double opt =
        sql("SELECT threshold FROM "
                + t("metrics")
                + where
                + " AND metric = 'f1_at_opt'"
                + " AND split = 'test'")
            .get(0)
            .getDouble(0);
    assertThat(opt).isEqualTo(result.optimalThreshold()).isBetween(0.0, 1.0);
    double auc =
        sql("SELECT value FROM "
                + t("metrics")
                + where
                + " AND metric = 'auc_roc' AND split ="
                + " 'test'")
            .get(0)
            .getDouble(0);
    assertThat(auc).isEqualTo(result.evaluations().get("test").value("auc_roc")).isGreaterThan(0.7);
    assertThat(sql("SELECT split, count(*) FROM " + t("predictions") + where + " GROUP BY split"))
        .extracting(r -> r.getString(0) + "=" + r.getLong(1))
        .containsExactlyInAnyOrder("test=200", "validation=200");
    assertThat(sql("SELECT count(*) FROM " + t("confusion") + where).get(0).getLong(0))
        .isEqualTo(12); // 2x2 cells for 3 splits
    assertThat(sql("SELECT DISTINCT curve FROM " + t("curves") + where))
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("roc", "pr", "calibration");
    assertThat(sql("SELECT count(*) FROM " + t("history") + where).get(0).getLong(0)).isEqualTo(3);
    assertThat(sql("SELECT weight FROM " + t("coefficients") + where + " AND feature = 'x'"))
        .extracting(r -> r.getDouble(0))
        .containsExactly(2.0);
    Row run =
        sql("SELECT run_id, status, task, rows_train, rows_rejected, prepare_ms, train_ms,"
                + " evaluate_ms, data_fingerprint, spark_version, iceberg_version FROM "
                + t("runs")
                + where)
            .get(0);
    assertThat(run.getString(0))
        .isEqualTo(result.key().runId())
        .isEqualTo(RunIds.of("m1", DAY, "{\"model\":{\"name\":\"m\"}}", "sha256:abc"));
    assertThat(run.getString(1)).isEqualTo("succeeded");
    assertThat(run.getString(2)).isEqualTo("binary");
    assertThat(run.getLong(3)).isEqualTo(600);
    assertThat(run.getLong(4)).isEqualTo(7);
    assertThat(run.getLong(5)).isEqualTo(1234);
    assertThat(run.getLong(6)).isEqualTo(567);
    assertThat(run.getLong(7)).isPositive();
    assertThat(run.getString(8)).isEqualTo("sha256:abc");
    assertThat(run.getString(9)).isEqualTo(spark.version());
    assertThat(run.getString(10)).startsWith("1.");
    // The runs row is the last commit of the run.
    long runsCommit = lastCommitMillis("runs");
    for (TableDefinitions td : TableDefinitions.values()) {
      if (td == TableDefinitions.PROMOTIONS) {
        continue; // written by the promote stage, after evaluate
      }
      assertThat(lastCommitMillis(td.tableName()))
          .as(td.tableName())
          .isLessThanOrEqualTo(runsCommit);
    }
  }

  private static long lastCommitMillis(String table) {
    return sql("SELECT max(committed_at) FROM " + t(table) + ".snapshots")
        .get(0)
        .getTimestamp(0)
        .getTime();
  }

  @Test
  void reRunningADateLeavesIdenticalTablesAndOtherModelsSurvive() {
    EvaluateStage.run(spark, settings("m2"), DAY, inputs(binary(800, 200)));
    EvaluateStage.run(spark, settings("other"), DAY, inputs(binary(800, 100)));
    Map<String, List<Row>> first = snapshot("m2");

    EvaluateStage.run(spark, settings("m2"), DAY, inputs(binary(800, 200)));

    Map<String, List<Row>> second = snapshot("m2");
    assertThat(second).isEqualTo(first);
    assertThat(second.get("metrics")).hasSizeGreaterThan(30);
    assertThat(
            sql("SELECT count(*) FROM "
                    + t("predictions")
                    + " WHERE model = 'other' AND split = 'test'")
                .get(0)
                .getLong(0))
        .isEqualTo(100);
  }

  /** Every table's rows of the model, sorted; runs without its wall-clock columns. */
  static Map<String, List<Row>> snapshot(String model) {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    for (TableDefinitions td : TableDefinitions.values()) {
      Dataset<Row> rows = spark.table(t(td.tableName())).where(col("model").equalTo(model));
      if (td == TableDefinitions.RUNS) {
        rows = rows.drop("started_at", "finished_at", "evaluate_ms", "stages");
      }
      out.put(td.tableName(), rows.orderBy(rows.columns()[0], rows.columns()).collectAsList());
    }
    return out;
  }

  @Test
  void aFailedEvaluationLeavesAFailedRunRow() {
    Dataset<Row> bad = binary(800, 50).withColumn("label", lit(2.0));

    assertThatThrownBy(() -> EvaluateStage.run(spark, settings("m3"), DAY, inputs(bad)))
        .isInstanceOf(DataValidationException.class)
        .hasMessageContaining("label");

    Row run = sql("SELECT status, message FROM " + t("runs") + " WHERE model = 'm3'").get(0);
    assertThat(run.getString(0)).isEqualTo("failed");
    assertThat(run.getString(1)).contains("label");
  }
}

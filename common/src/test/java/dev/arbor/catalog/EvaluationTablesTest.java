package dev.arbor.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.ArborException;
import dev.arbor.ConfigException;
import dev.arbor.eval.ConfusionCell;
import dev.arbor.eval.Curve;
import dev.arbor.eval.CurvePoint;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.Metric;
import dev.arbor.ingest.Task;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The tables on the embedded JDBC/SQLite catalog, in a temp folder (one catalog per class). */
@Tag("spark")
class EvaluationTablesTest {
  private static final LocalDate DAY = LocalDate.of(2024, 6, 1);
  private static final SparkSession spark = SparkTestSession.get();
  private static CatalogSettings catalog;
  private static EvaluationTables tables;

  @BeforeAll
  static void openCatalog() {
    catalog =
        CatalogSettings.localJdbc("t_tables", "arbor", TestPaths.newTempDir("iceberg-tables"));
    catalog.applyTo(spark);
    tables = EvaluationTables.open(spark, catalog);
  }

  private static Evaluation evaluation(double auc) {
    return new Evaluation(
        Task.BINARY,
        List.of(Metric.of("auc_roc", auc), Metric.atThreshold("f1", 0.5, 0.5)),
        List.of(
            new Curve(
                Curve.Kind.ROC,
                List.of(
                    new CurvePoint(0, 0, 0, Double.POSITIVE_INFINITY, 0),
                    new CurvePoint(1, 1, 1, 0.1, 10)))),
        List.of(new ConfusionCell("0", "0", 5, 4.5), new ConfusionCell("1", "1", 5, 5.0)));
  }

  private static long count(String table, String where) {
    return spark
        .sql("SELECT count(*) FROM " + catalog.qualified(table) + " WHERE " + where)
        .first()
        .getLong(0);
  }

  @Test
  void tablesArePartitionedByRunDateAndModel() {
    for (TableDefinitions t : TableDefinitions.values()) {
      String ddl = spark.sql("SHOW CREATE TABLE " + tables.qualified(t)).first().getString(0);
      assertThat(ddl).as(t.tableName()).contains("PARTITIONED BY (run_date, model)");
      assertThat(spark.table(tables.qualified(t)).columns())
          .containsExactlyElementsOf(
              t.columns().stream().map(TableDefinitions.Column::name).toList());
    }
    // Opening again is a no-op.
    EvaluationTables.open(spark, catalog);
  }

  @Test
  void rerunningADateReplacesInsteadOfDuplicating() {
    RunKey first = new RunKey("rerun", DAY, "attempt-1");
    RunKey second = new RunKey("rerun", DAY, "attempt-2");
    tables.writeEvaluations(first, Map.of("test", evaluation(0.8), "validation", evaluation(0.7)));
    tables.writeEvaluations(second, Map.of("test", evaluation(0.9), "validation", evaluation(0.7)));
    assertThat(count("metrics", "model = 'rerun'")).isEqualTo(4);
    assertThat(count("curves", "model = 'rerun'")).isEqualTo(4);
    assertThat(count("confusion", "model = 'rerun'")).isEqualTo(4);
    assertThat(count("metrics", "model = 'rerun' AND run_id = 'attempt-2'")).isEqualTo(4);
    Row auc =
        spark
            .sql(
                "SELECT value, threshold, class FROM "
                    + catalog.qualified("metrics")
                    + " WHERE model = 'rerun' AND split = 'test' AND metric = 'auc_roc'")
            .first();
    assertThat(auc.getDouble(0)).isEqualTo(0.9);
    assertThat(auc.isNullAt(1)).isTrue();
    assertThat(auc.isNullAt(2)).isTrue();
    assertThat(
            spark
                .sql(
                    "SELECT threshold FROM "
                        + catalog.qualified("curves")
                        + " WHERE model = 'rerun' AND split = 'test' AND seq = 0")
                .first()
                .getDouble(0))
        .isEqualTo(Double.POSITIVE_INFINITY);

    // Identical content after writing the same run twice.
    tables.writeEvaluations(second, Map.of("test", evaluation(0.9), "validation", evaluation(0.7)));
    List<Row> again =
        spark
            .sql(
                "SELECT * FROM "
                    + catalog.qualified("metrics")
                    + " WHERE model = 'rerun' ORDER BY split, metric")
            .collectAsList();
    tables.writeEvaluations(second, Map.of("test", evaluation(0.9), "validation", evaluation(0.7)));
    assertThat(
            spark
                .sql(
                    "SELECT * FROM "
                        + catalog.qualified("metrics")
                        + " WHERE model = 'rerun' ORDER BY split, metric")
                .collectAsList())
        .containsExactlyElementsOf(again);

    // Another date of the same model is another partition.
    tables.writeEvaluations(
        new RunKey("rerun", DAY.plusDays(1), "attempt-3"), Map.of("test", evaluation(0.95)));
    assertThat(count("metrics", "model = 'rerun'")).isEqualTo(6);
  }

  @Test
  void concurrentWritesOfTwoModelsOnOneDateBothSurvive() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (String model : List.of("left", "right")) {
          RunKey key = new RunKey(model, DAY, "r" + round);
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    tables.writeEvaluations(key, Map.of("test", evaluation(0.8)));
                    tables.writeHistory(
                        key, List.of(new HistoryRow("final", 1, 0.5, 0.8, 0.1, 1.0, 12)));
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get(5, TimeUnit.MINUTES);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    for (String model : List.of("left", "right")) {
      assertThat(count("metrics", "model = '" + model + "' AND run_id = 'r1'")).isEqualTo(2);
      assertThat(count("metrics", "model = '" + model + "'")).isEqualTo(2);
      assertThat(count("history", "model = '" + model + "'")).isEqualTo(1);
    }
  }

  @Test
  @org.junit.jupiter.api.Tag("reliability")
  @org.junit.jupiter.api.DisplayName(
      "runs, coefficients and predictions written — multiclass predictions keep every class"
          + " probability (log loss recomputable from the table), binary/regression null")
  void writesRunsCoefficientsAndPredictions() {
    RunKey key = new RunKey("pred", DAY, "run-1");
    StructType binary =
        StructType.fromDDL(
            "row_id STRING, label DOUBLE, weight DOUBLE, score DOUBLE, prediction DOUBLE");
    StructType multi =
        StructType.fromDDL(
            "row_id STRING, label DOUBLE, weight DOUBLE, prediction DOUBLE, prob_0 DOUBLE,"
                + " prob_1 DOUBLE, prob_2 DOUBLE");
    tables.writePredictions(
        key,
        Map.of(
            "test",
            spark.createDataFrame(List.of(RowFactory.create("a", 1.0, 1.0, 0.75, 1.0)), binary),
            "validation",
            spark.createDataFrame(
                List.of(RowFactory.create("b", 2.0, 1.0, 1.0, 0.1, 0.6, 0.3)), multi)));
    List<Row> rows =
        spark
            .sql(
                "SELECT split, row_id, label, score, prediction FROM "
                    + catalog.qualified("predictions")
                    + " WHERE model = 'pred' ORDER BY split")
            .collectAsList();
    assertThat(rows)
        .containsExactly(
            RowFactory.create("test", "a", 1.0, 0.75, 1.0),
            RowFactory.create("validation", "b", 2.0, 0.6, 1.0));
    // Multiclass rows keep every class probability (log loss can be recomputed); others null.
    List<Row> probs =
        spark
            .sql(
                "SELECT split, probabilities, -ln(element_at(probabilities, CAST(label AS INT) + 1))"
                    + " FROM "
                    + catalog.qualified("predictions")
                    + " WHERE model = 'pred' ORDER BY split")
            .collectAsList();
    assertThat(probs.get(0).isNullAt(1)).isTrue();
    assertThat(probs.get(1).getList(1)).containsExactly(0.1, 0.6, 0.3);
    assertThat(probs.get(1).getDouble(2))
        .isCloseTo(-Math.log(0.3), org.assertj.core.api.Assertions.within(1e-15));

    tables.writeCoefficients(
        key,
        List.of(
            new CoefficientRow(null, "(intercept)", -1.5, -0.5),
            new CoefficientRow(null, "age", 0.02, 0.3)));
    RunRecord record =
        new RunRecord(
            key,
            "binary",
            "succeeded",
            Instant.parse("2024-06-02T01:00:00Z"),
            Instant.parse("2024-06-02T01:05:00Z"),
            "{}",
            "sha256:abc",
            100L,
            20L,
            30L,
            0L,
            10L,
            20L,
            30L,
            "0.1.0",
            "4.0.1",
            "1.11.0",
            null,
            Map.of(
                "train",
                new StageOutcome(
                    "failed",
                    "sha256:in",
                    "sha256:cfg",
                    null,
                    Instant.parse("2024-06-02T01:00:00.123456Z"),
                    Instant.parse("2024-06-02T01:01:00Z"),
                    60_000L,
                    "boom")));
    tables.writeRun(record);
    // The stages map (and every other column) reads back as written.
    assertThat(tables.readRun("pred", DAY)).contains(record);
    assertThat(tables.readRun("pred", DAY.plusDays(1))).isEmpty();
    assertThat(count("coefficients", "model = 'pred'")).isEqualTo(2);
    Row run =
        spark
            .sql(
                "SELECT status, run_date, started_at, rows_train FROM "
                    + catalog.qualified("runs")
                    + " WHERE model = 'pred'")
            .first();
    assertThat(run.getString(0)).isEqualTo("succeeded");
    assertThat(run.get(1).toString()).isEqualTo("2024-06-01");
    assertThat(run.getLong(3)).isEqualTo(100L);

    // An empty write removes the run's rows.
    tables.writeCoefficients(key, List.of());
    assertThat(count("coefficients", "model = 'pred'")).isZero();
  }

  @Test
  void namesOutsideTheSafeAlphabetAreRejected() {
    assertThatThrownBy(() -> new RunKey("my-model", DAY, "r"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid model name: 'my-model' (expected letters, digits and underscores only:"
                + " [A-Za-z0-9_]+)");
    assertThatThrownBy(
            () ->
                tables.writeEvaluations(
                    new RunKey("m", DAY, "r"), Map.of("test set", evaluation(0.5))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid split name: 'test set' (expected letters, digits and underscores only:"
                + " [A-Za-z0-9_]+)");
    assertThatThrownBy(() -> catalog.qualified("runs.x"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid table name: 'runs.x'");
  }

  @Test
  void anotherSchemaVersionIsRefused() {
    CatalogSettings other =
        new CatalogSettings(
            catalog.name(), catalog.type(), catalog.uri(), catalog.warehouse(), "older", Map.of());
    EvaluationTables.open(spark, other);
    spark.sql(
        "ALTER TABLE "
            + other.qualified("runs")
            + " SET TBLPROPERTIES ('arbor.schema-version' = '0')");
    assertThatThrownBy(() -> EvaluationTables.open(spark, other))
        .isInstanceOf(ArborException.class)
        .hasMessage(
            "Cannot write table t_tables.older.runs: schema version 0 found, this Arbor writes"
                + " version 3 (table property arbor.schema-version)");
  }

  @Test
  void aVersion1RunsTableIsUpgradedInPlaceAndKeepsItsRows() throws Exception {
    CatalogSettings v1 =
        new CatalogSettings(
            catalog.name(), catalog.type(), catalog.uri(), catalog.warehouse(), "v1", Map.of());
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + v1.name() + ".v1");
    // The runs table as version 1 created it: no stages column.
    String name = v1.qualified("runs");
    String ddl =
        TableDefinitions.RUNS
            .createStatement(name)
            .replaceAll(",\\n  `stages` MAP<.*\\n", "\n")
            .replace(
                "'arbor.schema-version' = '" + TableDefinitions.SCHEMA_VERSION + "'",
                "'arbor.schema-version' = '1'");
    assertThat(ddl).doesNotContain("stages").contains("'arbor.schema-version' = '1'");
    spark.sql(ddl);
    StructType v1Schema = spark.table(name).schema();
    Object[] values = new Object[v1Schema.size()];
    values[0] = "old";
    values[1] = java.sql.Date.valueOf("2024-05-01");
    values[2] = "r-1";
    values[4] = "succeeded";
    spark.createDataFrame(List.of(RowFactory.create(values)), v1Schema).writeTo(name).append();

    EvaluationTables upgraded = EvaluationTables.open(spark, v1);

    assertThat(
            spark
                .sql("SHOW TBLPROPERTIES " + name + " ('arbor.schema-version')")
                .first()
                .getString(1))
        .isEqualTo(Integer.toString(TableDefinitions.SCHEMA_VERSION));
    assertThat(spark.table(name).columns())
        .containsExactlyElementsOf(
            TableDefinitions.RUNS.columns().stream().map(TableDefinitions.Column::name).toList());
    RunRecord old = upgraded.readRun("old", LocalDate.of(2024, 5, 1)).orElseThrow();
    assertThat(old.status()).isEqualTo("succeeded");
    assertThat(old.stages()).isEmpty();
    // Readers of the version-1 columns see the same row.
    assertThat(
            spark
                .sql("SELECT run_id, status FROM " + name + " WHERE model = 'old'")
                .collectAsList())
        .containsExactly(RowFactory.create("r-1", "succeeded"));
    // And the upgraded table takes rows with stages.
    upgraded.writeRun(
        new RunRecord(
            new RunKey("old", LocalDate.of(2024, 5, 1), "r-2"),
            null,
            "running",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of("prepare", new StageOutcome("succeeded", "i", "c", "o", null, null, 1L, null))));
    assertThat(upgraded.readRun("old", LocalDate.of(2024, 5, 1)).orElseThrow().stages())
        .containsOnlyKeys("prepare");
    // Opening again is a no-op.
    EvaluationTables.open(spark, v1);
  }

  @Test
  void sqlRunnerResolvesUnqualifiedNamesAndRendersATable() {
    tables.writeEvaluations(new RunKey("sqlm", DAY, "r"), Map.of("test", evaluation(0.75)));
    String before = spark.catalog().currentCatalog();
    SqlRunner runner = new SqlRunner(spark, catalog, 100);
    List<ResultTable> results =
        runner.runScript(
            "SELECT model, metric, value FROM metrics WHERE model = 'sqlm' ORDER BY metric;"
                + " SELECT count(*) AS n FROM "
                + catalog.qualified("metrics")
                + " WHERE model = 'sqlm'");
    assertThat(results.get(0).render())
        .isEqualTo(
            "model | metric  | value\n"
                + "------+---------+------\n"
                + "sqlm  | auc_roc |  0.75\n"
                + "sqlm  | f1      |   0.5\n"
                + "(2 rows)\n");
    assertThat(results.get(1).rows()).containsExactly(List.of("2"));
    assertThat(spark.catalog().currentCatalog()).isEqualTo(before);
  }

  /** The SQL examples of {@code docs/evaluation.md} ("Querying"), on runs of two models. */
  @Test
  void documentedQueriesRunOnRealTables() throws Exception {
    String page = Files.readString(TestPaths.projectDir().resolve("docs/evaluation.md"));
    String section = page.substring(page.indexOf("## Querying"));
    Matcher m = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL).matcher(section);
    List<String> queries = new ArrayList<>();
    while (m.find()) {
      queries.add(m.group(1));
    }
    assertThat(queries).hasSize(3);

    CatalogSettings docsCatalog =
        new CatalogSettings(
            catalog.name(), catalog.type(), catalog.uri(), catalog.warehouse(), "docs", Map.of());
    EvaluationTables docsTables = EvaluationTables.open(spark, docsCatalog);
    double[][] auc = {{0.80, 0.81, 0.75}, {0.70, 0.85, 0.84}};
    String[] models = {"a", "b"};
    for (int i = 0; i < 2; i++) {
      for (int d = 0; d < 3; d++) {
        docsTables.writeEvaluations(
            new RunKey(models[i], DAY.plusDays(d), "r"),
            Map.of("test", evaluation(auc[i][d]), "validation", evaluation(0.5)));
      }
    }
    SqlRunner sql = new SqlRunner(spark, docsCatalog, 100);

    ResultTable trend = sql.run(queries.get(0));
    assertThat(trend.columns()).containsExactly("model", "run_date", "auc_roc");
    assertThat(trend.rows()).hasSize(6);
    assertThat(trend.rows().get(0)).containsExactly("a", "2024-06-01", "0.8");

    ResultTable best = sql.run(queries.get(1));
    assertThat(best.rows())
        .containsExactly(
            List.of("2024-06-01", "a", "0.8"),
            List.of("2024-06-02", "b", "0.85"),
            List.of("2024-06-03", "b", "0.84"));

    ResultTable drops = sql.run(queries.get(2));
    assertThat(drops.rows()).hasSize(1);
    assertThat(drops.rows().get(0)).startsWith("a", "2024-06-03", "2024-06-02", "0.81", "0.75");
    assertThat(Double.parseDouble(drops.rows().get(0).get(5))).isCloseTo(0.06, within(1e-12));
  }
}

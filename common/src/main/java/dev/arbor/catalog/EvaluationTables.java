package dev.arbor.catalog;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import dev.arbor.eval.ConfusionCell;
import dev.arbor.eval.Curve;
import dev.arbor.eval.CurvePoint;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.Metric;
import dev.arbor.eval.PredictionColumns;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's results to the evaluation tables ({@link TableDefinitions}) of one catalog.
 *
 * <p>Each write method replaces the ({@code run_date}, {@code model}) partition of its table(s) in
 * one Iceberg commit per table ({@code overwritePartitions()}): pass everything of the run at once
 * (all splits), since a second call for the same run replaces the first. A re-run of a date
 * therefore never duplicates rows, and other models' partitions are untouched, also by concurrent
 * writers (Iceberg retries a commit that lost a race). Writes to different tables are separate
 * commits: write {@code runs} last, so a run whose {@code runs} row says {@code succeeded} has all
 * its rows.
 *
 * <p>Thread-safe: concurrent writes for different models are supported.
 */
public final class EvaluationTables {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationTables.class);

  /**
   * TEST ONLY, off by default: {@code spark.arbor.test.pause-before-table = <table>} makes the
   * writer log a line and sleep for {@link #PAUSE_MILLIS_KEY} (default 10 minutes) before it writes
   * that table ({@code metrics}, …, {@code runs}), so fault tests can kill the process between two
   * tables' commits. Never set it in production.
   */
  public static final String PAUSE_BEFORE_TABLE_KEY = "spark.arbor.test.pause-before-table";

  /** TEST ONLY: how long {@link #PAUSE_BEFORE_TABLE_KEY} pauses, in milliseconds. */
  public static final String PAUSE_MILLIS_KEY = "spark.arbor.test.pause-millis";

  private final SparkSession spark;
  private final CatalogSettings catalog;

  private EvaluationTables(SparkSession spark, CatalogSettings catalog) {
    this.spark = spark;
    this.catalog = catalog;
  }

  /**
   * Opens the tables of {@code catalog}, creating the namespace and any missing table. The session
   * must already have the catalog's Spark conf ({@link CatalogSettings#sparkConf()}).
   *
   * @throws ArborException when an existing table has another schema version than this code that
   *     cannot be upgraded (a table of an older, upgradable version is upgraded in place)
   */
  public static EvaluationTables open(SparkSession spark, CatalogSettings catalog) {
    catalog.prepareLocalStorage();
    catalog.initializeJdbcTables(spark.sparkContext().hadoopConfiguration());
    EvaluationTables tables = new EvaluationTables(spark, catalog);
    tables.createMissing();
    return tables;
  }

  /** The catalog the tables are in. */
  public CatalogSettings catalog() {
    return catalog;
  }

  /** {@code <catalog>.<namespace>.<table>} */
  public String qualified(TableDefinitions table) {
    return catalog.qualified(table.tableName());
  }

  private void createMissing() {
    String ns = catalog.name() + "." + catalog.namespace();
    try {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS " + ns);
    } catch (RuntimeException e) {
      // Created concurrently by another writer: fine if it exists now.
      if (!spark.catalog().databaseExists(ns)) {
        throw e;
      }
    }
    for (TableDefinitions t : TableDefinitions.values()) {
      String name = qualified(t);
      if (!spark.catalog().tableExists(name)) {
        try {
          spark.sql(t.createStatement(name));
          LOG.info("Created table {}", name);
        } catch (RuntimeException e) {
          if (!spark.catalog().tableExists(name)) {
            throw e;
          }
        }
      }
      checkVersion(t, name);
    }
  }

  private void checkVersion(TableDefinitions t, String name) {
    String found = version(name);
    String expected = Integer.toString(TableDefinitions.SCHEMA_VERSION);
    if (expected.equals(found)) {
      return;
    }
    if (upgradable(found)) {
      upgrade(t, name, found);
      return;
    }
    throw new ArborException(
        ExitCode.FAILURE,
        "Cannot write table "
            + name
            + ": schema version "
            + found
            + " found, this Arbor writes version "
            + expected
            + " (table property "
            + TableDefinitions.VERSION_PROPERTY
            + ")");
  }

  private String version(String name) {
    List<Row> props =
        spark
            .sql("SHOW TBLPROPERTIES " + name + " ('" + TableDefinitions.VERSION_PROPERTY + "')")
            .collectAsList();
    return props.isEmpty() ? null : props.get(0).getString(1);
  }

  private static boolean upgradable(String version) {
    try {
      int v = Integer.parseInt(version == null ? "" : version);
      return v >= TableDefinitions.FIRST_UPGRADABLE_VERSION && v < TableDefinitions.SCHEMA_VERSION;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Upgrades a table of an older layout in place: adds the columns it lacks (at the end, nullable,
   * so old rows read them as null and old readers are unaffected), then sets the version property.
   * Safe against a concurrent upgrade by another writer (a column added meanwhile is accepted).
   */
  private void upgrade(TableDefinitions t, String name, String found) {
    for (TableDefinitions.Column c : t.columns()) {
      if (hasColumn(name, c.name())) {
        continue;
      }
      try {
        spark.sql(
            "ALTER TABLE "
                + name
                + " ADD COLUMN `"
                + c.name()
                + "` "
                + c.type()
                + " COMMENT '"
                + c.comment().replace("\\", "\\\\").replace("'", "\\'")
                + "'");
      } catch (RuntimeException e) {
        spark.sql("REFRESH TABLE " + name);
        if (!hasColumn(name, c.name())) {
          throw e;
        }
      }
    }
    spark.sql(
        "ALTER TABLE "
            + name
            + " SET TBLPROPERTIES ('"
            + TableDefinitions.VERSION_PROPERTY
            + "' = '"
            + TableDefinitions.SCHEMA_VERSION
            + "')");
    LOG.info(
        "Upgraded table {} from schema version {} to {}",
        name,
        found,
        TableDefinitions.SCHEMA_VERSION);
  }

  private boolean hasColumn(String table, String column) {
    return Arrays.asList(spark.table(table).columns()).contains(column);
  }

  /** Replaces the run's row in {@code runs}. Write it last (see the class comment). */
  public void writeRun(RunRecord run) {
    RunKey k = run.key();
    Map<String, Row> stages = new LinkedHashMap<>();
    run.stages()
        .forEach(
            (stage, o) ->
                stages.put(
                    stage,
                    RowFactory.create(
                        o.status(),
                        o.inputFingerprint(),
                        o.configHash(),
                        o.outputFingerprint(),
                        timestamp(o.startedAt()),
                        timestamp(o.finishedAt()),
                        o.durationMs(),
                        o.message())));
    write(
        TableDefinitions.RUNS,
        k,
        List.of(
            RowFactory.create(
                k.model(),
                k.runDate(),
                k.runId(),
                run.task(),
                run.status(),
                timestamp(run.startedAt()),
                timestamp(run.finishedAt()),
                run.configJson(),
                run.dataFingerprint(),
                run.rowsTrain(),
                run.rowsValidation(),
                run.rowsTest(),
                run.rowsRejected(),
                run.prepareMs(),
                run.trainMs(),
                run.evaluateMs(),
                run.arborVersion(),
                run.sparkVersion(),
                run.icebergVersion(),
                run.message(),
                stages)));
  }

  /**
   * The {@code runs} row of (model, run date), if any (a partition holds at most one: every writer
   * replaces it).
   */
  public Optional<RunRecord> readRun(String model, LocalDate runDate) {
    List<Row> rows =
        spark
            .table(qualified(TableDefinitions.RUNS))
            .where(col("model").equalTo(lit(model)).and(col("run_date").equalTo(lit(runDate))))
            .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    Map<String, StageOutcome> stages = new LinkedHashMap<>();
    Map<String, Row> raw =
        r.isNullAt(r.fieldIndex("stages")) ? Map.of() : r.getJavaMap(r.fieldIndex("stages"));
    for (String stage : new java.util.TreeSet<>(raw.keySet())) {
      Row o = raw.get(stage);
      stages.put(
          stage,
          new StageOutcome(
              o.getString(0),
              o.getString(1),
              o.getString(2),
              o.getString(3),
              instant(o.getTimestamp(4)),
              instant(o.getTimestamp(5)),
              o.isNullAt(6) ? null : o.getLong(6),
              o.getString(7)));
    }
    return Optional.of(
        new RunRecord(
            new RunKey(model, runDate, r.getAs("run_id")),
            r.getAs("task"),
            r.getAs("status"),
            instant(r.getAs("started_at")),
            instant(r.getAs("finished_at")),
            r.getAs("config_json"),
            r.getAs("data_fingerprint"),
            r.getAs("rows_train"),
            r.getAs("rows_validation"),
            r.getAs("rows_test"),
            r.getAs("rows_rejected"),
            r.getAs("prepare_ms"),
            r.getAs("train_ms"),
            r.getAs("evaluate_ms"),
            r.getAs("arbor_version"),
            r.getAs("spark_version"),
            r.getAs("iceberg_version"),
            r.getAs("message"),
            stages));
  }

  private static Timestamp timestamp(Instant t) {
    return t == null ? null : Timestamp.from(t);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /** Replaces the run's row in {@code promotions} (the promotion gate's decision). */
  public void writePromotion(PromotionRecord p) {
    RunKey k = p.key();
    write(
        TableDefinitions.PROMOTIONS,
        k,
        List.of(
            RowFactory.create(
                k.model(),
                k.runDate(),
                k.runId(),
                p.metric(),
                p.challengerScore(),
                p.championRunDate(),
                p.championRunId(),
                p.championScore(),
                p.tolerance(),
                p.decision(),
                p.reason())));
  }

  /**
   * Whether {@code table} holds at least one row of run {@code k} (the stage-skip rule checks that
   * a committed run's rows still exist: a {@code DELETE} run by hand must not leave a run that
   * looks complete).
   */
  public boolean hasRows(TableDefinitions table, RunKey k) {
    return !spark
        .table(qualified(table))
        .where(
            col("model")
                .equalTo(lit(k.model()))
                .and(col("run_date").equalTo(lit(k.runDate())))
                .and(col("run_id").equalTo(lit(k.runId()))))
        .limit(1)
        .isEmpty();
  }

  /**
   * The decision ({@code promoted}, {@code rejected}, {@code first}) recorded for run {@code k}.
   */
  public Optional<String> readPromotionDecision(RunKey k) {
    return spark
        .table(qualified(TableDefinitions.PROMOTIONS))
        .where(
            col("model")
                .equalTo(lit(k.model()))
                .and(col("run_date").equalTo(lit(k.runDate())))
                .and(col("run_id").equalTo(lit(k.runId()))))
        .select("decision")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .findFirst();
  }

  /**
   * Replaces the run's rows in {@code metrics}, {@code curves} and {@code confusion} with the
   * evaluations of all its splits (split name, e.g. {@code test}, to evaluation).
   */
  public void writeEvaluations(RunKey k, Map<String, Evaluation> bySplit) {
    List<Row> metrics = new ArrayList<>();
    List<Row> curves = new ArrayList<>();
    List<Row> confusion = new ArrayList<>();
    for (Map.Entry<String, Evaluation> e : bySplit.entrySet()) {
      String split = Names.check("split name", e.getKey());
      for (Metric m : e.getValue().metrics()) {
        metrics.add(
            RowFactory.create(
                k.model(),
                k.runDate(),
                k.runId(),
                split,
                m.name(),
                m.value(),
                m.threshold(),
                m.className()));
      }
      for (Curve c : e.getValue().curves()) {
        for (CurvePoint p : c.points()) {
          curves.add(
              RowFactory.create(
                  k.model(),
                  k.runDate(),
                  k.runId(),
                  split,
                  c.kind().tableName(),
                  p.seq(),
                  p.x(),
                  p.y(),
                  p.threshold(),
                  p.count()));
        }
      }
      for (ConfusionCell c : e.getValue().confusion()) {
        confusion.add(
            RowFactory.create(
                k.model(),
                k.runDate(),
                k.runId(),
                split,
                c.actual(),
                c.predicted(),
                c.count(),
                c.weight()));
      }
    }
    write(TableDefinitions.METRICS, k, metrics);
    write(TableDefinitions.CURVES, k, curves);
    write(TableDefinitions.CONFUSION, k, confusion);
  }

  /** Replaces the run's rows in {@code history}. */
  public void writeHistory(RunKey k, List<HistoryRow> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (HistoryRow h : rows) {
      out.add(
          RowFactory.create(
              k.model(),
              k.runDate(),
              k.runId(),
              h.candidate(),
              h.iteration(),
              h.trainLoss(),
              h.validationMetric(),
              h.gradientNorm(),
              h.stepSize(),
              h.elapsedMs()));
    }
    write(TableDefinitions.HISTORY, k, out);
  }

  /** Replaces the run's rows in {@code candidates}. */
  public void writeCandidates(RunKey k, List<CandidateRow> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (CandidateRow c : rows) {
      out.add(
          RowFactory.create(
              k.model(),
              k.runDate(),
              k.runId(),
              c.index(),
              c.candidate(),
              c.settingsJson(),
              c.fold(),
              c.metric(),
              c.score(),
              c.selected()));
    }
    write(TableDefinitions.CANDIDATES, k, out);
  }

  /** Replaces the run's rows in {@code coefficients}. */
  public void writeCoefficients(RunKey k, List<CoefficientRow> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (CoefficientRow c : rows) {
      out.add(
          RowFactory.create(
              k.model(),
              k.runDate(),
              k.runId(),
              c.className(),
              c.feature(),
              c.weight(),
              c.weightScaled()));
    }
    write(TableDefinitions.COEFFICIENTS, k, out);
  }

  /**
   * Replaces the run's rows in {@code predictions} with Predictions frames (split name to frame),
   * written by Spark without collecting. {@code score} is the binary score, the largest class
   * probability for multiclass frames ({@code prob_k} columns) and null for regression.
   */
  public void writePredictions(RunKey k, Map<String, Dataset<Row>> bySplit) {
    Dataset<Row> all = null;
    for (Map.Entry<String, Dataset<Row>> e : bySplit.entrySet()) {
      Dataset<Row> part =
          e.getValue()
              .select(
                  lit(k.model()).as("model"),
                  lit(k.runDate()).as("run_date"),
                  lit(k.runId()).as("run_id"),
                  lit(Names.check("split name", e.getKey())).as("split"),
                  col(PredictionColumns.ROW_ID).cast(DataTypes.StringType).as("row_id"),
                  col(PredictionColumns.LABEL).cast(DataTypes.DoubleType).as("label"),
                  score(e.getValue()).as("score"),
                  col(PredictionColumns.PREDICTION).cast(DataTypes.DoubleType).as("prediction"),
                  probabilities(e.getValue()).as("probabilities"));
      all = all == null ? part : all.unionByName(part);
    }
    if (all == null) {
      all = spark.createDataFrame(List.of(), TableDefinitions.PREDICTIONS.schema());
    }
    overwrite(TableDefinitions.PREDICTIONS, k, all);
  }

  /** Multiclass: {@code [prob_0, …, prob_{K−1}]}; otherwise null. */
  private static Column probabilities(Dataset<Row> df) {
    List<String> columns = Arrays.asList(df.columns());
    List<Column> probs = new ArrayList<>();
    for (int c = 0; columns.contains(PredictionColumns.prob(c)); c++) {
      probs.add(col(PredictionColumns.prob(c)).cast(DataTypes.DoubleType));
    }
    return probs.isEmpty()
        ? lit(null).cast(DataTypes.createArrayType(DataTypes.DoubleType))
        : org.apache.spark.sql.functions.array(probs.toArray(Column[]::new));
  }

  private static Column score(Dataset<Row> df) {
    List<String> columns = Arrays.asList(df.columns());
    if (columns.contains(PredictionColumns.SCORE)) {
      return col(PredictionColumns.SCORE).cast(DataTypes.DoubleType);
    }
    List<Column> probs = new ArrayList<>();
    for (int c = 0; columns.contains(PredictionColumns.prob(c)); c++) {
      probs.add(col(PredictionColumns.prob(c)).cast(DataTypes.DoubleType));
    }
    if (probs.isEmpty()) {
      return lit(null).cast(DataTypes.DoubleType);
    }
    return probs.size() == 1 ? probs.get(0) : greatest(probs.toArray(Column[]::new));
  }

  private void write(TableDefinitions table, RunKey k, List<Row> rows) {
    overwrite(table, k, spark.createDataFrame(rows, table.schema()));
  }

  private void pauseBeforeIfAsked(TableDefinitions table) {
    String pauseBefore = spark.sparkContext().conf().get(PAUSE_BEFORE_TABLE_KEY, "");
    if (!pauseBefore.equals(table.tableName())) {
      return;
    }
    long millis = spark.sparkContext().conf().getLong(PAUSE_MILLIS_KEY, 600_000L);
    LOG.warn(
        "Test hook {}: pausing {} ms before writing table {}",
        PAUSE_BEFORE_TABLE_KEY,
        millis,
        table.tableName());
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted in the test pause before " + table, e);
    }
  }

  /**
   * Replaces partition (run_date, model) of {@code table} with {@code rows}, atomically. An empty
   * frame would replace no partition, so it deletes the partition instead (also one commit).
   */
  private void overwrite(TableDefinitions table, RunKey k, Dataset<Row> rows) {
    String name = qualified(table);
    pauseBeforeIfAsked(table);
    long start = System.nanoTime();
    try {
      if (rows.isEmpty()) {
        rows.writeTo(name)
            .overwrite(
                col("run_date")
                    .equalTo(lit(k.runDate()))
                    .and(col("model").equalTo(lit(k.model()))));
      } else {
        rows.writeTo(name).overwritePartitions();
      }
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new ArborException(
          ExitCode.FAILURE, "Cannot write table " + name + ": it does not exist", e);
    }
    LOG.info(
        "Replaced partition run_date={}, model={} of {} ({} ms)",
        k.runDate(),
        k.model(),
        name,
        (System.nanoTime() - start) / 1_000_000);
  }
}

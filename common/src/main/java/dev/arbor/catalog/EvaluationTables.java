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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
   * @throws ArborException when an existing table has another schema version than this code
   */
  public static EvaluationTables open(SparkSession spark, CatalogSettings catalog) {
    catalog.prepareLocalStorage();
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
    List<Row> props =
        spark
            .sql("SHOW TBLPROPERTIES " + name + " ('" + TableDefinitions.VERSION_PROPERTY + "')")
            .collectAsList();
    String found = props.isEmpty() ? null : props.get(0).getString(1);
    String expected = Integer.toString(TableDefinitions.SCHEMA_VERSION);
    if (!expected.equals(found)) {
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
  }

  /** Replaces the run's row in {@code runs}. Write it last (see the class comment). */
  public void writeRun(RunRecord run) {
    RunKey k = run.key();
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
                run.startedAt() == null ? null : Timestamp.from(run.startedAt()),
                run.finishedAt() == null ? null : Timestamp.from(run.finishedAt()),
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
                run.message())));
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
                  col(PredictionColumns.PREDICTION).cast(DataTypes.DoubleType).as("prediction"));
      all = all == null ? part : all.unionByName(part);
    }
    if (all == null) {
      all = spark.createDataFrame(List.of(), TableDefinitions.PREDICTIONS.schema());
    }
    overwrite(TableDefinitions.PREDICTIONS, k, all);
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

  /**
   * Replaces partition (run_date, model) of {@code table} with {@code rows}, atomically. An empty
   * frame would replace no partition, so it deletes the partition instead (also one commit).
   */
  private void overwrite(TableDefinitions table, RunKey k, Dataset<Row> rows) {
    String name = qualified(table);
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

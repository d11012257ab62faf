package dev.arbor.report;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import dev.arbor.catalog.CatalogSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a report shows, read from the evaluation tables with SQL (never from the model files).
 * Immutable.
 *
 * <p>Every table is read through the run's {@code runs} row, its commit marker (written last): only
 * rows whose {@code run_id} is the one that row names are shown. Iceberg commits each table on its
 * own, so a run killed between two tables' commits can leave, for example, {@code metrics} of the
 * new run next to {@code curves} of the old one; joining on {@code run_id} never mixes them.
 *
 * @param model model name
 * @param runDate the run date reported
 * @param run the {@code runs} row: column name to value
 * @param previousDate the latest earlier run date with a succeeded run, if any
 * @param metrics the run's metrics
 * @param previousMetrics the previous run date's metrics (empty without one)
 * @param curves curve points by split, then curve name ({@code roc}, {@code pr}, {@code
 *     calibration}), in {@code seq} order
 * @param confusion confusion cells by split
 * @param history the per-iteration history of the kept model ({@code candidate = 'final'})
 * @param candidates one summary row per candidate (empty with a single candidate)
 * @param topCoefficients the largest coefficients by absolute standardized weight, intercepts left
 *     out
 * @param config the run's effective configuration ({@code runs.config_json}) as dotted keys to
 *     values, sorted
 * @param trend the test metric of every committed run of the model up to {@code runDate}
 */
public record ReportData(
    String model,
    LocalDate runDate,
    Map<String, Object> run,
    Optional<LocalDate> previousDate,
    List<MetricRow> metrics,
    List<MetricRow> previousMetrics,
    Map<String, Map<String, List<Point>>> curves,
    Map<String, List<Cell>> confusion,
    List<Step> history,
    List<Step> candidates,
    List<Coefficient> topCoefficients,
    Map<String, String> config,
    NightlyTrend trend) {
  private static final Logger LOG = LoggerFactory.getLogger(ReportData.class);

  /** One metric value. {@code className} and {@code threshold} may be null. */
  public record MetricRow(
      String split, String metric, String className, Double threshold, double value) {
    /** {@code metric} or {@code metric[class]}. */
    public String key() {
      return className == null ? metric : metric + "[" + className + "]";
    }
  }

  /** A curve point. */
  public record Point(double x, double y, Double threshold, long count) {}

  /** A confusion matrix cell. */
  public record Cell(String actual, String predicted, long count, double weight) {}

  /** A history row; {@code validationMetric} may be null. */
  public record Step(String candidate, int iteration, double trainLoss, Double validationMetric) {}

  /** A coefficient; {@code className} null except for multiclass models. */
  public record Coefficient(String className, String feature, double weight, double weightScaled) {}

  /**
   * Runs the report's queries.
   *
   * @param topN how many coefficients to keep
   * @throws ArborException (usage, exit 2) when the tables hold no run of the model on that date
   */
  public static ReportData load(
      SparkSession spark, CatalogSettings catalog, String model, LocalDate runDate, int topN) {
    Query q = new Query(spark, catalog, dev.arbor.catalog.Names.check("model name", model));
    List<Row> runs = q.runRows(runDate);
    if (runs.isEmpty()) {
      throw new ArborException(
          ExitCode.USAGE,
          "Cannot write the report: no run of model "
              + model
              + " on "
              + runDate
              + " in "
              + catalog.qualified("runs")
              + " (run `evaluate` or `pipeline` for that date first)");
    }
    Row r = runs.get(0);
    RunRef current = new RunRef(runDate, r.getAs("run_id"));
    Map<String, Object> run = new LinkedHashMap<>();
    for (String f : r.schema().fieldNames()) {
      run.put(f, r.getAs(f));
    }
    Optional<LocalDate> previous =
        Optional.ofNullable(
                spark
                    .sql(
                        "SELECT max(run_date) FROM "
                            + catalog.qualified("runs")
                            + " WHERE model = '"
                            + model
                            + "' AND status = 'succeeded' AND run_date < DATE'"
                            + runDate
                            + "'")
                    .first()
                    .getDate(0))
            .map(java.sql.Date::toLocalDate);
    Map<String, String> config = NightlyTrend.flatten((String) run.get("config_json"));
    String task = run.get("task") == null ? "" : (String) run.get("task");
    Optional<RunRef> previousRun =
        previous.flatMap(
            d -> q.runRows(d).stream().findFirst().map(p -> new RunRef(d, p.getAs("run_id"))));
    return new ReportData(
        model,
        runDate,
        run,
        previous,
        metrics(q, current),
        previousRun.map(p -> metrics(q, p)).orElse(List.of()),
        curves(q, current),
        confusion(q, current),
        steps(
            q.rows(
                "history",
                current,
                "candidate, iteration, train_loss, validation_metric",
                "AND candidate = 'final' ORDER BY iteration")),
        steps(
            q.rows(
                "history",
                current,
                "candidate, iteration, train_loss, validation_metric",
                "AND candidate <> 'final' ORDER BY candidate")),
        coefficients(q, current, topN),
        config,
        NightlyTrend.load(spark, catalog, model, runDate, task, config));
  }

  private static List<MetricRow> metrics(Query q, RunRef run) {
    List<MetricRow> out = new ArrayList<>();
    for (Row r :
        q.rows(
            "metrics",
            run,
            "split, metric, class, threshold, value",
            "ORDER BY split, metric, class")) {
      out.add(
          new MetricRow(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.isNullAt(3) ? null : r.getDouble(3),
              r.getDouble(4)));
    }
    return out;
  }

  private static Map<String, Map<String, List<Point>>> curves(Query q, RunRef run) {
    Map<String, Map<String, List<Point>>> out = new LinkedHashMap<>();
    for (Row r :
        q.rows(
            "curves", run, "split, curve, x, y, threshold, count", "ORDER BY split, curve, seq")) {
      out.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.getString(1), k -> new ArrayList<>())
          .add(
              new Point(
                  r.getDouble(2),
                  r.getDouble(3),
                  r.isNullAt(4) ? null : r.getDouble(4),
                  r.isNullAt(5) ? 0 : r.getLong(5)));
    }
    return out;
  }

  private static Map<String, List<Cell>> confusion(Query q, RunRef run) {
    Map<String, List<Cell>> out = new LinkedHashMap<>();
    for (Row r :
        q.rows(
            "confusion",
            run,
            "split, actual, predicted, count, weight",
            "ORDER BY split, actual, predicted")) {
      out.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(new Cell(r.getString(1), r.getString(2), r.getLong(3), r.getDouble(4)));
    }
    return out;
  }

  private static List<Step> steps(List<Row> rows) {
    List<Step> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(
          new Step(
              r.getString(0), r.getInt(1), r.getDouble(2), r.isNullAt(3) ? null : r.getDouble(3)));
    }
    return out;
  }

  private static List<Coefficient> coefficients(Query q, RunRef run, int topN) {
    List<Coefficient> out = new ArrayList<>();
    for (Row r :
        q.rows(
            "coefficients",
            run,
            "class, feature, weight, weight_scaled",
            "AND feature <> '(intercept)' ORDER BY abs(weight_scaled) DESC, feature LIMIT "
                + topN)) {
      out.add(new Coefficient(r.getString(0), r.getString(1), r.getDouble(2), r.getDouble(3)));
    }
    return out;
  }

  /** The metric rows of one split, by {@link MetricRow#key()}. */
  public Map<String, MetricRow> metricsOf(List<MetricRow> rows, String split) {
    Map<String, MetricRow> out = new LinkedHashMap<>();
    for (MetricRow m : rows) {
      if (m.split().equals(split)) {
        out.put(m.key(), m);
      }
    }
    return out;
  }

  /**
   * Runs {@code SELECT <columns> FROM <table> WHERE model = … AND run_date = … AND run_id = …
   * <rest>}: only rows of the run that the {@code runs} row (the run's commit marker) names.
   */
  private record Query(SparkSession spark, CatalogSettings catalog, String model) {
    List<Row> rows(String table, RunRef run, String columns, String rest) {
      Dataset<Row> df =
          spark.sql(
              "SELECT "
                  + columns
                  + " FROM "
                  + catalog.qualified(table)
                  + " WHERE model = '"
                  + model
                  + "' AND run_date = DATE'"
                  + run.date()
                  + "' AND run_id = '"
                  + run.runId()
                  + "' "
                  + rest);
      List<Row> rows = df.collectAsList();
      if (rows.isEmpty()) {
        warnIfOtherRun(table, run);
      }
      return rows;
    }

    /** The rows of {@code runs} for one date (at most one: the table's partition holds one run). */
    List<Row> runRows(LocalDate date) {
      return spark
          .sql(
              "SELECT * FROM "
                  + catalog.qualified("runs")
                  + " WHERE model = '"
                  + model
                  + "' AND run_date = DATE'"
                  + date
                  + "'")
          .collectAsList();
    }

    private void warnIfOtherRun(String table, RunRef run) {
      List<Row> others =
          spark
              .sql(
                  "SELECT DISTINCT run_id FROM "
                      + catalog.qualified(table)
                      + " WHERE model = '"
                      + model
                      + "' AND run_date = DATE'"
                      + run.date()
                      + "' AND run_id <> '"
                      + run.runId()
                      + "'")
              .collectAsList();
      if (!others.isEmpty()) {
        LOG.warn(
            "Table {} holds rows of run {} for {} {}, not of run {} that the runs table records"
                + " (a run that stopped between two tables' commits): they are left out; re-run"
                + " the date",
            catalog.qualified(table),
            others.get(0).getString(0),
            model,
            run.date(),
            run.runId());
      }
    }
  }

  /** A committed run: its date and the run id its {@code runs} row names. */
  private record RunRef(LocalDate date, String runId) {}
}

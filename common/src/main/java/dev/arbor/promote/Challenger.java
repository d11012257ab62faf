package dev.arbor.promote;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.RunKey;
import dev.arbor.catalog.RunRecord;
import dev.arbor.catalog.TableDefinitions;
import dev.arbor.evaluate.RunIds;
import dev.arbor.model.Model;
import dev.arbor.model.ModelStore;
import dev.arbor.prep.PrepModel;
import dev.arbor.store.RunLayout;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the gate knows about the run it decides on (the challenger): its {@code runs} row, its model
 * file (which must still be the evaluated one), the data checks and its test score by the gate
 * metric.
 *
 * @param key the run
 * @param modelPath the run-date model file
 * @param prepPath the run-date prep model file
 * @param model the model read from {@code modelPath}
 * @param dataProblem the failed data check, in words, or empty
 * @param score the test score by the gate metric; null only when a data check failed
 */
record Challenger(
    RunKey key,
    String modelPath,
    String prepPath,
    Model model,
    Optional<String> dataProblem,
    Double score) {

  /**
   * Reads the run of {@code runDate}.
   *
   * @throws ArborException (exit 1) when the run was not evaluated, its model changed since, or it
   *     has no test score while passing the data checks
   */
  static Challenger load(
      SparkSession spark, PromoteSettings s, EvaluationTables tables, LocalDate runDate) {
    String model = s.modelName();
    RunRecord run =
        tables
            .readRun(model, runDate)
            .orElseThrow(
                () ->
                    cannotPromote(
                        model,
                        runDate,
                        "no row in "
                            + tables.qualified(TableDefinitions.RUNS)
                            + " (run the evaluate stage for that date first)"));
    RunKey key = run.key();
    RunLayout layout = new RunLayout(s.outputRoot(), model, runDate);
    String modelPath = layout.modelFile();
    String prepPath = layout.prepared(PrepModel.FILE_NAME);
    Model challenger = ModelStore.read(modelPath, spark.sparkContext().hadoopConfiguration());
    String modelRunId =
        RunIds.of(model, runDate, challenger.configJson(), challenger.dataFingerprint());
    if (!modelRunId.equals(key.runId())) {
      throw cannotPromote(
          model,
          runDate,
          "the model "
              + modelPath
              + " is run "
              + modelRunId
              + " but the tables hold run "
              + key.runId()
              + " (run the evaluate stage again)");
    }
    Optional<String> dataProblem = dataProblem(s, run);
    Double challengerScore = challengerScore(spark, tables, key, s.metric().name());
    if (challengerScore == null && dataProblem.isEmpty()) {
      throw cannotPromote(
          model,
          runDate,
          "no test "
              + s.metric().name()
              + " in "
              + tables.qualified(TableDefinitions.METRICS)
              + " for run "
              + key.runId()
              + " (the gate needs a non-empty test split; set promote.enabled = false for a run"
              + " without one)");
    }

    return new Challenger(key, modelPath, prepPath, challenger, dataProblem, challengerScore);
  }

  private static ArborException cannotPromote(String model, LocalDate runDate, String why) {
    return new ArborException(
        ExitCode.FAILURE, "Cannot promote model " + model + " for " + runDate + ": " + why);
  }

  /** The failed data check, in words, or empty when they pass or are not required. */
  private static Optional<String> dataProblem(PromoteSettings s, RunRecord run) {
    if (!s.requireDataChecks()) {
      return Optional.empty();
    }
    if (!"succeeded".equals(run.status())) {
      return Optional.of("the run's status is " + run.status() + " (expected succeeded)");
    }
    long rejected = orZero(run.rowsRejected());
    long total =
        orZero(run.rowsTrain()) + orZero(run.rowsValidation()) + orZero(run.rowsTest()) + rejected;
    double fraction = total == 0 ? 0 : (double) rejected / total;
    if (fraction > s.maxRejectedFraction()) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "prepare rejected %d of %d input rows (%.4f) > promote.max-rejected-fraction %s",
              rejected,
              total,
              fraction,
              s.maxRejectedFraction()));
    }
    return Optional.empty();
  }

  private static long orZero(Long n) {
    return n == null ? 0 : n;
  }

  private static Double challengerScore(
      SparkSession spark, EvaluationTables tables, RunKey key, String metric) {
    List<Row> rows =
        spark
            .table(tables.qualified(TableDefinitions.METRICS))
            .where(
                col("model")
                    .equalTo(lit(key.model()))
                    .and(col("run_date").equalTo(lit(key.runDate())))
                    .and(col("run_id").equalTo(lit(key.runId())))
                    .and(col("split").equalTo(lit("test")))
                    .and(col("metric").equalTo(lit(metric)))
                    .and(col("class").isNull()))
            .select("value")
            .collectAsList();
    return rows.isEmpty() || rows.get(0).isNullAt(0) ? null : rows.get(0).getDouble(0);
  }
}

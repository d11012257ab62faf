package dev.arbor.evaluate;

import dev.arbor.DataValidationException;
import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.RunKey;
import dev.arbor.catalog.RunRecord;
import dev.arbor.catalog.StageOutcome;
import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.metrics.BinaryEvaluator;
import dev.arbor.eval.metrics.Evaluators;
import dev.arbor.ingest.Task;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code evaluate} stage for one (model, run date): computes the metrics of every non-empty
 * split and writes the run's partition of every evaluation table.
 *
 * <p>Binary models are evaluated at the configured threshold ({@code evaluate.threshold}) and at
 * the F1-optimal threshold chosen on the validation split, applied unchanged to every split
 * (metrics with suffix {@code _at_opt}): the test metrics at that threshold are an honest estimate.
 *
 * <p>Write order: {@code metrics}/{@code curves}/{@code confusion}, {@code predictions}, {@code
 * history}, {@code coefficients}, then the {@code runs} row ({@code succeeded}) LAST, so a run
 * whose {@code runs.status} is {@code succeeded} has all its rows. Each table write replaces the
 * (run_date, model) partition atomically; the run id is deterministic ({@link RunIds}), so
 * re-running a date leaves the same table contents (up to the wall-clock columns of {@code runs}).
 * When the stage fails after opening the tables, it replaces the {@code runs} row with a {@code
 * failed} one naming the error, then rethrows.
 */
public final class EvaluateStage {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateStage.class);

  /** The stage's name in the stage ledger ({@code runs.stages}). */
  public static final String STAGE = "evaluate";

  private EvaluateStage() {}

  /**
   * Runs the stage without stage bookkeeping: the {@code runs} row's {@code stages} stays empty.
   *
   * @param runDate the logical run date (partition of every table)
   * @throws DataValidationException when a Predictions frame violates its contract
   */
  public static EvaluateResult run(
      SparkSession spark, EvaluateSettings settings, LocalDate runDate, EvaluationInputs in) {
    return run(spark, settings, runDate, in, Map.of(), null);
  }

  /**
   * Runs the stage and records, in the {@code runs} row it writes, the outcomes of the earlier
   * stages and its own ({@value #STAGE}: output fingerprint = the run id).
   *
   * @param completed the earlier stages' recorded outcomes, in order
   * @param starting this stage's outcome so far, or null to record no stages
   * @throws DataValidationException when a Predictions frame violates its contract
   */
  public static EvaluateResult run(
      SparkSession spark,
      EvaluateSettings settings,
      LocalDate runDate,
      EvaluationInputs in,
      Map<String, StageOutcome> completed,
      StageOutcome starting) {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    RunKey key =
        new RunKey(
            settings.modelName(),
            runDate,
            RunIds.of(settings.modelName(), runDate, in.configJson(), in.dataFingerprint()));
    LOG.info("Evaluating {} ({}) for {}, run id {}", key.model(), in.task(), runDate, key.runId());
    EvaluationTables tables = EvaluationTables.open(spark, settings.catalog());
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Map<String, Dataset<Row>> splits = new LinkedHashMap<>();
      for (Map.Entry<String, Dataset<Row>> e : in.predictions().entrySet()) {
        Dataset<Row> frame = e.getValue().persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(frame);
        if (frame.isEmpty()) {
          LOG.info("Split {} is empty: not evaluated", e.getKey());
        } else {
          splits.put(e.getKey(), frame);
        }
      }
      EvalSettings metricSettings = settings.metrics().withClassNames(in.classes());
      double opt = Double.NaN;
      Map<String, Evaluation> evaluations = new LinkedHashMap<>();
      if (in.task() == Task.BINARY) {
        BinaryEvaluator binary = Evaluators.binary(metricSettings);
        opt = optimalThreshold(binary, splits.get("validation"));
        for (Map.Entry<String, Dataset<Row>> e : splits.entrySet()) {
          evaluations.put(e.getKey(), binary.evaluate(e.getValue(), opt));
        }
      } else {
        var evaluator = Evaluators.forTask(in.task(), metricSettings);
        for (Map.Entry<String, Dataset<Row>> e : splits.entrySet()) {
          evaluations.put(e.getKey(), evaluator.evaluate(e.getValue()));
        }
      }
      tables.writeEvaluations(key, evaluations);
      Map<String, Dataset<Row>> predictionsOut = new LinkedHashMap<>();
      for (String split : settings.predictionSplits()) {
        if (in.predictions().containsKey(split)) {
          predictionsOut.put(split, in.predictions().get(split));
        }
      }
      tables.writePredictions(key, predictionsOut);
      tables.writeHistory(key, in.history());
      tables.writeCandidates(key, in.candidates());
      tables.writeCoefficients(key, in.coefficients());
      long evaluateMs = (System.nanoTime() - start) / 1_000_000;
      tables.writeRun(
          record(
              spark,
              key,
              in,
              "succeeded",
              startedAt,
              evaluateMs,
              null,
              stages(completed, starting == null ? null : starting.succeededWith(key.runId()))));
      EvaluateResult result = new EvaluateResult(key, in.task(), evaluations, opt, evaluateMs);
      LOG.info("{} ({} ms)", result.summaryLine(), evaluateMs);
      return result;
    } catch (RuntimeException e) {
      long evaluateMs = (System.nanoTime() - start) / 1_000_000;
      try {
        String message = String.valueOf(e.getMessage());
        tables.writeRun(
            record(
                spark,
                key,
                in,
                "failed",
                startedAt,
                evaluateMs,
                message,
                stages(completed, starting == null ? null : starting.failedWith(message))));
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** The F1-optimal threshold on validation, or NaN when it cannot be chosen. */
  private static double optimalThreshold(BinaryEvaluator binary, Dataset<Row> validation) {
    if (validation == null) {
      LOG.warn("No validation rows: metrics at the F1-optimal threshold are left out");
      return Double.NaN;
    }
    try {
      return binary.bestF1Threshold(validation);
    } catch (DataValidationException e) {
      if (e.getMessage() != null && e.getMessage().contains("no positive row")) {
        LOG.warn("{}: metrics at the F1-optimal threshold are left out", e.getMessage());
        return Double.NaN;
      }
      throw e;
    }
  }

  private static RunRecord record(
      SparkSession spark,
      RunKey key,
      EvaluationInputs in,
      String status,
      Instant startedAt,
      long evaluateMs,
      String message,
      Map<String, StageOutcome> stages) {
    return new RunRecord(
        key,
        in.task().configName(),
        status,
        startedAt,
        Instant.now(),
        in.configJson(),
        in.dataFingerprint(),
        in.counts().train(),
        in.counts().validation(),
        in.counts().test(),
        in.counts().rejected(),
        in.prepareMs(),
        in.trainMs(),
        evaluateMs,
        arborVersion(),
        spark.version(),
        org.apache.iceberg.IcebergBuild.version(),
        message,
        stages);
  }

  private static Map<String, StageOutcome> stages(
      Map<String, StageOutcome> completed, StageOutcome own) {
    Map<String, StageOutcome> all = new LinkedHashMap<>(completed);
    if (own != null) {
      all.put(STAGE, own);
    }
    return all;
  }

  /** The Arbor version ({@link dev.arbor.ArborVersion}). */
  public static String arborVersion() {
    return dev.arbor.ArborVersion.get();
  }
}

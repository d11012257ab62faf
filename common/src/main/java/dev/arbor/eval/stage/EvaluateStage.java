package dev.arbor.eval.stage;

import dev.arbor.DataValidationException;
import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.RunKey;
import dev.arbor.catalog.RunRecord;
import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.metrics.BinaryEvaluator;
import dev.arbor.eval.metrics.Evaluators;
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

  private EvaluateStage() {}

  /**
   * Runs the stage.
   *
   * @param runDate the logical run date (partition of every table)
   * @throws DataValidationException when a Predictions frame violates its contract
   */
  public static EvaluateResult run(
      SparkSession spark, EvaluateSettings settings, LocalDate runDate, EvaluationInputs in) {
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
      if (in.task().equals("binary")) {
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
      tables.writeRun(record(spark, key, in, "succeeded", startedAt, evaluateMs, null));
      EvaluateResult result = new EvaluateResult(key, in.task(), evaluations, opt, evaluateMs);
      LOG.info("{} ({} ms)", result.summaryLine(), evaluateMs);
      return result;
    } catch (RuntimeException e) {
      long evaluateMs = (System.nanoTime() - start) / 1_000_000;
      try {
        tables.writeRun(
            record(
                spark, key, in, "failed", startedAt, evaluateMs, String.valueOf(e.getMessage())));
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
      String message) {
    return new RunRecord(
        key,
        in.task(),
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
        message);
  }

  /** The jar's implementation version, or {@code dev} when run from classes (tests, IDE). */
  static String arborVersion() {
    String v = EvaluateStage.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

package dev.arbor.runs.table;

import dev.arbor.ArborVersion;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.RunKey;
import dev.arbor.catalog.RunRecord;
import dev.arbor.catalog.StageOutcome;
import dev.arbor.catalog.TableDefinitions;
import dev.arbor.config.ArborConfig;
import dev.arbor.evaluate.RunIds;
import dev.arbor.runs.StageLedger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link StageLedger} in the {@code runs} table: the outcomes are the {@code stages} map of the
 * run row of (model, run date), so {@code runs} stays one row per run.
 *
 * <p>Rows it writes itself (after prepare or train, or after any stage failed before the evaluation
 * was committed) replace the run row of that date: {@code status} {@code running} (the evaluation
 * is not written yet) or {@code failed} (with the stage's error in {@code message}), {@code run_id}
 * computed like the evaluation's ({@link RunIds}) from the resolved configuration without a data
 * fingerprint, {@code prepare_ms}/{@code train_ms} from the recorded stages, and no row counts or
 * evaluation time. A stage after a committed evaluation (a later stage) only adds its outcome to
 * the committed row; if it failed, {@code message} names it and {@code status} stays {@code
 * succeeded}, since the evaluation is still valid.
 */
public final class RunsTableLedger implements StageLedger {
  private final SparkSession spark;
  private final ArborConfig config;
  private EvaluationTables tables;

  /**
   * A ledger in the catalog of {@code config} ({@code catalog} section); the tables are opened (and
   * created or upgraded) on first use.
   */
  public RunsTableLedger(SparkSession spark, ArborConfig config) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.config = Objects.requireNonNull(config, "config");
  }

  private synchronized EvaluationTables tables() {
    if (tables == null) {
      tables = EvaluationTables.open(spark, CatalogSettings.from(config));
    }
    return tables;
  }

  /** The run row of (model, run date), if any. */
  public Optional<RunRecord> run(String model, LocalDate runDate) {
    return tables().readRun(model, runDate);
  }

  /**
   * Whether every table that a committed evaluation always fills ({@code metrics}, {@code
   * coefficients}) still holds rows of run {@code k}.
   */
  public boolean hasEvaluationRows(RunKey k) {
    return tables().hasRows(TableDefinitions.METRICS, k)
        && tables().hasRows(TableDefinitions.COEFFICIENTS, k);
  }

  @Override
  public Map<String, StageOutcome> recorded(String model, LocalDate runDate) {
    return run(model, runDate).map(RunRecord::stages).orElse(Map.of());
  }

  @Override
  public void record(String model, LocalDate runDate, Map<String, StageOutcome> stages) {
    if (stages.isEmpty()) {
      return;
    }
    List<Map.Entry<String, StageOutcome>> entries = List.copyOf(stages.entrySet());
    Map.Entry<String, StageOutcome> last = entries.get(entries.size() - 1);
    String failure =
        last.getValue().succeeded() ? null : last.getKey() + ": " + last.getValue().message();
    Optional<RunRecord> existing = run(model, runDate);
    if (existing.isPresent() && addsTo(existing.get(), stages)) {
      RunRecord r = existing.get();
      tables()
          .writeRun(
              new RunRecord(
                  r.key(),
                  r.task(),
                  r.status(),
                  r.startedAt(),
                  r.finishedAt(),
                  r.configJson(),
                  r.dataFingerprint(),
                  r.rowsTrain(),
                  r.rowsValidation(),
                  r.rowsTest(),
                  r.rowsRejected(),
                  r.prepareMs(),
                  r.trainMs(),
                  r.evaluateMs(),
                  r.arborVersion(),
                  r.sparkVersion(),
                  r.icebergVersion(),
                  failure != null ? failure : r.message(),
                  stages));
      return;
    }
    String configJson = config.canonicalJson();
    tables()
        .writeRun(
            new RunRecord(
                new RunKey(model, runDate, RunIds.of(model, runDate, configJson, "")),
                config.string("schema.task"),
                failure == null ? "running" : "failed",
                stages.values().stream()
                    .map(StageOutcome::startedAt)
                    .filter(Objects::nonNull)
                    .min(Comparator.naturalOrder())
                    .orElse(null),
                failure == null ? null : Instant.now(),
                configJson,
                null,
                null,
                null,
                null,
                null,
                durationOf(stages, "prepare"),
                durationOf(stages, "train"),
                null,
                ArborVersion.get(),
                spark.version(),
                org.apache.iceberg.IcebergBuild.version(),
                failure,
                stages));
  }

  /**
   * Whether {@code row} is a committed run (status {@code succeeded}) whose recorded stages are all
   * unchanged in {@code stages}: then {@code stages} only adds a later stage to it.
   */
  private static boolean addsTo(RunRecord row, Map<String, StageOutcome> stages) {
    if (!StageOutcome.SUCCEEDED.equals(row.status()) || row.stages().isEmpty()) {
      return false;
    }
    for (Map.Entry<String, StageOutcome> e : row.stages().entrySet()) {
      if (!e.getValue().equals(stages.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static Long durationOf(Map<String, StageOutcome> stages, String stage) {
    StageOutcome o = stages.get(stage);
    return o == null ? null : o.durationMs();
  }
}

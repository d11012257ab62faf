package dev.arbor.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the {@code runs} table. Every field but {@code key} may be {@code null} when unknown.
 *
 * @param key model, run date, run id
 * @param task {@code binary}, {@code multiclass} or {@code regression}
 * @param status {@code succeeded}, {@code failed} or {@code running}
 * @param startedAt when the run started
 * @param finishedAt when it ended
 * @param configJson the resolved configuration as canonical JSON (secrets redacted)
 * @param dataFingerprint a hash identifying the input data (for example of the input files)
 * @param rowsTrain rows of the train split
 * @param rowsValidation rows of the validation split
 * @param rowsTest rows of the test split
 * @param rowsRejected rows rejected by data validation
 * @param prepareMs duration of the prepare stage, milliseconds
 * @param trainMs duration of the train stage, milliseconds
 * @param evaluateMs duration of the evaluate stage, milliseconds
 * @param arborVersion Arbor's version
 * @param sparkVersion Spark's version
 * @param icebergVersion Iceberg's version
 * @param message error message of a failed run, or a note
 * @param stages stage name to its recorded outcome (the stage ledger), in stage order; never null
 */
public record RunRecord(
    RunKey key,
    String task,
    String status,
    Instant startedAt,
    Instant finishedAt,
    String configJson,
    String dataFingerprint,
    Long rowsTrain,
    Long rowsValidation,
    Long rowsTest,
    Long rowsRejected,
    Long prepareMs,
    Long trainMs,
    Long evaluateMs,
    String arborVersion,
    String sparkVersion,
    String icebergVersion,
    String message,
    Map<String, StageOutcome> stages) {
  public RunRecord {
    Objects.requireNonNull(key, "key");
    stages =
        stages == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stages));
  }
}

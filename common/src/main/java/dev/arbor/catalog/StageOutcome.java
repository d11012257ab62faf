package dev.arbor.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The recorded outcome of one stage for a (model, run date): one value of the {@code runs.stages}
 * map. Immutable.
 *
 * @param status {@value #SUCCEEDED} or {@value #FAILED}
 * @param inputFingerprint what the stage read (see {@code dev.arbor.runs.Step#inputFingerprint})
 * @param configHash hash of the config sections the stage depends on ({@code
 *     dev.arbor.runs.Step#configHash})
 * @param outputFingerprint what the stage wrote ({@code dev.arbor.runs.Step#outputFingerprint});
 *     null when failed
 * @param startedAt when the stage started (UTC)
 * @param finishedAt when it ended
 * @param durationMs its wall-clock duration, milliseconds
 * @param message the error of a failed stage; null otherwise
 */
public record StageOutcome(
    String status,
    String inputFingerprint,
    String configHash,
    String outputFingerprint,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    String message) {

  /** Status of a stage that committed its outputs. */
  public static final String SUCCEEDED = "succeeded";

  /** Status of a stage that threw. */
  public static final String FAILED = "failed";

  public StageOutcome {
    Objects.requireNonNull(status, "status");
  }

  /**
   * The clock at the precision the tables keep (microseconds), so outcomes read back compare equal.
   */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /** Whether the stage committed its outputs. */
  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  /** A stage about to run: its inputs and config, started now. */
  public static StageOutcome starting(String inputFingerprint, String configHash) {
    return new StageOutcome("running", inputFingerprint, configHash, null, now(), null, null, null);
  }

  /** This starting stage, succeeded now with {@code output}. */
  public StageOutcome succeededWith(String output) {
    return ended(SUCCEEDED, output, null);
  }

  /** This starting stage, failed now with {@code error}. */
  public StageOutcome failedWith(String error) {
    return ended(FAILED, null, error);
  }

  private StageOutcome ended(String endStatus, String output, String error) {
    Instant end = now();
    return new StageOutcome(
        endStatus,
        inputFingerprint,
        configHash,
        output,
        startedAt,
        end,
        Duration.between(startedAt, end).toMillis(),
        error);
  }
}

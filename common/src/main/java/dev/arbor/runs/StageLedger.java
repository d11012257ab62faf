package dev.arbor.runs;

import java.time.LocalDate;

/**
 * Whether a stage has completed for a model and run date, so that a resumable command (backfill)
 * can skip it. Implementations must answer {@code true} only when the stage's outputs for that
 * model and date are committed (a stage that died half-way is not complete). Thread-safe.
 */
public interface StageLedger {
  /**
   * Whether {@code stage} (a command name: {@code prepare}, {@code train}, ...) completed for
   * {@code model} and {@code runDate}. A stage the ledger knows nothing about is not complete.
   */
  boolean isComplete(String stage, String model, LocalDate runDate);
}

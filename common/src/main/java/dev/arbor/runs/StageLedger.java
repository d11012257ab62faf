package dev.arbor.runs;

import dev.arbor.catalog.StageOutcome;
import java.time.LocalDate;
import java.util.Map;

/**
 * Where the outcome of every stage of a (model, run date) is recorded, so that a re-run can skip
 * the stages that completed for the same inputs and config ({@link StageRunner}). The recorded map
 * holds the stages of the current attempt that are still valid: when a stage runs again, it and
 * every later stage are dropped from it until they run again.
 */
public interface StageLedger {
  /** The recorded outcomes of (model, run date), by stage name; empty when none. */
  Map<String, StageOutcome> recorded(String model, LocalDate runDate);

  /**
   * Records {@code stages} (every still-valid stage, the one that just ended last) for (model, run
   * date), atomically. When the recorded run is committed (its evaluation succeeded) and every
   * stage recorded with it is unchanged in {@code stages}, the run stays committed and only a later
   * stage's outcome is added; otherwise the run is recorded as {@code running} (or {@code failed}
   * when the last stage failed), replacing the previous run of that date.
   */
  void record(String model, LocalDate runDate, Map<String, StageOutcome> stages);
}

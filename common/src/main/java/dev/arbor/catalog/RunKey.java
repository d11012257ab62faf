package dev.arbor.catalog;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Identifies a run in every table: the partition ({@code run_date}, {@code model}) it replaces, and
 * the id of the attempt that wrote it.
 *
 * @param model model name ({@code [A-Za-z0-9_]+}, checked)
 * @param runDate the logical run date (the scheduler's date, not the wall clock)
 * @param runId unique id of the attempt (for example a UUID); a retry gets a new one
 */
public record RunKey(String model, LocalDate runDate, String runId) {
  public RunKey {
    Names.check("model name", model);
    Objects.requireNonNull(runDate, "runDate");
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("Invalid run id: '" + runId + "' (expected non-blank)");
    }
  }
}

package dev.arbor.catalog;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A row of the {@code promotions} table: the promotion gate's decision for one run.
 *
 * @param key the run (model, run date, run id)
 * @param metric the gate metric
 * @param challengerScore the run's test score
 * @param championRunDate the champion's run date, or {@code null} when there was none
 * @param championRunId the champion's run id, or {@code null}
 * @param championScore the champion's score on the run's test split, or {@code null}
 * @param tolerance the largest allowed drop
 * @param decision {@code promoted}, {@code rejected} or {@code first}
 * @param reason why, in words
 */
public record PromotionRecord(
    RunKey key,
    String metric,
    Double challengerScore,
    LocalDate championRunDate,
    String championRunId,
    Double championScore,
    double tolerance,
    String decision,
    String reason) {
  public PromotionRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(decision, "decision");
  }
}

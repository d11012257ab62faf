package dev.arbor.promote;

import dev.arbor.catalog.RunKey;
import java.util.Locale;
import java.util.Objects;

/**
 * What the promotion gate decided for one run.
 *
 * @param key the run (the challenger)
 * @param metric the gate metric
 * @param challengerScore the run's test score, or {@code null} when the run has none (failed data
 *     checks)
 * @param champion the promoted run it was compared with, or {@code null} when there was none
 * @param championScore the champion's score on the run's test split, or {@code null}
 * @param tolerance the largest allowed drop
 * @param decision the decision
 * @param reason why, in words (as in {@code promotions.reason})
 * @param pointerPath the promoted-model pointer of the model name
 */
public record PromoteResult(
    RunKey key,
    GateMetric metric,
    Double challengerScore,
    PromotedPointer.Entry champion,
    Double championScore,
    double tolerance,
    Decision decision,
    String reason,
    String pointerPath) {
  public PromoteResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * One line for the console, e.g. {@code promoted demo 2026-01-02 (run r-…): test auc_roc 0.7901
   * vs champion 0.7896 (2026-01-01, run r-…), tolerance 0.01 -> …/PROMOTED.json}.
   */
  public String summaryLine() {
    StringBuilder sb =
        new StringBuilder(decision.tableValue())
            .append(' ')
            .append(key.model())
            .append(' ')
            .append(key.runDate())
            .append(" (run ")
            .append(key.runId())
            .append("): ")
            .append(reason);
    if (decision.promotes()) {
      sb.append(" -> ").append(pointerPath);
    } else if (champion != null) {
      sb.append("; the promoted model stays ")
          .append(champion.runDate())
          .append(" (run ")
          .append(champion.runId())
          .append(')');
    } else {
      sb.append("; no model is promoted");
    }
    return sb.toString();
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}

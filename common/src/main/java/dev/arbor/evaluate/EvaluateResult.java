package dev.arbor.evaluate;

import dev.arbor.catalog.RunKey;
import dev.arbor.eval.Evaluation;
import dev.arbor.ingest.Task;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@code evaluate} run wrote.
 *
 * @param key model, run date and run id of the rows written
 * @param task {@code binary}, {@code multiclass} or {@code regression}
 * @param evaluations split to its evaluation, in evaluation order (empty splits left out)
 * @param optimalThreshold binary: the F1-optimal threshold chosen on the validation split, or NaN
 *     when there was none (no validation rows or no positive among them; other tasks)
 * @param evaluateMs the stage's duration, milliseconds
 */
public record EvaluateResult(
    RunKey key,
    Task task,
    Map<String, Evaluation> evaluations,
    double optimalThreshold,
    long evaluateMs) {
  public EvaluateResult {
    evaluations = Collections.unmodifiableMap(new LinkedHashMap<>(evaluations));
  }

  /** One line for the console, e.g. {@code evaluated demo 2026-01-01 (run r-…): test auc_roc …}. */
  public String summaryLine() {
    StringBuilder sb =
        new StringBuilder()
            .append("evaluated ")
            .append(key.model())
            .append(' ')
            .append(key.runDate())
            .append(" (run ")
            .append(key.runId())
            .append(')');
    String split = evaluations.containsKey("test") ? "test" : lastSplit();
    if (split != null) {
      Map<String, Double> v = evaluations.get(split).values();
      sb.append(": ").append(split);
      for (String m : headline(task)) {
        if (v.containsKey(m)) {
          sb.append(' ').append(m).append(' ').append(String.format("%.4f", v.get(m)));
        }
      }
    }
    return sb.toString();
  }

  private String lastSplit() {
    String last = null;
    for (String s : evaluations.keySet()) {
      last = s;
    }
    return last;
  }

  /** The metrics shown first for a task. */
  public static java.util.List<String> headline(Task task) {
    return switch (task) {
      case BINARY -> java.util.List.of("auc_roc", "accuracy", "f1", "log_loss");
      case MULTICLASS -> java.util.List.of("accuracy", "f1_macro", "log_loss");
      case REGRESSION -> java.util.List.of("r2", "rmse", "mae");
    };
  }
}

package dev.arbor.promote;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The metric the promotion gate compares, by its name in the {@code metrics} table (test split,
 * overall value, at {@code evaluate.threshold} for threshold metrics) and its direction.
 *
 * @param name metric name, e.g. {@code auc_roc}
 * @param higherIsBetter whether a larger value is a better model ({@code auc_roc}) or a smaller one
 *     ({@code log_loss})
 */
public record GateMetric(String name, boolean higherIsBetter) {
  /** The configured value that picks the task's default metric. */
  public static final String AUTO = "auto";

  private static final Map<String, Map<String, Boolean>> BY_TASK = byTask();

  /**
   * Whether {@code challenger} passes against {@code champion}: it is not worse by more than {@code
   * tolerance} (absolute, in the metric's units). A NaN challenger never passes.
   */
  public boolean passes(double challenger, double champion, double tolerance) {
    if (Double.isNaN(challenger)) {
      return false;
    }
    return higherIsBetter ? challenger >= champion - tolerance : challenger <= champion + tolerance;
  }

  /** How much worse the challenger is (positive = worse), in the metric's units. */
  public double drop(double challenger, double champion) {
    return higherIsBetter ? champion - challenger : challenger - champion;
  }

  /**
   * The gate metric for {@code configured} ({@code auto} or a metric name) and {@code task}, or
   * empty when the task has no such metric. {@code auto}: {@code auc_roc} (binary), {@code
   * log_loss} (multiclass), {@code rmse} (regression).
   */
  public static Optional<GateMetric> of(String configured, String task) {
    Map<String, Boolean> allowed = BY_TASK.get(task.toLowerCase(Locale.ROOT));
    if (allowed == null) {
      return Optional.empty();
    }
    String name = configured.toLowerCase(Locale.ROOT);
    if (name.equals(AUTO)) {
      name =
          switch (task.toLowerCase(Locale.ROOT)) {
            case "binary" -> "auc_roc";
            case "multiclass" -> "log_loss";
            default -> "rmse";
          };
    }
    Boolean higher = allowed.get(name);
    return higher == null ? Optional.empty() : Optional.of(new GateMetric(name, higher));
  }

  /** The metric names allowed for {@code task}, for error messages. */
  public static String allowedFor(String task) {
    Map<String, Boolean> allowed = BY_TASK.get(task.toLowerCase(Locale.ROOT));
    return allowed == null ? "(none)" : AUTO + ", " + String.join(", ", allowed.keySet());
  }

  private static Map<String, Map<String, Boolean>> byTask() {
    Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
    Map<String, Boolean> binary = new LinkedHashMap<>();
    binary.put("auc_roc", true);
    binary.put("auc_pr", true);
    binary.put("log_loss", false);
    binary.put("brier", false);
    binary.put("accuracy", true);
    binary.put("f1", true);
    binary.put("precision", true);
    binary.put("recall", true);
    out.put("binary", Collections.unmodifiableMap(binary));
    Map<String, Boolean> multi = new LinkedHashMap<>();
    multi.put("log_loss", false);
    multi.put("accuracy", true);
    multi.put("f1_macro", true);
    multi.put("f1_weighted", true);
    multi.put("precision_macro", true);
    multi.put("recall_macro", true);
    out.put("multiclass", Collections.unmodifiableMap(multi));
    Map<String, Boolean> regression = new LinkedHashMap<>();
    regression.put("rmse", false);
    regression.put("mse", false);
    regression.put("mae", false);
    regression.put("r2", true);
    regression.put("explained_variance", true);
    out.put("regression", Collections.unmodifiableMap(regression));
    return Collections.unmodifiableMap(out);
  }
}

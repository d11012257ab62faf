package dev.arbor.promote;

import dev.arbor.eval.MetricSpec;
import dev.arbor.ingest.Task;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The metric the promotion gate compares ({@link MetricSpec}), by its name in the {@code metrics}
 * table (test split, overall value, at {@code evaluate.threshold} for threshold metrics) and its
 * direction.
 *
 * @param name metric name, e.g. {@code auc_roc}
 * @param higherIsBetter whether a larger value is a better model ({@code auc_roc}) or a smaller one
 *     ({@code log_loss})
 */
public record GateMetric(String name, boolean higherIsBetter) {
  /** The configured value that picks the task's default metric. */
  public static final String AUTO = "auto";

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
   * The gate metric for {@code configured} ({@code auto} or a metric name of {@link MetricSpec},
   * old spellings accepted) and {@code task}, or empty when the task has no such metric. {@code
   * auto}: {@link MetricSpec#defaultFor} ({@code auc_roc}, {@code log_loss}, {@code rmse}).
   */
  public static Optional<GateMetric> of(String configured, Task task) {
    Optional<MetricSpec> spec =
        configured.equalsIgnoreCase(AUTO)
            ? Optional.of(MetricSpec.defaultFor(task))
            : MetricSpec.byName(configured);
    return spec.filter(m -> m != MetricSpec.LOSS && m.appliesTo(task))
        .map(m -> new GateMetric(m.tableName(), m.higherIsBetter()));
  }

  /** The metric names allowed for {@code task}, for error messages. */
  public static String allowedFor(Task task) {
    return AUTO
        + ", "
        + MetricSpec.evaluatedFor(task).stream()
            .map(MetricSpec::tableName)
            .collect(Collectors.joining(", "));
  }
}

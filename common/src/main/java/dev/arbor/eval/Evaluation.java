package dev.arbor.eval;

import dev.arbor.ingest.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The evaluation of one predictions frame (one split of one run): what the tables layer writes.
 * Immutable.
 *
 * @param task {@code binary}, {@code multiclass} or {@code regression}
 * @param metrics the metrics, in a fixed order
 * @param curves ROC, PR and calibration curves (binary only; empty otherwise)
 * @param confusion the confusion matrix (classification only; empty for regression); for binary at
 *     the configured threshold
 */
public record Evaluation(
    Task task, List<Metric> metrics, List<Curve> curves, List<ConfusionCell> confusion) {
  public Evaluation {
    Objects.requireNonNull(task, "task");
    metrics = List.copyOf(metrics);
    curves = List.copyOf(curves);
    confusion = List.copyOf(confusion);
  }

  /** Metric values by {@link Metric#key()}, in order. */
  public Map<String, Double> values() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Metric m : metrics) {
      out.put(m.key(), m.value());
    }
    return out;
  }

  /**
   * The value of a metric by its {@link Metric#key()}.
   *
   * @throws IllegalArgumentException when there is no such metric
   */
  public double value(String key) {
    for (Metric m : metrics) {
      if (m.key().equals(key)) {
        return m.value();
      }
    }
    throw new IllegalArgumentException(
        "Cannot find metric: no metric '" + key + "' in " + values().keySet());
  }

  /** The curve of the given kind, if computed. */
  public Optional<Curve> curve(Curve.Kind kind) {
    return curves.stream().filter(c -> c.kind() == kind).findFirst();
  }
}

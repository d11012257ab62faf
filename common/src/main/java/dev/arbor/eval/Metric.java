package dev.arbor.eval;

import java.util.Objects;

/**
 * One metric value in long format: a row of the {@code metrics} table without its run and split.
 *
 * @param name metric name, lower-case with underscores (for example {@code auc_roc}, {@code f1})
 * @param value the value; finite
 * @param threshold the decision threshold the value was computed at, or {@code null} when the
 *     metric does not depend on one
 * @param className the class a per-class metric is about (the class label, or its index as a string
 *     when no labels are known), or {@code null} for metrics over all classes
 */
public record Metric(String name, double value, Double threshold, String className) {
  public Metric {
    Objects.requireNonNull(name, "name");
  }

  /** A metric over all classes, independent of any threshold. */
  public static Metric of(String name, double value) {
    return new Metric(name, value, null, null);
  }

  /** A metric over all classes at a decision threshold. */
  public static Metric atThreshold(String name, double value, double threshold) {
    return new Metric(name, value, threshold, null);
  }

  /** A per-class metric. */
  public static Metric forClass(String name, double value, String className) {
    return new Metric(name, value, null, className);
  }

  /** {@code name} for a metric over all classes, else {@code name[class]}: a unique key. */
  public String key() {
    return className == null ? name : name + "[" + className + "]";
  }
}

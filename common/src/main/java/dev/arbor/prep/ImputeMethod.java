package dev.arbor.prep;

import java.util.Locale;

/** How a missing numeric feature value is filled. */
public enum ImputeMethod {
  /** The mean of the training split's non-missing values. */
  MEAN,
  /** The exact median of the training split's non-missing values (Spark {@code percentile}). */
  MEDIAN,
  /** A configured constant. */
  CONSTANT,
  /**
   * Not filled: the row goes to the rejects with reason {@code missing_value}. At scoring time
   * ({@link PrepModel#transform}) the training mean is used so every row can be scored.
   */
  DROP_ROW;

  /** The name used in config and JSON: {@code mean}, {@code median}, {@code drop-row}, ... */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The method named {@code name} as in {@link #configName()}, or {@code null}. */
  static ImputeMethod fromConfigName(String name) {
    for (ImputeMethod m : values()) {
      if (m.configName().equals(name)) {
        return m;
      }
    }
    return null;
  }
}

package dev.arbor.prep;

import java.util.Locale;

/**
 * How numeric features are scaled: {@code (x - center) / scale} with statistics of the training
 * split. One-hot columns are never scaled (center 0, scale 1).
 */
public enum ScaleMethod {
  /** center = mean, scale = population standard deviation (ddof 0, as scikit-learn). */
  STANDARDIZE,
  /** center = minimum, scale = maximum - minimum: the training range maps to [0, 1]. */
  MIN_MAX,
  /** center 0, scale 1. */
  NONE;

  /** The name used in config and JSON: {@code standardize}, {@code min-max}, {@code none}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static ScaleMethod fromConfigName(String name) {
    for (ScaleMethod m : values()) {
      if (m.configName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "Invalid scale method: " + name + " (expected standardize, min-max or none)");
  }
}

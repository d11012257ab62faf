package dev.arbor.ingest;

import java.util.Locale;

/** What the label is: two classes, more classes, or a real value. */
public enum Task {
  /** Exactly two label values; the second in class order is the positive class (label 1.0). */
  BINARY,
  /** Two or more label values, encoded as class indices 0..K-1. */
  MULTICLASS,
  /** A numeric label, used as is. */
  REGRESSION;

  /** Whether the label is a class (binary or multiclass). */
  public boolean isClassification() {
    return this != REGRESSION;
  }

  /** The name used in config and JSON files: {@code binary}, {@code multiclass}, ... */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The task named {@code name} as in {@link #configName()}. */
  public static Task fromConfigName(String name) {
    for (Task t : values()) {
      if (t.configName().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "Invalid task: " + name + " (expected binary, multiclass or regression)");
  }
}

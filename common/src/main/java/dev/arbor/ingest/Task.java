package dev.arbor.ingest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What the label is: two classes, more classes, or a real value. The one task type of the project
 * (schema, prep model, training, models, evaluation, gate); in config and JSON files it is spelled
 * as {@link #configName()}.
 */
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
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return configName();
  }

  /**
   * The task named {@code name} as in {@link #configName()}.
   *
   * @throws IllegalArgumentException for another name
   */
  @JsonCreator
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

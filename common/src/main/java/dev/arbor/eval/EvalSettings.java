package dev.arbor.eval;

import dev.arbor.config.ArborConfig;
import java.util.List;

/**
 * Settings of the metrics computation (section {@code evaluate} of {@code conf/arbor.conf}).
 *
 * @param threshold binary decision threshold: {@code score >= threshold} is predicted positive
 * @param maxCurvePoints the most points a ROC or PR curve keeps (at least 3)
 * @param calibrationBins number of equal-width calibration bins over [0, 1]
 * @param classNames class labels in index order (used to name classes in results), or empty to name
 *     classes by their index
 */
public record EvalSettings(
    double threshold, int maxCurvePoints, int calibrationBins, List<String> classNames) {
  /** The defaults: threshold 0.5, 1000 curve points, 10 calibration bins, classes by index. */
  public static final EvalSettings DEFAULTS = new EvalSettings(0.5, 1000, 10, List.of());

  public EvalSettings {
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
      throw new IllegalArgumentException(
          "Invalid threshold: " + threshold + " (expected a number in [0, 1])");
    }
    if (maxCurvePoints < 3) {
      throw new IllegalArgumentException(
          "Invalid maxCurvePoints: " + maxCurvePoints + " (expected at least 3)");
    }
    if (calibrationBins < 1) {
      throw new IllegalArgumentException(
          "Invalid calibrationBins: " + calibrationBins + " (expected at least 1)");
    }
    classNames = List.copyOf(classNames);
  }

  /**
   * Reads {@code evaluate.threshold}, {@code evaluate.max-curve-points} and {@code
   * calibration-bins}.
   */
  public static EvalSettings from(ArborConfig config) {
    return new EvalSettings(
        config.numberInRange("evaluate.threshold", 0.0, 1.0),
        config.intInRange("evaluate.max-curve-points", 3, 1_000_000),
        config.intInRange("evaluate.calibration-bins", 1, 1000),
        List.of());
  }

  /** A copy naming the classes (for example the prep model's classes, in index order). */
  public EvalSettings withClassNames(List<String> names) {
    return new EvalSettings(threshold, maxCurvePoints, calibrationBins, names);
  }

  /** The name of class {@code index}: its label when known, else the index. */
  public String className(int index) {
    return index < classNames.size() ? classNames.get(index) : Integer.toString(index);
  }
}

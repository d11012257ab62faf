package dev.arbor.train.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-class multipliers of the instance weights of a classification task, applied once when blocks
 * are built (row weight = instance weight × multiplier of the row's class), so every loss and every
 * optimizer sees them as ordinary instance weights.
 *
 * <ul>
 *   <li>{@link #none()}: all 1.
 *   <li>{@link #balanced()}: {@code n / (K·n_k)} with {@code n_k} the number of rows (not the
 *       weight) of class {@code k}, {@code n = Σ n_k} and {@code K} the number of classes present,
 *       as scikit-learn's {@code class_weight="balanced"}. A class with no rows gets 1 (no effect).
 *   <li>{@link #explicit(Map)}: given per class index; classes not listed get 1.
 * </ul>
 *
 * Immutable.
 */
public final class ClassWeights implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How the multipliers are chosen. */
  public enum Mode {
    NONE,
    BALANCED,
    EXPLICIT
  }

  private final Mode mode;
  private final TreeMap<Integer, Double> explicit;

  private ClassWeights(Mode mode, Map<Integer, Double> explicit) {
    this.mode = mode;
    this.explicit = new TreeMap<>(explicit);
  }

  public static ClassWeights none() {
    return new ClassWeights(Mode.NONE, Map.of());
  }

  public static ClassWeights balanced() {
    return new ClassWeights(Mode.BALANCED, Map.of());
  }

  /**
   * Explicit multipliers by class index.
   *
   * @throws IllegalArgumentException for a negative index or a multiplier that is not finite and
   *     {@code > 0}
   */
  public static ClassWeights explicit(Map<Integer, Double> byClassIndex) {
    for (Map.Entry<Integer, Double> e : byClassIndex.entrySet()) {
      double v = e.getValue();
      if (e.getKey() < 0 || !(v > 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            "Invalid class weight for class "
                + e.getKey()
                + ": "
                + v
                + " (expected a class index >= 0 and a finite weight > 0)");
      }
    }
    return new ClassWeights(Mode.EXPLICIT, byClassIndex);
  }

  public Mode mode() {
    return mode;
  }

  /** Whether the multipliers depend on class counts (one extra pass over the data). */
  public boolean needsCounts() {
    return mode == Mode.BALANCED;
  }

  /**
   * The multiplier of each class.
   *
   * @param numClasses {@code K}
   * @param classCounts rows per class (length {@code K}); only read in balanced mode, may be {@code
   *     null} otherwise
   * @throws IllegalArgumentException when an explicit class index is {@code >= K}
   */
  public double[] multipliers(int numClasses, long[] classCounts) {
    double[] m = new double[numClasses];
    Arrays.fill(m, 1.0);
    switch (mode) {
      case NONE -> {}
      case EXPLICIT -> {
        for (Map.Entry<Integer, Double> e : explicit.entrySet()) {
          if (e.getKey() >= numClasses) {
            throw new IllegalArgumentException(
                "Invalid class index in class weights: "
                    + e.getKey()
                    + " (expected 0 to "
                    + (numClasses - 1)
                    + ")");
          }
          m[e.getKey()] = e.getValue();
        }
      }
      case BALANCED -> {
        long n = 0;
        int present = 0;
        for (long c : classCounts) {
          n += c;
          present += c > 0 ? 1 : 0;
        }
        for (int k = 0; k < numClasses; k++) {
          if (classCounts[k] > 0) {
            m[k] = (double) n / ((double) present * classCounts[k]);
          }
        }
      }
      default -> throw new IllegalStateException("Unknown class weight mode: " + mode);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassWeights other && mode == other.mode && explicit.equals(other.explicit);
  }

  @Override
  public int hashCode() {
    return mode.hashCode() * 31 + explicit.hashCode();
  }

  @Override
  public String toString() {
    return mode == Mode.EXPLICIT
        ? "explicit" + explicit
        : mode.name().toLowerCase(java.util.Locale.ROOT);
  }
}

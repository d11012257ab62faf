package dev.arbor.optim;

import java.util.Arrays;

/**
 * The elastic-net penalty {@code λ·(α·‖w‖₁ + (1−α)/2·‖w‖₂²)} over every coordinate except the
 * intercepts, the convention of Spark ML and glmnet: strength {@code λ >= 0}, mix {@code α ∈ [0,
 * 1]} ({@code α = 1} lasso, {@code α = 0} ridge). Optimizers add it on the driver as a separate
 * term: the smooth L2 part to the value and gradient, the L1 part by a proximal step (gradient
 * descent, stochastic optimizers) or by OWL-QN. It is never folded into a step rule and never
 * applied to an excluded (intercept) coordinate.
 *
 * <p>Immutable and thread-safe.
 */
public final class Regularization {
  private static final Regularization NONE = new Regularization(0, 0, new int[0]);

  private final double strength;
  private final double mix;
  private final int[] excluded;

  private Regularization(double strength, double mix, int[] excluded) {
    if (!(strength >= 0) || Double.isInfinite(strength)) {
      throw new IllegalArgumentException(
          "Invalid regularization strength: " + strength + " (expected a finite number >= 0)");
    }
    if (!(mix >= 0 && mix <= 1)) {
      throw new IllegalArgumentException(
          "Invalid elastic-net mix: " + mix + " (expected a number in [0, 1])");
    }
    this.strength = strength;
    this.mix = mix;
    this.excluded = excluded;
  }

  /** No penalty. */
  public static Regularization none() {
    return NONE;
  }

  /** Ridge: {@code λ/2·‖w‖₂²}. */
  public static Regularization l2(double strength) {
    return new Regularization(strength, 0, new int[0]);
  }

  /** Lasso: {@code λ·‖w‖₁}. */
  public static Regularization l1(double strength) {
    return new Regularization(strength, 1, new int[0]);
  }

  /** Elastic net: {@code λ·(α·‖w‖₁ + (1−α)/2·‖w‖₂²)}. */
  public static Regularization elasticNet(double strength, double mix) {
    return new Regularization(strength, mix, new int[0]);
  }

  /**
   * A copy that leaves the given coordinates (the intercepts) unpenalized.
   *
   * @param interceptIndices 0-based coordinates, each >= 0; checked against the dimension when a
   *     problem is built
   */
  public Regularization excluding(int... interceptIndices) {
    int[] sorted = interceptIndices.clone();
    Arrays.sort(sorted);
    for (int i : sorted) {
      if (i < 0) {
        throw new IllegalArgumentException(
            "Invalid intercept index: " + i + " (expected an index >= 0)");
      }
    }
    return new Regularization(strength, mix, Arrays.stream(sorted).distinct().toArray());
  }

  /** {@code λ}. */
  public double strength() {
    return strength;
  }

  /** {@code α}. */
  public double mix() {
    return mix;
  }

  /** The L1 coefficient {@code λ·α}. */
  public double l1Strength() {
    return strength * mix;
  }

  /** The L2 coefficient {@code λ·(1−α)}: the penalty is {@code λ(1−α)/2·‖w‖²}. */
  public double l2Strength() {
    return strength * (1 - mix);
  }

  /** Whether the L1 part is on (then L-BFGS runs as OWL-QN). */
  public boolean hasL1() {
    return l1Strength() > 0;
  }

  /** The unpenalized (intercept) coordinates, ascending. */
  public int[] excludedIndices() {
    return excluded.clone();
  }

  /**
   * Which coordinates are penalized, for a problem of {@code dimension} weights.
   *
   * @throws IllegalArgumentException when an excluded index is not below {@code dimension}
   */
  public boolean[] penalizedMask(int dimension) {
    boolean[] mask = new boolean[dimension];
    Arrays.fill(mask, true);
    for (int i : excluded) {
      if (i >= dimension) {
        throw new IllegalArgumentException(
            "Invalid intercept index: " + i + " (expected an index < dimension " + dimension + ")");
      }
      mask[i] = false;
    }
    return mask;
  }

  @Override
  public String toString() {
    if (strength == 0) {
      return "none";
    }
    String kind = mix == 0 ? "l2" : mix == 1 ? "l1" : "elastic-net";
    return kind
        + "(strength="
        + strength
        + (mix == 0 || mix == 1 ? "" : ", mix=" + mix)
        + ", excluded="
        + Arrays.toString(excluded)
        + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Regularization r
        && Double.compare(strength, r.strength) == 0
        && Double.compare(mix, r.mix) == 0
        && Arrays.equals(excluded, r.excluded);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Double.hashCode(strength) + Double.hashCode(mix)) + Arrays.hashCode(excluded);
  }
}

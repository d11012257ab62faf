package dev.arbor.loss;

import java.io.Serializable;

/**
 * Where each weight of a linear model sits in the flat weight vector.
 *
 * <p>A model has {@code numOutputs} linear outputs (margins) {@code K}: one for binary and
 * regression losses, one per class for the multinomial loss. The vector holds the coefficients of
 * output {@code k} for feature {@code j} at {@code k·d + j} (output-major: {@code K×d} coefficients
 * first), followed, when an intercept is fitted, by the {@code K} intercepts at {@code K·d + k}.
 * Margin {@code k} of a row {@code x} is {@code Σⱼ x[j]·w[k·d+j] + (intercept ? w[K·d+k] : 0)}.
 *
 * <p>Immutable. A plain class rather than a record: Spark's Kryo 4 cannot deserialize records.
 */
public final class WeightLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int numFeatures;
  private final int numOutputs;
  private final boolean fitIntercept;

  private WeightLayout(int numFeatures, int numOutputs, boolean fitIntercept) {
    if (numFeatures < 0 || numOutputs < 1) {
      throw new IllegalArgumentException(
          "Invalid weight layout: " + numFeatures + " features, " + numOutputs + " outputs");
    }
    long dim = (long) numOutputs * (numFeatures + (fitIntercept ? 1 : 0));
    if (dim > Integer.MAX_VALUE - 16 || dim == 0) {
      throw new IllegalArgumentException(
          "Invalid weight layout: dimension " + dim + " (expected 1 to 2^31-17 weights)");
    }
    this.numFeatures = numFeatures;
    this.numOutputs = numOutputs;
    this.fitIntercept = fitIntercept;
  }

  /** A layout with an intercept per output. */
  public static WeightLayout withIntercept(int numFeatures, int numOutputs) {
    return new WeightLayout(numFeatures, numOutputs, true);
  }

  /** A layout without intercepts (margins pass through the origin). */
  public static WeightLayout withoutIntercept(int numFeatures, int numOutputs) {
    return new WeightLayout(numFeatures, numOutputs, false);
  }

  /** The number of features {@code d}. */
  public int numFeatures() {
    return numFeatures;
  }

  /** The number of margins per row {@code K}. */
  public int numOutputs() {
    return numOutputs;
  }

  /** Whether the layout holds intercepts. */
  public boolean fitIntercept() {
    return fitIntercept;
  }

  /** The length of the weight vector: {@code K·d}, plus {@code K} with intercepts. */
  public int dimension() {
    return numOutputs * (numFeatures + (fitIntercept ? 1 : 0));
  }

  /** The index of the coefficient of output {@code k} for feature {@code j}. */
  public int coefficientIndex(int k, int j) {
    return k * numFeatures + j;
  }

  /** The index of the intercept of output {@code k}; only with an intercept. */
  public int interceptIndex(int k) {
    if (!fitIntercept) {
      throw new IllegalStateException("Cannot locate the intercept: the layout has none");
    }
    return numOutputs * numFeatures + k;
  }

  /** Whether index {@code i} holds an intercept (regularization must skip it). */
  public boolean isIntercept(int i) {
    return fitIntercept && i >= numOutputs * numFeatures;
  }

  /** The indices of the intercepts, ascending; empty without intercept. */
  public int[] interceptIndices() {
    int[] out = new int[fitIntercept ? numOutputs : 0];
    for (int k = 0; k < out.length; k++) {
      out[k] = numOutputs * numFeatures + k;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightLayout other
        && numFeatures == other.numFeatures
        && numOutputs == other.numOutputs
        && fitIntercept == other.fitIntercept;
  }

  @Override
  public int hashCode() {
    return (numFeatures * 31 + numOutputs) * 2 + (fitIntercept ? 1 : 0);
  }

  @Override
  public String toString() {
    return "WeightLayout[features="
        + numFeatures
        + ", outputs="
        + numOutputs
        + ", intercept="
        + fitIntercept
        + ", dimension="
        + dimension()
        + "]";
  }
}

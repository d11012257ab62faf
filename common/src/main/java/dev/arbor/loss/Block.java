package dev.arbor.loss;

import java.io.Serializable;

/**
 * A block of rows in dense primitive arrays: features row-major ({@code numRows × numFeatures}),
 * stored either as {@code float[]} (float32, half the memory traffic) or {@code double[]}
 * (float64), and labels and weights as {@code double[]}.
 *
 * <p>The arrays are shared, not copied, for speed: callers must not modify them after building the
 * block. Blocks are immutable by that convention and safe to read from several threads.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int numRows;
  private final int numFeatures;
  private final float[] features32;
  private final double[] features64;
  private final double[] labels;
  private final double[] weights;

  private Block(
      int numRows,
      int numFeatures,
      float[] features32,
      double[] features64,
      double[] labels,
      double[] weights) {
    int featureLength = features32 != null ? features32.length : features64.length;
    if (labels.length != numRows
        || weights.length != numRows
        || featureLength != (long) numRows * numFeatures) {
      throw new IllegalArgumentException(
          "Invalid block: "
              + numRows
              + " rows × "
              + numFeatures
              + " features but arrays of length features="
              + featureLength
              + " labels="
              + labels.length
              + " weights="
              + weights.length);
    }
    this.numRows = numRows;
    this.numFeatures = numFeatures;
    this.features32 = features32;
    this.features64 = features64;
    this.labels = labels;
    this.weights = weights;
  }

  /** A float32 block; {@code features} is row-major, length {@code labels.length·numFeatures}. */
  public static Block ofFloat32(
      int numFeatures, float[] features, double[] labels, double[] weights) {
    return new Block(labels.length, numFeatures, features, null, labels, weights);
  }

  /** A float64 block; {@code features} is row-major, length {@code labels.length·numFeatures}. */
  public static Block ofFloat64(
      int numFeatures, double[] features, double[] labels, double[] weights) {
    return new Block(labels.length, numFeatures, null, features, labels, weights);
  }

  public int numRows() {
    return numRows;
  }

  public int numFeatures() {
    return numFeatures;
  }

  /** Whether features are stored as float32 ({@link #features32()}) else float64. */
  public boolean isFloat32() {
    return features32 != null;
  }

  /** The float32 features (row-major), or {@code null} for a float64 block. Not a copy. */
  public float[] features32() {
    return features32;
  }

  /** The float64 features (row-major), or {@code null} for a float32 block. Not a copy. */
  public double[] features64() {
    return features64;
  }

  /** The labels. Not a copy. */
  public double[] labels() {
    return labels;
  }

  /** The instance weights (class weights already applied). Not a copy. */
  public double[] weights() {
    return weights;
  }

  /** Feature {@code j} of row {@code i}, widened to double. */
  public double feature(int i, int j) {
    int at = i * numFeatures + j;
    return features32 != null ? features32[at] : features64[at];
  }

  /** The bytes held by the arrays (payload only, without object headers). */
  public long payloadBytes() {
    long features = (long) numRows * numFeatures * (features32 != null ? 4 : 8);
    return features + 16L * numRows;
  }
}

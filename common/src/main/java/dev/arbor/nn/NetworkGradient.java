package dev.arbor.nn;

import dev.arbor.loss.Block;
import java.io.Serializable;

/**
 * Folds rows into the sums of a network's weighted-mean loss: {@code Σ wᵢ}, {@code Σ wᵢ·lossᵢ} and
 * {@code Σ wᵢ·∇lossᵢ}, in double — the network family's counterpart of {@link
 * dev.arbor.loss.LossAggregator}, with the same call order: one per partition with the current
 * weights, {@link #add} every block (rows go through {@link NetworkPass} in chunks of {@value
 * #CHUNK_ROWS}), {@link #merge} the partitions, read {@link #loss()} and {@link #gradient}. Not
 * thread-safe; the weights and workspace are not serialized (a deserialized one can merge, not
 * add).
 *
 * <p>A row's contribution does not depend on where the chunk boundaries fall, up to the summation
 * order of the BLAS: the result is deterministic for a given row order and partitioning.
 */
public final class NetworkGradient implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows per matrix product. */
  public static final int CHUNK_ROWS = 256;

  private final Architecture arch;
  private final transient double[] weights;
  private final double[] gradientSum;
  private double weightSum;
  private double lossSum;
  private long rowCount;
  private transient NetworkPass pass;
  private transient double[] x;
  private transient double[] labels;
  private transient double[] rowWeights;

  /** Sums at {@code weights} (not copied: keep them unchanged while adding). */
  public NetworkGradient(Architecture arch, double[] weights) {
    if (weights.length != arch.dimension()) {
      throw new IllegalArgumentException(
          "Cannot create a network gradient: expected "
              + arch.dimension()
              + " weights for "
              + arch.describe()
              + " but got: "
              + weights.length);
    }
    this.arch = arch;
    this.weights = weights;
    this.gradientSum = new double[arch.dimension()];
  }

  /** Adds every row of {@code block}. Returns {@code this}. */
  public NetworkGradient add(Block block) {
    if (weights == null) {
      throw new IllegalStateException("Cannot add rows: this network gradient was deserialized");
    }
    int d = arch.numInputs();
    if (block.numFeatures() != d) {
      throw new IllegalArgumentException(
          "Cannot add a block: it has "
              + block.numFeatures()
              + " features but the network expects: "
              + d);
    }
    if (pass == null) {
      pass = new NetworkPass(arch, CHUNK_ROWS);
      x = new double[CHUNK_ROWS * d];
      labels = new double[CHUNK_ROWS];
      rowWeights = new double[CHUNK_ROWS];
    }
    int n = block.numRows();
    for (int from = 0; from < n; from += CHUNK_ROWS) {
      int rows = Math.min(CHUNK_ROWS, n - from);
      Rows.copy(block, from, rows, x);
      System.arraycopy(block.labels(), from, labels, 0, rows);
      System.arraycopy(block.weights(), from, rowWeights, 0, rows);
      lossSum +=
          pass.lossAndGradient(weights, x, labels, rowWeights, rows, gradientSum, Dropout.OFF);
      for (int i = 0; i < rows; i++) {
        weightSum += rowWeights[i];
        if (rowWeights[i] != 0.0) {
          rowCount++;
        }
      }
    }
    return this;
  }

  /** Adds {@code other}'s sums to this one's. Returns {@code this}. */
  public NetworkGradient merge(NetworkGradient other) {
    if (other.gradientSum.length != gradientSum.length) {
      throw new IllegalArgumentException(
          "Cannot merge network gradients of "
              + gradientSum.length
              + " and "
              + other.gradientSum.length
              + " weights");
    }
    for (int i = 0; i < gradientSum.length; i++) {
      gradientSum[i] += other.gradientSum[i];
    }
    weightSum += other.weightSum;
    lossSum += other.lossSum;
    rowCount += other.rowCount;
    return this;
  }

  /** {@code Σ wᵢ} over the rows added. */
  public double weightSum() {
    return weightSum;
  }

  /** Rows with a non-zero weight added. */
  public long rowCount() {
    return rowCount;
  }

  /** The weighted mean loss; 0 when no weight was added. */
  public double loss() {
    return weightSum > 0 ? lossSum / weightSum : 0.0;
  }

  /** Writes the weighted mean gradient into {@code out} (zeros when no weight was added). */
  public void gradient(double[] out) {
    double scale = weightSum > 0 ? 1 / weightSum : 0.0;
    for (int i = 0; i < gradientSum.length; i++) {
      out[i] = gradientSum[i] * scale;
    }
  }
}

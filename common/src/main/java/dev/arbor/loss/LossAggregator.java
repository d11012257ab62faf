package dev.arbor.loss;

import java.io.Serializable;

/**
 * Folds rows into the sums of a weighted-mean loss: {@code Σ wᵢ}, {@code Σ wᵢ·lossᵢ} and {@code Σ
 * wᵢ·∇lossᵢ}, all accumulated in double whatever the storage precision of the rows.
 *
 * <p>Call order: create one per partition (or per local fold) with the current weights, {@link
 * #add(Block)} every block, then combine aggregators with {@link #merge(LossAggregator)}; read
 * {@link #loss()} and {@link #gradient(double[])} (the weighted means) at the end. Not thread-safe.
 * Serializable so partial results can travel between Spark tasks and the driver; the weights are
 * not serialized (a deserialized aggregator can merge, not add).
 *
 * <p>Subclasses only define the loss of one row as a function of its margins ({@link
 * #rowLoss(double, double[], double[])}); margins and the chain rule back to the weights (see
 * {@link WeightLayout}) are done here.
 */
public abstract class LossAggregator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final WeightLayout layout;
  private final transient double[] weights;
  private final double[] gradientSum;
  private double weightSum;
  private double lossSum;
  private long rowCount;

  private transient double[] margins;
  private transient double[] derivatives;

  /**
   * @param layout where the weights sit
   * @param weights the point to evaluate at, length {@code layout.dimension()}; read, never
   *     modified, and not copied (callers must not change it while adding)
   */
  protected LossAggregator(WeightLayout layout, double[] weights) {
    if (weights.length != layout.dimension()) {
      throw new IllegalArgumentException(
          "Cannot create a loss aggregator: expected "
              + layout.dimension()
              + " weights for "
              + layout
              + " but got: "
              + weights.length);
    }
    this.layout = layout;
    this.weights = weights;
    this.gradientSum = new double[layout.dimension()];
  }

  /**
   * The loss of one row and its derivatives with respect to the row's margins.
   *
   * @param label the row's label
   * @param margins the row's {@code K} margins (read only)
   * @param derivatives receives {@code ∂loss/∂margin[k]} for {@code k < K}
   * @return the (unweighted) loss of the row
   */
  protected abstract double rowLoss(double label, double[] margins, double[] derivatives);

  /** Adds every row of {@code block} with a non-zero weight. Returns {@code this}. */
  public final LossAggregator add(Block block) {
    if (weights == null) {
      throw new IllegalStateException("Cannot add rows: this aggregator was deserialized");
    }
    int d = layout.numFeatures();
    if (block.numFeatures() != d) {
      throw new IllegalArgumentException(
          "Cannot add a block: it has "
              + block.numFeatures()
              + " features but the layout expects: "
              + d);
    }
    if (margins == null) {
      margins = new double[layout.numOutputs()];
      derivatives = new double[layout.numOutputs()];
    }
    // One loop per storage type (rather than a per-row branch) so each compiles to a tight loop.
    if (block.isFloat32()) {
      addFloat32(block);
    } else {
      addFloat64(block);
    }
    return this;
  }

  private void addFloat32(Block block) {
    float[] x = block.features32();
    double[] labels = block.labels();
    double[] rowWeights = block.weights();
    double[] w = weights;
    double[] grad = gradientSum;
    double[] m = margins;
    double[] dm = derivatives;
    int d = layout.numFeatures();
    int numOutputs = layout.numOutputs();
    boolean intercept = layout.fitIntercept();
    int interceptBase = numOutputs * d;
    double loss = lossSum;
    double weight = weightSum;
    long rows = rowCount;
    for (int i = 0; i < block.numRows(); i++) {
      double wi = rowWeights[i];
      if (wi == 0.0) {
        continue; // contributes exactly nothing
      }
      int off = i * d;
      for (int k = 0; k < numOutputs; k++) {
        double mk = VectorOps.dot(x, off, w, k * d, d);
        m[k] = intercept ? mk + w[interceptBase + k] : mk;
      }
      loss += wi * rowLoss(labels[i], m, dm);
      for (int k = 0; k < numOutputs; k++) {
        double g = wi * dm[k];
        if (g == 0.0) {
          continue; // e.g. hinge beyond the margin: skip the d-long update
        }
        VectorOps.axpy(g, x, off, grad, k * d, d);
        if (intercept) {
          grad[interceptBase + k] += g;
        }
      }
      weight += wi;
      rows++;
    }
    lossSum = loss;
    weightSum = weight;
    rowCount = rows;
  }

  /** The same loop as {@link #addFloat32} over {@code double[]} features. */
  private void addFloat64(Block block) {
    double[] x = block.features64();
    double[] labels = block.labels();
    double[] rowWeights = block.weights();
    double[] w = weights;
    double[] grad = gradientSum;
    double[] m = margins;
    double[] dm = derivatives;
    int d = layout.numFeatures();
    int numOutputs = layout.numOutputs();
    boolean intercept = layout.fitIntercept();
    int interceptBase = numOutputs * d;
    double loss = lossSum;
    double weight = weightSum;
    long rows = rowCount;
    for (int i = 0; i < block.numRows(); i++) {
      double wi = rowWeights[i];
      if (wi == 0.0) {
        continue;
      }
      int off = i * d;
      for (int k = 0; k < numOutputs; k++) {
        double mk = VectorOps.dot(x, off, w, k * d, d);
        m[k] = intercept ? mk + w[interceptBase + k] : mk;
      }
      loss += wi * rowLoss(labels[i], m, dm);
      for (int k = 0; k < numOutputs; k++) {
        double g = wi * dm[k];
        if (g == 0.0) {
          continue;
        }
        VectorOps.axpy(g, x, off, grad, k * d, d);
        if (intercept) {
          grad[interceptBase + k] += g;
        }
      }
      weight += wi;
      rows++;
    }
    lossSum = loss;
    weightSum = weight;
    rowCount = rows;
  }

  /**
   * Adds the sums of {@code other} to this one (an aggregator with zero weight leaves this one
   * unchanged, bit for bit). Returns {@code this}.
   */
  public final LossAggregator merge(LossAggregator other) {
    if (!layout.equals(other.layout) || getClass() != other.getClass()) {
      throw new IllegalArgumentException(
          "Cannot merge loss aggregators: "
              + getClass().getSimpleName()
              + " "
              + layout
              + " with "
              + other.getClass().getSimpleName()
              + " "
              + other.layout);
    }
    if (other.weightSum != 0.0) {
      weightSum += other.weightSum;
      lossSum += other.lossSum;
      rowCount += other.rowCount;
      double[] g = other.gradientSum;
      for (int i = 0; i < g.length; i++) {
        gradientSum[i] += g[i];
      }
    }
    return this;
  }

  /** The layout of the weights and the gradient. */
  public final WeightLayout layout() {
    return layout;
  }

  /** {@code Σ wᵢ} over the rows added (with non-zero weight). */
  public final double weightSum() {
    return weightSum;
  }

  /** {@code Σ wᵢ·lossᵢ}. */
  public final double lossSum() {
    return lossSum;
  }

  /** The number of rows added with non-zero weight. */
  public final long rowCount() {
    return rowCount;
  }

  /** A copy of {@code Σ wᵢ·∇lossᵢ}. */
  public final double[] gradientSum() {
    return gradientSum.clone();
  }

  /** The weighted mean loss {@code Σ wᵢ·lossᵢ / Σ wᵢ}. */
  public final double loss() {
    checkWeight();
    return lossSum / weightSum;
  }

  /** Writes the weighted mean gradient {@code Σ wᵢ·∇lossᵢ / Σ wᵢ} into {@code out}. */
  public final void gradient(double[] out) {
    checkWeight();
    if (out.length != gradientSum.length) {
      throw new IllegalArgumentException(
          "Cannot write the gradient: expected an array of length "
              + gradientSum.length
              + " but got: "
              + out.length);
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = gradientSum[i] / weightSum;
    }
  }

  private void checkWeight() {
    if (!(weightSum > 0.0)) {
      throw new IllegalStateException(
          "Cannot compute the mean loss: the total instance weight is not positive: " + weightSum);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "[rows="
        + rowCount
        + ", weightSum="
        + weightSum
        + ", lossSum="
        + lossSum
        + "]";
  }
}

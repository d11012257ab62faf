package dev.arbor.loss;

import dev.arbor.loss.kernel.LinearKernel;
import java.io.Serializable;
import java.util.Arrays;

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

  /** The kernel of this JVM (a constant, so the JIT inlines its loops). */
  private static final LinearKernel KERNEL = LinearKernel.current();

  /** Rows per kernel call. */
  private static final int GROUP = 4;

  // Scratch of addGroup, allocated on the first add: margins and gradient scales of the group's
  // rows ([row][output]), one row's loss derivatives, the group's dot products of one output.
  private transient double[][] margins;
  private transient double[][] scales;
  private transient double[] derivatives;
  private transient double[] dots;

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
      int k = layout.numOutputs();
      margins = new double[GROUP][k];
      scales = new double[GROUP][k];
      derivatives = new double[k];
      dots = new double[GROUP];
    }
    int n = block.numRows();
    for (int first = 0; first < n; first += GROUP) {
      addGroup(block, first, Math.min(GROUP, n - first));
    }
    return this;
  }

  /**
   * Adds rows {@code first … first+count−1} ({@code count <= GROUP}) of {@code block}: their
   * margins (four rows per kernel call), then their losses in row order, then their gradient
   * updates, four rows per pass over the gradient when all four have a non-zero scale. Every sum
   * receives the same terms in the same order as a row-at-a-time loop, so the grouping never
   * changes a bit (see {@link LinearKernel}).
   */
  private void addGroup(Block block, int first, int count) {
    LinearKernel kernel = KERNEL;
    float[] x32 = block.features32();
    double[] x64 = block.features64();
    double[] w = weights;
    int d = layout.numFeatures();
    int numOutputs = layout.numOutputs();
    boolean intercept = layout.fitIntercept();
    int interceptBase = numOutputs * d;
    int off = first * d;
    double[][] m = margins;
    for (int k = 0; k < numOutputs; k++) {
      if (count == GROUP) {
        if (x32 != null) {
          kernel.dot4(x32, off, d, w, k * d, d, dots);
        } else {
          kernel.dot4(x64, off, d, w, k * d, d, dots);
        }
      } else {
        for (int r = 0; r < count; r++) {
          dots[r] =
              x32 != null
                  ? kernel.dot(x32, off + r * d, w, k * d, d)
                  : kernel.dot(x64, off + r * d, w, k * d, d);
        }
      }
      for (int r = 0; r < count; r++) {
        m[r][k] = intercept ? dots[r] + w[interceptBase + k] : dots[r];
      }
    }
    double[] labels = block.labels();
    double[] rowWeights = block.weights();
    double[][] g = scales;
    for (int r = 0; r < count; r++) {
      double wi = rowWeights[first + r];
      if (wi == 0.0) {
        Arrays.fill(g[r], 0.0); // contributes exactly nothing
        continue;
      }
      lossSum += wi * rowLoss(labels[first + r], m[r], derivatives);
      for (int k = 0; k < numOutputs; k++) {
        double gk = wi * derivatives[k];
        g[r][k] = gk;
        if (intercept && gk != 0.0) {
          gradientSum[interceptBase + k] += gk;
        }
      }
      weightSum += wi;
      rowCount++;
    }
    for (int k = 0; k < numOutputs; k++) {
      updateGradient(kernel, x32, x64, off, count, k);
    }
  }

  /** {@code grad[k·d …] += g[r][k]·row r} for the rows of the group, skipping zero scales. */
  private void updateGradient(
      LinearKernel kernel, float[] x32, double[] x64, int off, int count, int k) {
    double[][] g = scales;
    int d = layout.numFeatures();
    int at = k * d;
    if (count == GROUP && g[0][k] != 0.0 && g[1][k] != 0.0 && g[2][k] != 0.0 && g[3][k] != 0.0) {
      if (x32 != null) {
        kernel.axpy4(g[0][k], g[1][k], g[2][k], g[3][k], x32, off, d, gradientSum, at, d);
      } else {
        kernel.axpy4(g[0][k], g[1][k], g[2][k], g[3][k], x64, off, d, gradientSum, at, d);
      }
      return;
    }
    for (int r = 0; r < count; r++) {
      double a = g[r][k];
      if (a == 0.0) {
        continue; // e.g. hinge beyond the margin: skip the d-long update
      }
      if (x32 != null) {
        kernel.axpy(a, x32, off + r * d, gradientSum, at, d);
      } else {
        kernel.axpy(a, x64, off + r * d, gradientSum, at, d);
      }
    }
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

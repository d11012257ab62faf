package dev.arbor.train.lsq;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The triangular factor of a weighted, centred design, accumulated one row at a time: after rows
 * {@code v_i = [x_i, y_i]} with weights {@code w_i}, it holds the total weight {@code W}, the
 * weighted mean {@code m} and an upper-triangular {@code R} with {@code RᵀR = Σ w_i (v_i - m)(v_i -
 * m)ᵀ} (the centred scatter matrix, last row/column for the response).
 *
 * <p>Why a factor and not the Gram matrix: {@code R} is built with Givens rotations (the row-wise
 * QR update), so solving from it loses digits in proportion to the condition number of the
 * (centred) design, not to its square as forming {@code XᵀWX} does. Centring is exact in one pass:
 * a row enters as {@code sqrt(w·W/(W+w))·(v - m)} before the mean is updated (the weighted Welford
 * update), and two factors merge by stacking them with the row {@code sqrt(Wa·Wb/(Wa+Wb))·(mb -
 * ma)} (Chan, Golub and LeVeque, "Algorithms for computing the sample variance", 1983; the QR form
 * follows from their scatter-matrix merge formula).
 *
 * <p>Not thread-safe. Results depend on the order of {@link #add} and {@link #merge} calls only in
 * the last bits; callers that need bit-identical results fix that order.
 */
public final class RFactor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dim;
  private double weightSum;
  private long count;
  private final double[] mean;

  /** Upper triangle of R, row-major packed: row i holds columns i..dim-1. */
  private final double[] r;

  /**
   * An empty factor.
   *
   * @param dim the length of the accumulated vectors (features + 1 for the response)
   */
  public RFactor(int dim) {
    if (dim < 1) {
      throw new IllegalArgumentException("Invalid dimension: " + dim + " (expected >= 1)");
    }
    this.dim = dim;
    this.mean = new double[dim];
    this.r = new double[dim * (dim + 1) / 2];
  }

  private RFactor(RFactor other) {
    this.dim = other.dim;
    this.weightSum = other.weightSum;
    this.count = other.count;
    this.mean = other.mean.clone();
    this.r = other.r.clone();
  }

  /** An independent copy. */
  public RFactor copy() {
    return new RFactor(this);
  }

  /** The length of the accumulated vectors. */
  public int dim() {
    return dim;
  }

  /** The total weight {@code W} of the rows added. */
  public double weightSum() {
    return weightSum;
  }

  /** The number of rows added with a positive weight. */
  public long count() {
    return count;
  }

  /** The weighted mean of the rows added (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** {@code R[i][j]} for {@code i <= j} (0 below the diagonal). */
  public double get(int i, int j) {
    return i > j ? 0 : r[offset(i) + j - i];
  }

  private int offset(int i) {
    return i * dim - i * (i - 1) / 2;
  }

  /**
   * Adds one row. Rows with weight 0 are ignored.
   *
   * @param v the row, length {@link #dim()}; not modified
   * @param w its weight, finite and {@code >= 0}
   */
  public void add(double[] v, double w) {
    if (!(w >= 0) || Double.isInfinite(w)) {
      throw new IllegalArgumentException("Invalid row weight: " + w + " (expected finite >= 0)");
    }
    if (w == 0) {
      return;
    }
    count++;
    if (weightSum == 0) {
      System.arraycopy(v, 0, mean, 0, dim);
      weightSum = w;
      return;
    }
    double total = weightSum + w;
    double factor = Math.sqrt(w * weightSum / total);
    double share = w / total;
    double[] row = new double[dim];
    for (int j = 0; j < dim; j++) {
      double delta = v[j] - mean[j];
      row[j] = factor * delta;
      mean[j] += share * delta;
    }
    weightSum = total;
    rotateIn(row);
  }

  /** Adds every row of {@code other} (which is not modified). */
  public void merge(RFactor other) {
    if (other.dim != dim) {
      throw new IllegalArgumentException(
          "Cannot merge factors: dimensions differ: " + dim + " vs " + other.dim);
    }
    if (other.weightSum == 0) {
      return;
    }
    if (weightSum == 0) {
      weightSum = other.weightSum;
      count = other.count;
      System.arraycopy(other.mean, 0, mean, 0, dim);
      System.arraycopy(other.r, 0, r, 0, r.length);
      return;
    }
    double total = weightSum + other.weightSum;
    double factor = Math.sqrt(weightSum * other.weightSum / total);
    double share = other.weightSum / total;
    double[] row = new double[dim];
    for (int j = 0; j < dim; j++) {
      double delta = other.mean[j] - mean[j];
      row[j] = factor * delta;
      mean[j] += share * delta;
    }
    for (int i = 0; i < dim; i++) {
      double[] otherRow = new double[dim];
      System.arraycopy(other.r, other.offset(i), otherRow, i, dim - i);
      rotateIn(otherRow);
    }
    rotateIn(row);
    weightSum = total;
    count += other.count;
  }

  /**
   * Rotates {@code row} into R with Givens rotations (so that RᵀR grows by {@code row·rowᵀ}); the
   * weight and mean are unchanged. Used for the uncentring and ridge rows. {@code row} is
   * overwritten.
   */
  public void rotateIn(double[] row) {
    for (int i = 0; i < dim; i++) {
      double b = row[i];
      if (b == 0) {
        continue;
      }
      int o = offset(i);
      double a = r[o];
      double h = Math.sqrt(a * a + b * b);
      if (h == 0 || Double.isInfinite(h)) {
        h = Math.hypot(a, b);
      }
      double c = a / h;
      double s = b / h;
      r[o] = h;
      row[i] = 0;
      for (int j = i + 1; j < dim; j++) {
        double rij = r[o + j - i];
        double vj = row[j];
        r[o + j - i] = c * rij + s * vj;
        row[j] = c * vj - s * rij;
      }
    }
  }

  @Override
  public String toString() {
    return "RFactor[dim="
        + dim
        + ", count="
        + count
        + ", weightSum="
        + weightSum
        + ", mean="
        + Arrays.toString(mean)
        + "]";
  }
}

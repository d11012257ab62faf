package dev.arbor.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The forward and backward passes of a network over a batch of rows, as matrix products: layer
 * {@code l} computes {@code Z = A·Wᵀ + b} for the whole batch with one {@code dgemm}, and the
 * backward pass {@code ∂W += Δᵀ·A} and {@code ∂A = Δ·W} likewise. Holds the workspace for batches
 * of up to {@code capacity} rows; one instance per thread (not thread-safe, not serializable).
 *
 * <p>Everything is float64: features arrive widened from the float32 blocks, and the gradient sums
 * accumulate in double.
 */
public final class NetworkPass {
  private static final BLAS BLAS = Blas.get();

  private final Architecture arch;
  private final int capacity;

  /** {@code act[l]}: the activations of layer {@code l ≥ 1}, rows × size(l), row-major. */
  private final double[][] act;

  /** {@code delta[l]}: ∂loss/∂(pre-activation) of layer {@code l ≥ 1}. */
  private final double[][] delta;

  /** {@code keep[l]}: the dropout factor (0 or 1/(1 − p)) of each hidden unit, when dropping. */
  private final double[][] keep;

  /** {@code dropped[l]}: {@code act[l]·keep[l]}, the next layer's input, when dropping. */
  private final double[][] dropped;

  private boolean dropping;

  /** A workspace for {@code arch} and batches of at most {@code capacity} rows. */
  public NetworkPass(Architecture arch, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "Invalid batch capacity: " + capacity + " (expected >= 1)");
    }
    this.arch = arch;
    this.capacity = capacity;
    int layers = arch.numLayers();
    this.act = new double[layers + 1][];
    this.delta = new double[layers + 1][];
    this.keep = new double[layers][];
    this.dropped = new double[layers][];
    for (int l = 1; l <= layers; l++) {
      act[l] = new double[capacity * arch.size(l)];
      delta[l] = new double[capacity * arch.size(l)];
    }
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Adds the batch's weighted loss gradient to {@code gradientSum} and returns its weighted loss.
   *
   * @param w the weights, length {@link Architecture#dimension()}
   * @param x the batch's features, {@code rows × inputs} row-major (read only)
   * @param labels the rows' labels
   * @param rowWeights the rows' weights ({@code Σ wᵢ·lossᵢ} is returned)
   * @param rows how many rows, at most the capacity
   * @param gradientSum receives {@code += Σ wᵢ·∇lossᵢ}
   * @param dropoutKey the key of the dropout masks of this batch (see {@link Dropout}); ignored
   *     when the architecture has no dropout, {@link Dropout#OFF} to train without it
   * @return {@code Σ wᵢ·lossᵢ}
   */
  public double lossAndGradient(
      double[] w,
      double[] x,
      double[] labels,
      double[] rowWeights,
      int rows,
      double[] gradientSum,
      long dropoutKey) {
    forward(w, x, rows, arch.dropout() > 0 && dropoutKey != Dropout.OFF, dropoutKey);
    int layers = arch.numLayers();
    int k = arch.numOutputs();
    double[] z = act[layers];
    double[] d = delta[layers];
    OutputLayer out = arch.output();
    double loss = 0;
    for (int i = 0; i < rows; i++) {
      int off = i * k;
      double wi = rowWeights[i];
      if (wi == 0.0) {
        java.util.Arrays.fill(d, off, off + k, 0.0);
        continue; // contributes exactly nothing (and its label may be a placeholder)
      }
      loss += wi * out.rowLoss(z, off, k, labels[i], arch.huberDelta(), d);
      for (int j = 0; j < k; j++) {
        d[off + j] *= wi;
      }
    }
    for (int l = layers - 1; l >= 0; l--) {
      int in = arch.size(l);
      int outs = arch.size(l + 1);
      double[] a = input(l, x);
      double[] dl = delta[l + 1];
      BLAS.dgemm(
          "N",
          "T",
          in,
          outs,
          rows,
          1.0,
          a,
          0,
          in,
          dl,
          0,
          outs,
          1.0,
          gradientSum,
          arch.weightOffset(l),
          in);
      int bias = arch.biasOffset(l);
      for (int i = 0; i < rows; i++) {
        int off = i * outs;
        for (int j = 0; j < outs; j++) {
          gradientSum[bias + j] += dl[off + j];
        }
      }
      if (l > 0) {
        double[] da = delta[l];
        BLAS.dgemm(
            "N",
            "N",
            in,
            rows,
            outs,
            1.0,
            w,
            arch.weightOffset(l),
            in,
            dl,
            0,
            outs,
            0.0,
            da,
            0,
            in);
        if (dropping) {
          double[] m = keep[l];
          for (int i = 0; i < rows * in; i++) {
            da[i] *= m[i];
          }
        }
        arch.activation().backward(act[l], da, 0, rows * in);
      }
    }
    return loss;
  }

  /**
   * The model's outputs for a batch: {@code rows × outputs} row-major class probabilities
   * (softmax), positive-class probabilities (sigmoid) or predictions (identity). The array returned
   * is this workspace's (overwritten by the next call).
   */
  public double[] predict(double[] w, double[] x, int rows) {
    forward(w, x, rows, false, Dropout.OFF);
    double[] z = act[arch.numLayers()];
    int k = arch.numOutputs();
    for (int i = 0; i < rows; i++) {
      arch.output().activate(z, i * k, k);
    }
    return z;
  }

  /** The input of weight layer {@code l}: the features, or the (dropped-out) activations. */
  private double[] input(int l, double[] x) {
    if (l == 0) {
      return x;
    }
    return dropping ? dropped[l] : act[l];
  }

  /** Fills {@code act[1 … L]}; the output layer's are pre-activations. */
  private void forward(double[] w, double[] x, int rows, boolean dropping, long dropoutKey) {
    this.dropping = dropping;
    if (rows > capacity) {
      throw new IllegalArgumentException(
          "Cannot run a batch of " + rows + " rows: the workspace holds " + capacity);
    }
    int layers = arch.numLayers();
    for (int l = 0; l < layers; l++) {
      int in = arch.size(l);
      int outs = arch.size(l + 1);
      double[] a = input(l, x);
      double[] z = act[l + 1];
      int bias = arch.biasOffset(l);
      for (int i = 0; i < rows; i++) {
        System.arraycopy(w, bias, z, i * outs, outs);
      }
      BLAS.dgemm(
          "T", "N", outs, rows, in, 1.0, w, arch.weightOffset(l), in, a, 0, in, 1.0, z, 0, outs);
      if (l + 1 < layers) {
        arch.activation().apply(z, 0, rows * outs);
        if (dropping) {
          if (keep[l + 1] == null) {
            keep[l + 1] = new double[capacity * outs];
            dropped[l + 1] = new double[capacity * outs];
          }
          Dropout.mask(dropoutKey, l + 1, arch.dropout(), keep[l + 1], rows * outs);
          double[] m = keep[l + 1];
          double[] out = dropped[l + 1];
          for (int i = 0; i < rows * outs; i++) {
            out[i] = z[i] * m[i];
          }
        }
      }
    }
  }
}

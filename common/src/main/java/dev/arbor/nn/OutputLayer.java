package dev.arbor.nn;

/**
 * The output layer and loss of a network, which follow from the task: softmax with cross-entropy
 * for multiclass, sigmoid with log loss for binary, identity with the squared or Huber loss for
 * regression. Each computes one row's loss from its output pre-activations {@code z} and writes
 * {@code ∂loss/∂z}, the start of the backward pass.
 */
public enum OutputLayer {
  /**
   * {@code K} outputs, {@code loss = log Σ e^{z_k} − z_y}, {@code ∂/∂z_k = softmax_k − [k = y]}.
   */
  SOFTMAX_CROSS_ENTROPY("softmax", "multinomial"),
  /**
   * One output, {@code loss = log(1 + e^z) − y·z} with {@code y ∈ {0, 1}}, {@code ∂/∂z = σ(z) − y}.
   */
  SIGMOID_LOG_LOSS("sigmoid", "logistic"),
  /** One output, {@code loss = ½(z − y)²} (as the linear family's squared loss). */
  IDENTITY_SQUARED("identity", "squared"),
  /**
   * One output, Huber: {@code ½r²} for {@code |r| ≤ δ}, else {@code δ(|r| − ½δ)}, {@code r = z −
   * y}.
   */
  IDENTITY_HUBER("identity", "huber");

  private final String activation;
  private final String loss;

  OutputLayer(String activation, String loss) {
    this.activation = activation;
    this.loss = loss;
  }

  /** The output activation's name, for the model file and the log. */
  public String activationName() {
    return activation;
  }

  /** The loss's name, as the linear family names it ({@code train.loss}). */
  public String lossName() {
    return loss;
  }

  /**
   * The loss of one row and its derivatives.
   *
   * @param z the row's outputs, {@code z[off, off + k)} (read only)
   * @param k the number of outputs
   * @param label the row's label
   * @param huberDelta {@code δ} of {@link #IDENTITY_HUBER}
   * @param dz receives {@code ∂loss/∂z} at {@code dz[off, off + k)}
   * @return the (unweighted) loss
   */
  double rowLoss(double[] z, int off, int k, double label, double huberDelta, double[] dz) {
    switch (this) {
      case SOFTMAX_CROSS_ENTROPY -> {
        int y = (int) label;
        // Shift by the maximum so no exponential overflows.
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          double e = Math.exp(z[off + j] - max);
          dz[off + j] = e;
          sum += e;
        }
        for (int j = 0; j < k; j++) {
          dz[off + j] /= sum;
        }
        dz[off + y] -= 1;
        return Math.log(sum) + max - z[off + y];
      }
      case SIGMOID_LOG_LOSS -> {
        double m = z[off];
        dz[off] = Activation.sigmoid(m) - label;
        // log(1 + e^m) without overflow.
        double log1pExp = m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
        return log1pExp - label * m;
      }
      case IDENTITY_SQUARED -> {
        double r = z[off] - label;
        dz[off] = r;
        return 0.5 * r * r;
      }
      case IDENTITY_HUBER -> {
        double r = z[off] - label;
        double a = Math.abs(r);
        if (a <= huberDelta) {
          dz[off] = r;
          return 0.5 * r * r;
        }
        dz[off] = Math.copySign(huberDelta, r);
        return huberDelta * (a - 0.5 * huberDelta);
      }
      default -> throw new IllegalStateException("Unknown output layer: " + this);
    }
  }

  /**
   * Turns one row's output pre-activations into the model's outputs in place: class probabilities
   * (softmax), the positive-class probability (sigmoid), or the prediction.
   */
  void activate(double[] z, int off, int k) {
    switch (this) {
      case SOFTMAX_CROSS_ENTROPY -> {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          z[off + j] = Math.exp(z[off + j] - max);
          sum += z[off + j];
        }
        for (int j = 0; j < k; j++) {
          z[off + j] /= sum;
        }
      }
      case SIGMOID_LOG_LOSS -> z[off] = Activation.sigmoid(z[off]);
      case IDENTITY_SQUARED, IDENTITY_HUBER -> {}
    }
  }
}

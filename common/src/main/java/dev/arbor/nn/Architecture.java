package dev.arbor.nn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Random;

/**
 * The shape of a multilayer perceptron: {@code n₀} inputs, hidden layers of {@code n₁ … n_{L−1}}
 * units with one activation, and an {@link OutputLayer} of {@code n_L} units. Immutable and
 * serializable.
 *
 * <p>Weights sit in one {@code double[]} of length {@link #dimension()}, layer after layer: layer
 * {@code l} (from {@code n_l} to {@code n_{l+1}} units) holds its matrix {@code W_l} row-major
 * ({@code n_{l+1} × n_l}, row {@code j} = the incoming weights of unit {@code j}) at {@link
 * #weightOffset(int)}, then its {@code n_{l+1}} biases at {@link #biasOffset(int)}.
 */
public final class Architecture implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] sizes;
  private final Activation activation;
  private final OutputLayer output;
  private final double huberDelta;
  private final double dropout;
  private final int[] offsets;

  /**
   * @param inputs the number of input features, {@code >= 1}
   * @param hidden the hidden layers' sizes, each {@code >= 1} (may be empty)
   * @param activation the hidden layers' activation
   * @param outputs the number of outputs: the classes for softmax, else 1
   * @param output the output layer and loss
   * @param huberDelta {@code δ > 0} of the Huber loss (ignored by the others)
   * @param dropout the probability of dropping a hidden unit while training, in {@code [0, 1)}
   */
  public Architecture(
      int inputs,
      int[] hidden,
      Activation activation,
      int outputs,
      OutputLayer output,
      double huberDelta,
      double dropout) {
    if (inputs < 1) {
      throw new IllegalArgumentException("Invalid network: " + inputs + " inputs (expected >= 1)");
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException(
            "Invalid hidden layer size: "
                + h
                + " in "
                + Arrays.toString(hidden)
                + " (expected >= 1)");
      }
    }
    int expectedOutputs = output == OutputLayer.SOFTMAX_CROSS_ENTROPY ? -1 : 1;
    if (outputs < 1
        || (expectedOutputs == 1 && outputs != 1)
        || (expectedOutputs < 0 && outputs < 2)) {
      throw new IllegalArgumentException(
          "Invalid number of outputs for a "
              + output.activationName()
              + " output layer: "
              + outputs
              + (expectedOutputs < 0 ? " (expected >= 2 classes)" : " (expected 1)"));
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException(
          "Invalid dropout: " + dropout + " (expected a number in [0, 1))");
    }
    if (!(huberDelta > 0) || Double.isInfinite(huberDelta)) {
      throw new IllegalArgumentException(
          "Invalid Huber delta: " + huberDelta + " (expected a finite number > 0)");
    }
    this.sizes = new int[hidden.length + 2];
    sizes[0] = inputs;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = outputs;
    this.activation = activation;
    this.output = output;
    this.huberDelta = huberDelta;
    this.dropout = dropout;
    this.offsets = new int[sizes.length];
    long at = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      offsets[l] = (int) at;
      at += (long) sizes[l + 1] * sizes[l] + sizes[l + 1];
      if (at > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "Invalid network: " + describe() + " has more than 2^31 weights");
      }
    }
    offsets[sizes.length - 1] = (int) at;
  }

  /** The number of weight layers {@code L} (hidden layers + 1). */
  public int numLayers() {
    return sizes.length - 1;
  }

  /** The units of layer {@code l}: {@code 0} = inputs, {@link #numLayers()} = outputs. */
  public int size(int l) {
    return sizes[l];
  }

  public int numInputs() {
    return sizes[0];
  }

  public int numOutputs() {
    return sizes[sizes.length - 1];
  }

  /** The hidden layers' sizes. */
  public int[] hiddenSizes() {
    return Arrays.copyOfRange(sizes, 1, sizes.length - 1);
  }

  public Activation activation() {
    return activation;
  }

  public OutputLayer output() {
    return output;
  }

  public double huberDelta() {
    return huberDelta;
  }

  public double dropout() {
    return dropout;
  }

  /** The number of weights, biases included. */
  public int dimension() {
    return offsets[offsets.length - 1];
  }

  /** Where {@code W_l} starts. */
  public int weightOffset(int l) {
    return offsets[l];
  }

  /** Where layer {@code l}'s biases start. */
  public int biasOffset(int l) {
    return offsets[l] + sizes[l + 1] * sizes[l];
  }

  /** Per weight: whether regularization and weight decay apply (matrices yes, biases never). */
  public boolean[] regularized() {
    boolean[] r = new boolean[dimension()];
    for (int l = 0; l < numLayers(); l++) {
      Arrays.fill(r, weightOffset(l), biasOffset(l), true);
    }
    return r;
  }

  /**
   * Deterministic initial weights from {@code seed}: biases 0; each matrix normal with mean 0 and
   * standard deviation {@code sqrt(2/n_in)} (He) where a ReLU-family activation follows, else
   * {@code sqrt(2/(n_in + n_out))} (Glorot), drawn in layout order from {@link Random} (whose
   * algorithm the JDK specifies, so every JVM draws the same numbers).
   */
  public double[] initialWeights(long seed) {
    double[] w = new double[dimension()];
    Random random = new Random(seed);
    for (int l = 0; l < numLayers(); l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      boolean he = l + 1 < numLayers() && activation.heInitialization();
      double std = he ? Math.sqrt(2.0 / in) : Math.sqrt(2.0 / (in + out));
      for (int i = weightOffset(l); i < biasOffset(l); i++) {
        w[i] = std * random.nextGaussian();
      }
    }
    return w;
  }

  /** E.g. {@code 784 → 128 relu → 10 softmax}. */
  public String describe() {
    StringBuilder s = new StringBuilder().append(sizes[0]);
    for (int l = 1; l < sizes.length - 1; l++) {
      s.append(" → ").append(sizes[l]).append(' ').append(activation.configName());
    }
    s.append(" → ").append(sizes[sizes.length - 1]).append(' ').append(output.activationName());
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Architecture a
        && Arrays.equals(sizes, a.sizes)
        && activation == a.activation
        && output == a.output
        && Double.compare(huberDelta, a.huberDelta) == 0
        && Double.compare(dropout, a.dropout) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sizes) * 31 + activation.hashCode() * 7 + output.hashCode();
  }

  @Override
  public String toString() {
    return "Architecture("
        + describe()
        + (output == OutputLayer.IDENTITY_HUBER ? ", huber-delta=" + huberDelta : "")
        + (dropout > 0 ? ", dropout=" + dropout : "")
        + ", "
        + dimension()
        + " weights)";
  }
}

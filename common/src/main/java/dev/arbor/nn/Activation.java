package dev.arbor.nn;

import java.util.Locale;

/**
 * The activation of a hidden layer, applied element-wise. Each knows its derivative from the
 * pre-activation {@code z} and the activation {@code a = f(z)} (whichever is cheaper).
 */
public enum Activation {
  /** {@code max(0, z)}; derivative 1 for {@code z > 0}, else 0. He initialization. */
  RELU("relu"),
  /** {@code z} for {@code z > 0}, else {@code 0.01·z}. He initialization. */
  LEAKY_RELU("leaky-relu"),
  /** {@code tanh(z)}; derivative {@code 1 − a²}. Glorot initialization. */
  TANH("tanh"),
  /** {@code 1/(1 + e^−z)}; derivative {@code a·(1 − a)}. Glorot initialization. */
  SIGMOID("sigmoid");

  /** The slope of {@link #LEAKY_RELU} below zero (PyTorch's default). */
  public static final double LEAKY_SLOPE = 0.01;

  private final String configName;

  Activation(String configName) {
    this.configName = configName;
  }

  /** The name used in the config ({@code train.mlp.activation}). */
  public String configName() {
    return configName;
  }

  /** The activation named {@code name} (case-insensitive), or an exception listing the names. */
  public static Activation fromConfig(String name) {
    for (Activation a : values()) {
      if (a.configName.equals(name.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "Invalid activation: " + name + " (expected relu, leaky-relu, tanh or sigmoid)");
  }

  /** Whether weights feeding this activation start with He (else Glorot) initialization. */
  public boolean heInitialization() {
    return this == RELU || this == LEAKY_RELU;
  }

  /** Replaces {@code z[from, to)} by {@code f(z)}. */
  void apply(double[] z, int from, int to) {
    switch (this) {
      case RELU -> {
        for (int i = from; i < to; i++) {
          z[i] = z[i] > 0 ? z[i] : 0.0;
        }
      }
      case LEAKY_RELU -> {
        for (int i = from; i < to; i++) {
          z[i] = z[i] > 0 ? z[i] : LEAKY_SLOPE * z[i];
        }
      }
      case TANH -> {
        for (int i = from; i < to; i++) {
          z[i] = Math.tanh(z[i]);
        }
      }
      case SIGMOID -> {
        for (int i = from; i < to; i++) {
          z[i] = sigmoid(z[i]);
        }
      }
    }
  }

  /**
   * Multiplies {@code delta[from, to)} by {@code f'} at the same positions, given the activations
   * {@code a = f(z)} (for ReLU and leaky ReLU, {@code a > 0} iff {@code z > 0}).
   */
  void backward(double[] a, double[] delta, int from, int to) {
    switch (this) {
      case RELU -> {
        for (int i = from; i < to; i++) {
          if (!(a[i] > 0)) {
            delta[i] = 0.0;
          }
        }
      }
      case LEAKY_RELU -> {
        for (int i = from; i < to; i++) {
          if (!(a[i] > 0)) {
            delta[i] *= LEAKY_SLOPE;
          }
        }
      }
      case TANH -> {
        for (int i = from; i < to; i++) {
          delta[i] *= 1 - a[i] * a[i];
        }
      }
      case SIGMOID -> {
        for (int i = from; i < to; i++) {
          delta[i] *= a[i] * (1 - a[i]);
        }
      }
    }
  }

  /** The logistic function, in a form that never overflows. */
  static double sigmoid(double z) {
    if (z >= 0) {
      return 1 / (1 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1 + e);
  }
}

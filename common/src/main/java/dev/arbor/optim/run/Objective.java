package dev.arbor.optim.run;

import dev.arbor.optim.DifferentiableFunction;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.StochasticFunction;
import dev.arbor.optim.StochasticFunction.MiniBatch;

/**
 * The objective {@code F(w) = f(w) + λ(1−α)/2·Σ w_i² + λα·Σ |w_i|} of a {@link Problem}, sums over
 * penalized (non-intercept) coordinates. The "smooth" part is {@code f} plus the L2 term; the L1
 * term is evaluated separately because optimizers treat it separately (proximal step, OWL-QN).
 * Loops run in coordinate order, so every value is deterministic. Not thread-safe.
 */
public final class Objective {
  private final DifferentiableFunction function;
  private final boolean[] penalized;
  private final double l1;
  private final double l2;

  public Objective(Problem problem) {
    this.function = problem.function();
    Regularization r = problem.regularization();
    this.penalized = r.penalizedMask(function.dimension());
    this.l1 = r.l1Strength();
    this.l2 = r.l2Strength();
  }

  public int dimension() {
    return penalized.length;
  }

  /** A copy of the mask of penalized (non-intercept) coordinates. */
  public boolean[] penalized() {
    return penalized.clone();
  }

  /** The L1 coefficient {@code λα}. */
  public double l1Strength() {
    return l1;
  }

  /**
   * The L2 coefficient {@code λ(1 − α)} (the smooth term is {@code l2/2·‖w‖²} on penalized
   * weights).
   */
  public double l2Strength() {
    return l2;
  }

  public boolean hasL1() {
    return l1 > 0;
  }

  /** {@code f(w)} plus the L2 term; the gradient of both is written to {@code gradient}. */
  public double smooth(double[] weights, double[] gradient) {
    return addL2(weights, gradient, function.valueAndGradient(weights, gradient));
  }

  /**
   * The mini-batch objective plus the L2 term, and its gradient.
   *
   * @throws IllegalStateException when the function is not a {@link StochasticFunction}
   */
  public double smoothBatch(double[] weights, double[] gradient, MiniBatch batch) {
    if (!(function instanceof StochasticFunction stochastic)) {
      throw new IllegalStateException("Not a stochastic function: " + function.getClass());
    }
    return addL2(weights, gradient, stochastic.batchValueAndGradient(weights, gradient, batch));
  }

  private double addL2(double[] w, double[] g, double value) {
    if (l2 == 0) {
      return value;
    }
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      if (penalized[i]) {
        sum += w[i] * w[i];
        g[i] += l2 * w[i];
      }
    }
    return value + 0.5 * l2 * sum;
  }

  /** {@code λα·Σ |w_i|} over penalized coordinates. */
  public double l1Value(double[] weights) {
    if (l1 == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (penalized[i]) {
        sum += Math.abs(weights[i]);
      }
    }
    return l1 * sum;
  }

  /**
   * The pseudo-gradient of {@code F} (Andrew &amp; Gao 2007): the gradient where {@code F} is
   * differentiable, and at {@code w_i = 0} the one-sided derivative pointing downhill, or 0 when
   * neither side descends. Equal to {@code smoothGradient} when L1 is off.
   */
  public void pseudoGradient(double[] weights, double[] smoothGradient, double[] out) {
    for (int i = 0; i < weights.length; i++) {
      double g = smoothGradient[i];
      if (l1 == 0 || !penalized[i]) {
        out[i] = g;
      } else if (weights[i] > 0) {
        out[i] = g + l1;
      } else if (weights[i] < 0) {
        out[i] = g - l1;
      } else if (g + l1 < 0) {
        out[i] = g + l1;
      } else if (g - l1 > 0) {
        out[i] = g - l1;
      } else {
        out[i] = 0;
      }
    }
  }

  /** The Euclidean norm of {@link #pseudoGradient}. */
  public double pseudoGradientNorm(double[] weights, double[] smoothGradient) {
    double[] pg = new double[weights.length];
    pseudoGradient(weights, smoothGradient, pg);
    return norm(pg);
  }

  /**
   * The proximal step of the L1 term: {@code w_i ← sign(w_i)·max(|w_i| − λα·step_i, 0)} on
   * penalized coordinates.
   *
   * @param steps per-coordinate step sizes (the effective step of the preceding gradient update)
   */
  public void softThreshold(double[] weights, double[] steps) {
    if (l1 == 0) {
      return;
    }
    for (int i = 0; i < weights.length; i++) {
      if (penalized[i]) {
        weights[i] = shrink(weights[i], l1 * steps[i]);
      }
    }
  }

  /** {@link #softThreshold(double[], double[])} with one step size for every coordinate. */
  public void softThreshold(double[] weights, double step) {
    if (l1 == 0) {
      return;
    }
    for (int i = 0; i < weights.length; i++) {
      if (penalized[i]) {
        weights[i] = shrink(weights[i], l1 * step);
      }
    }
  }

  private static double shrink(double w, double threshold) {
    if (w > threshold) {
      return w - threshold;
    }
    if (w < -threshold) {
      return w + threshold;
    }
    return 0;
  }

  /** Euclidean norm, summed in index order. */
  public static double norm(double[] v) {
    return Math.sqrt(dot(v, v));
  }

  /** Dot product, summed in index order. */
  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Whether every element is finite. */
  public static boolean allFinite(double[] v) {
    for (double x : v) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }
}

package dev.arbor.optim.sgd;

import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.StepRule;

/**
 * Adam (Kingma &amp; Ba 2015, "Adam: a method for stochastic optimization", ICLR) with bias
 * correction: {@code t ← t + 1}; {@code m ← β1·m + (1 − β1)·g}; {@code v ← β2·v + (1 − β2)·g²};
 * {@code w ← w − η·m̂/(sqrt(v̂) + ε)} with {@code m̂ = m/(1 − β1^t)}, {@code v̂ = v/(1 − β2^t)}.
 *
 * <p>With a weight decay {@code λ_w > 0} it is AdamW (Loshchilov &amp; Hutter 2019, "Decoupled
 * weight decay regularization", ICLR): before the Adam update, {@code w ← w − η·λ_w·w} on
 * non-intercept coordinates, outside the adaptive scaling (as PyTorch's {@code AdamW}). This decay
 * is a hyperparameter of the rule, separate from the problem's regularization. The effective step
 * of coordinate {@code i} (for the L1 proximal step) is {@code η/(sqrt(v̂_i) + ε)}.
 */
public final class Adam implements StepRule {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private boolean[] decayed;
  private double[] m;
  private double[] v;
  private long t;

  /**
   * @param beta1 decay of the first moment, in [0, 1)
   * @param beta2 decay of the second moment, in [0, 1)
   * @param epsilon {@code ε > 0}
   * @param weightDecay decoupled weight decay {@code λ_w >= 0}; 0 for plain Adam
   */
  public Adam(double beta1, double beta2, double epsilon, double weightDecay) {
    check("beta1", beta1);
    check("beta2", beta2);
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException(
          "Invalid epsilon: " + epsilon + " (expected a finite number > 0)");
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          "Invalid weight decay: " + weightDecay + " (expected a finite number >= 0)");
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  private static void check(String name, double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException(
          "Invalid " + name + ": " + beta + " (expected a number in [0, 1))");
    }
  }

  /** Adam with the paper's defaults {@code β1 = 0.9, β2 = 0.999, ε = 1e-8}, no weight decay. */
  public static Adam defaults() {
    return new Adam(0.9, 0.999, 1e-8, 0);
  }

  @Override
  public String name() {
    return weightDecay > 0 ? "adamw" : "adam";
  }

  @Override
  public void initialise(boolean[] regularized) {
    decayed = regularized.clone();
    m = new double[regularized.length];
    v = new double[regularized.length];
    t = 0;
  }

  @Override
  public void step(double[] w, double[] g, double rate, double[] effectiveStep) {
    step(w, g, rate, effectiveStep, true);
  }

  /** As {@link #step}, without writing the effective step sizes (a third less memory traffic). */
  @Override
  public void stepSmooth(double[] w, double[] g, double rate, double[] scratch) {
    step(w, g, rate, null, false);
  }

  private void step(double[] w, double[] g, double rate, double[] effectiveStep, boolean report) {
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    if (weightDecay > 0) {
      double shrink = rate * weightDecay;
      for (int i = 0; i < w.length; i++) {
        if (decayed[i]) {
          w[i] -= shrink * w[i];
        }
      }
    }
    // Branch-free loops over plain arrays, which the JIT compiles to vector instructions (SIMD
    // multiply, divide and square root round exactly as their scalar forms: the same bits).
    double b1 = beta1;
    double b2 = beta2;
    double a1 = 1 - beta1;
    double a2 = 1 - beta2;
    double eps = epsilon;
    double[] m = this.m;
    double[] v = this.v;
    int n = w.length;
    if (report) {
      for (int i = 0; i < n; i++) {
        double gi = g[i];
        double mi = b1 * m[i] + a1 * gi;
        double vi = b2 * v[i] + a2 * gi * gi;
        double e = rate / (Math.sqrt(vi / c2) + eps);
        m[i] = mi;
        v[i] = vi;
        effectiveStep[i] = e;
        w[i] -= e * (mi / c1);
      }
    } else {
      for (int i = 0; i < n; i++) {
        double gi = g[i];
        double mi = b1 * m[i] + a1 * gi;
        double vi = b2 * v[i] + a2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= rate / (Math.sqrt(vi / c2) + eps) * (mi / c1);
      }
    }
  }

  @Override
  public void save(OptimizerState.Builder state) {
    state.vector("adam.m", m).vector("adam.v", v).scalar("adam.t", t);
  }

  @Override
  public void restore(OptimizerState state) {
    m = state.vector("adam.m");
    v = state.vector("adam.v");
    t = (long) state.scalar("adam.t");
  }

  @Override
  public StepRule copy() {
    return new Adam(beta1, beta2, epsilon, weightDecay);
  }

  @Override
  public String toString() {
    return (weightDecay > 0 ? "AdamW" : "Adam")
        + "(beta1="
        + beta1
        + ", beta2="
        + beta2
        + ", epsilon="
        + epsilon
        + (weightDecay > 0 ? ", weight-decay=" + weightDecay : "")
        + ")";
  }
}

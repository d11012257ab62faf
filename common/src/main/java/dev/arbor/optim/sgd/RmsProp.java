package dev.arbor.optim.sgd;

import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.StepRule;

/**
 * RMSprop (Tieleman &amp; Hinton 2012, "Lecture 6.5 — RMSprop: divide the gradient by a running
 * average of its recent magnitude", COURSERA: Neural Networks for Machine Learning): {@code v ← ρ·v
 * + (1 − ρ)·g²}; {@code w ← w − η·g/(sqrt(v) + ε)}. The effective step of coordinate {@code i} is
 * {@code η/(sqrt(v_i) + ε)}.
 */
public final class RmsProp implements StepRule {
  private final double rho;
  private final double epsilon;
  private double[] meanSquares;

  /**
   * @param rho the decay {@code ρ} of the running mean of squared gradients, in [0, 1)
   * @param epsilon {@code ε > 0}
   */
  public RmsProp(double rho, double epsilon) {
    if (!(rho >= 0 && rho < 1)) {
      throw new IllegalArgumentException("Invalid rho: " + rho + " (expected a number in [0, 1))");
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException(
          "Invalid epsilon: " + epsilon + " (expected a finite number > 0)");
    }
    this.rho = rho;
    this.epsilon = epsilon;
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  public void initialise(boolean[] regularized) {
    meanSquares = new double[regularized.length];
  }

  @Override
  public void step(double[] w, double[] g, double rate, double[] effectiveStep) {
    for (int i = 0; i < w.length; i++) {
      meanSquares[i] = rho * meanSquares[i] + (1 - rho) * g[i] * g[i];
      effectiveStep[i] = rate / (Math.sqrt(meanSquares[i]) + epsilon);
      w[i] -= effectiveStep[i] * g[i];
    }
  }

  @Override
  public void save(OptimizerState.Builder state) {
    state.vector("rmsprop.mean-squares", meanSquares);
  }

  @Override
  public void restore(OptimizerState state) {
    meanSquares = state.vector("rmsprop.mean-squares");
  }

  @Override
  public StepRule copy() {
    return new RmsProp(rho, epsilon);
  }

  @Override
  public String toString() {
    return "RmsProp(rho=" + rho + ", epsilon=" + epsilon + ")";
  }
}

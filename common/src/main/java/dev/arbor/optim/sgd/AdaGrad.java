package dev.arbor.optim.sgd;

import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.StepRule;

/**
 * AdaGrad (Duchi, Hazan &amp; Singer 2011, "Adaptive subgradient methods for online learning and
 * stochastic optimization", JMLR 12): {@code G ← G + g²}; {@code w ← w − η·g/(sqrt(G) + ε)}. The
 * effective step of coordinate {@code i} is {@code η/(sqrt(G_i) + ε)}.
 */
public final class AdaGrad implements StepRule {
  private final double epsilon;
  private double[] sumSquares;

  /**
   * @param epsilon {@code ε > 0}, keeps the step finite while {@code G} is zero
   */
  public AdaGrad(double epsilon) {
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException(
          "Invalid epsilon: " + epsilon + " (expected a finite number > 0)");
    }
    this.epsilon = epsilon;
  }

  @Override
  public String name() {
    return "adagrad";
  }

  @Override
  public void initialise(boolean[] regularized) {
    sumSquares = new double[regularized.length];
  }

  @Override
  public void step(double[] w, double[] g, double rate, double[] effectiveStep) {
    for (int i = 0; i < w.length; i++) {
      sumSquares[i] += g[i] * g[i];
      effectiveStep[i] = rate / (Math.sqrt(sumSquares[i]) + epsilon);
      w[i] -= effectiveStep[i] * g[i];
    }
  }

  @Override
  public void save(OptimizerState.Builder state) {
    state.vector("adagrad.sum-squares", sumSquares);
  }

  @Override
  public void restore(OptimizerState state) {
    sumSquares = state.vector("adagrad.sum-squares");
  }

  @Override
  public StepRule copy() {
    return new AdaGrad(epsilon);
  }

  @Override
  public String toString() {
    return "AdaGrad(epsilon=" + epsilon + ")";
  }
}

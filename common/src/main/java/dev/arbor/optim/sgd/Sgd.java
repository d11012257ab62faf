package dev.arbor.optim.sgd;

import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.StepRule;
import java.util.Arrays;

/**
 * Stochastic gradient descent, optionally with heavy-ball momentum or Nesterov momentum in the form
 * of Sutskever et al. 2013 ("On the importance of initialization and momentum in deep learning",
 * ICML; after Nesterov 1983, "A method for solving the convex programming problem with convergence
 * rate O(1/k²)"), as PyTorch writes it: {@code v ← μ·v + g}; {@code w ← w − η·v}, or with Nesterov
 * {@code w ← w − η·(g + μ·v)}. With {@code μ = 0} plain SGD {@code w ← w − η·g}.
 *
 * <p>The effective step (which scales the L1 soft-threshold) is {@code η/(1 − μ)} on every
 * coordinate: the step momentum takes in steady state ({@code v → g/(1 − μ)}), so that the fixed
 * point of update plus soft-threshold is the L1-regularized minimum. With {@code η} alone the
 * threshold would act as {@code λ·(1 − μ)}.
 */
public final class Sgd implements StepRule {
  private final double momentum;
  private final boolean nesterov;
  private double[] velocity;

  /**
   * @param momentum {@code μ} in [0, 1)
   * @param nesterov whether to use Nesterov momentum (needs {@code μ > 0})
   */
  public Sgd(double momentum, boolean nesterov) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException(
          "Invalid momentum: " + momentum + " (expected a number in [0, 1))");
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException(
          "Invalid Nesterov momentum: momentum is 0 (expected momentum > 0)");
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  /** Plain SGD. */
  public static Sgd plain() {
    return new Sgd(0, false);
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public void initialise(boolean[] regularized) {
    velocity = new double[regularized.length];
  }

  @Override
  public void step(double[] w, double[] g, double rate, double[] effectiveStep) {
    for (int i = 0; i < w.length; i++) {
      double update = g[i];
      if (momentum > 0) {
        velocity[i] = momentum * velocity[i] + g[i];
        update = nesterov ? g[i] + momentum * velocity[i] : velocity[i];
      }
      w[i] -= rate * update;
    }
    Arrays.fill(effectiveStep, rate / (1 - momentum));
  }

  @Override
  public void save(OptimizerState.Builder state) {
    state.vector("sgd.velocity", velocity);
  }

  @Override
  public void restore(OptimizerState state) {
    velocity = state.vector("sgd.velocity");
  }

  @Override
  public StepRule copy() {
    return new Sgd(momentum, nesterov);
  }

  @Override
  public String toString() {
    return "Sgd(momentum=" + momentum + ", nesterov=" + nesterov + ")";
  }
}

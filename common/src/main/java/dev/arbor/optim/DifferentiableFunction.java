package dev.arbor.optim;

/**
 * A differentiable objective {@code f: R^n -> R} that an {@link Optimizer} minimizes. Arbor's
 * training objective implements it with one Spark job per call; tests implement it with plain
 * arithmetic (quadratics, Rosenbrock).
 *
 * <p>Implementations need not be thread-safe: optimizers call them from one thread.
 */
public interface DifferentiableFunction {
  /** The number of weights {@code n}. */
  int dimension();

  /**
   * Computes {@code f(weights)} and writes {@code ∇f(weights)} into {@code gradient}.
   *
   * @param weights the point, length {@link #dimension()}; not modified
   * @param gradient receives the gradient, length {@link #dimension()}; overwritten
   * @return the function value
   */
  double valueAndGradient(double[] weights, double[] gradient);
}

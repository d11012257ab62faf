package dev.arbor.optim;

/**
 * Minimizes a {@link Problem}: its function plus its regularization, from its initial weights or
 * from the snapshot it resumes from, until one of its stopping criteria holds.
 *
 * <p>Implementations are immutable and thread-safe (each call to {@link #minimize} owns its state),
 * deterministic (no randomness, no hash-order iteration: the same problem gives the same result bit
 * for bit) and never import Spark. {@code toString()} prints the name and every hyperparameter; the
 * trainer logs it when training starts and it identifies the optimizer in snapshots.
 */
public interface Optimizer {
  /**
   * Runs the optimization. The listener of the problem is called once per iteration (per epoch for
   * stochastic optimizers) on the calling thread.
   *
   * @return the final weights, loss, history and why the run stopped; a diverged run is returned
   *     with {@link StopReason#DIVERGED}, not thrown
   * @throws IllegalArgumentException when the problem does not suit this optimizer (for example a
   *     stochastic optimizer given a function that is not a {@link StochasticFunction}, or a
   *     snapshot taken by another optimizer)
   */
  Result minimize(Problem problem);

  /** The short configuration name, e.g. {@code "adam"} or {@code "lbfgs"}. */
  String name();
}

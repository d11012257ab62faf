package dev.arbor.optim;

/** Why an optimization run stopped. */
public enum StopReason {
  /** {@link StoppingCriteria#maxIterations()} iterations (epochs) were completed. */
  MAX_ITERATIONS,
  /** The relative loss change fell to {@link StoppingCriteria#relativeTolerance()} or below. */
  LOSS_CONVERGED,
  /** The (pseudo-)gradient norm fell to {@link StoppingCriteria#gradientTolerance()} or below. */
  GRADIENT_CONVERGED,
  /** The wall-clock budget {@link StoppingCriteria#maxDuration()} was used up. */
  TIME_LIMIT,
  /** The listener asked to stop (for example early stopping on a validation metric). */
  STOPPED_BY_LISTENER,
  /**
   * The line search found no acceptable step: the weights are the last accepted ones, usually as
   * good as floating point allows. Callers may treat it as convergence with a warning.
   */
  LINE_SEARCH_FAILED,
  /**
   * The loss or the gradient became non-finite, or the loss stayed above {@value
   * StoppingCriteria#DIVERGENCE_FACTOR} times the initial loss for {@value
   * StoppingCriteria#DIVERGENCE_PATIENCE} consecutive iterations. {@link Result#message()} names
   * the iteration and the loss. The weights must not be used.
   */
  DIVERGED;

  /** Whether the run ended normally (anything but {@link #DIVERGED}). */
  public boolean isSuccess() {
    return this != DIVERGED;
  }
}

package dev.arbor.optim;

/** Why an optimization run stopped. */
public enum StopReason {
  /** {@link StoppingCriteria#maxIterations()} iterations (epochs) were completed. */
  MAX_ITERATIONS,
  /** The relative loss change fell to {@link StoppingCriteria#relativeTolerance()} or below. */
  LOSS_CONVERGED,
  /** The (pseudo-)gradient norm fell to {@link StoppingCriteria#gradientTolerance()} or below. */
  GRADIENT_CONVERGED,
  /**
   * No step decreases the loss any more in floating point (the line search failed) at a point whose
   * (pseudo-)gradient norm is at most {@value #CONVERGED_GRADIENT} × max(1, |loss|): the fit
   * reached the optimum as closely as the arithmetic allows. (A line search failing anywhere else
   * is {@link #LINE_SEARCH_FAILED}.)
   */
  CONVERGED,
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

  /** Relative gradient norm below which a failed line search means {@link #CONVERGED}. */
  public static final double CONVERGED_GRADIENT = 1e-6;

  /**
   * {@link #CONVERGED} when the gradient norm {@code gradientNorm} at loss {@code loss} is small
   * enough (see there), else {@link #LINE_SEARCH_FAILED}: how to read a failed line search.
   */
  public static StopReason afterFailedLineSearch(double gradientNorm, double loss) {
    return gradientNorm <= CONVERGED_GRADIENT * Math.max(1.0, Math.abs(loss))
        ? CONVERGED
        : LINE_SEARCH_FAILED;
  }

  /** Whether the run ended normally (anything but {@link #DIVERGED}). */
  public boolean isSuccess() {
    return this != DIVERGED;
  }
}

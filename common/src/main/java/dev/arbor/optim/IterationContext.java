package dev.arbor.optim;

/**
 * What an {@link IterationListener} sees of one completed iteration, and how it talks back. Valid
 * only during the {@link IterationListener#onIteration} call that received it.
 */
public interface IterationContext {
  /** The iteration's measurements, including a validation metric once reported. */
  IterationRecord record();

  /** A copy of the weights after this iteration (full length, intercepts included). */
  double[] weights();

  /**
   * Fills the validation-metric slot of this iteration's record (kept in the history, the result
   * and later snapshots). Call before {@link #snapshot()} for the snapshot to include it.
   */
  void reportValidationMetric(double value);

  /**
   * Asks the optimizer to stop after this iteration with {@link StopReason#STOPPED_BY_LISTENER}.
   *
   * @param reason one line for the result's message, e.g. "no improvement for 5 epochs"
   */
  void requestStop(String reason);

  /**
   * The complete state after this iteration: resuming a {@link Problem} from it ends with exactly
   * the weights an uninterrupted run produces. Built on each call (costs a copy of the weights and
   * the optimizer's memory), so call it only when writing a checkpoint.
   */
  OptimizerState snapshot();
}

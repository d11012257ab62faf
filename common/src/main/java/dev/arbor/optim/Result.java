package dev.arbor.optim;

import java.util.List;

/**
 * The outcome of {@link Optimizer#minimize}.
 *
 * @param weights the final weights (a copy on each access); must not be used when {@code
 *     stopReason} is {@link StopReason#DIVERGED}
 * @param loss the full objective at {@code weights} (as in {@link IterationRecord#loss()})
 * @param iterations completed iterations (epochs), counting those before a resume
 * @param history one record per completed iteration, oldest first, including those before a resume
 * @param stopReason why the run stopped
 * @param message one line saying why, with the figures (e.g. the iteration and loss of a
 *     divergence)
 * @param finalState the state at the end: a checkpoint, or a warm start for a longer run
 */
public record Result(
    double[] weights,
    double loss,
    int iterations,
    List<IterationRecord> history,
    StopReason stopReason,
    String message,
    OptimizerState finalState) {

  public Result {
    weights = weights.clone();
    history = List.copyOf(history);
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public String toString() {
    return "Result["
        + stopReason
        + ", iterations="
        + iterations
        + ", loss="
        + loss
        + ": "
        + message
        + "]";
  }
}

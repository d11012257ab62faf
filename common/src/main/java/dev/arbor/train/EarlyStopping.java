package dev.arbor.train;

/**
 * Early stopping on a validation metric with patience: remembers the best value and its weights;
 * after {@code patience} evaluations without a strict improvement it says stop, and the caller
 * restores {@link #bestWeights()}. Deterministic; its {@link State} goes into checkpoints so a
 * resumed run stops exactly where an uninterrupted one does. Not thread-safe.
 */
public final class EarlyStopping {
  private final ValidationMetric metric;
  private final int patience;
  private State state;

  /**
   * The listener's state.
   *
   * @param bestMetric the best value so far (NaN before the first evaluation)
   * @param bestIteration its iteration (0 before the first evaluation)
   * @param bestWeights its weights (null before the first evaluation)
   * @param sinceBest evaluations since the best one
   */
  public record State(double bestMetric, int bestIteration, double[] bestWeights, int sinceBest) {
    /** The state before any evaluation. */
    public static State initial() {
      return new State(Double.NaN, 0, null, 0);
    }
  }

  public EarlyStopping(ValidationMetric metric, int patience, State state) {
    if (patience < 1) {
      throw new IllegalArgumentException("Invalid patience: " + patience + " (expected >= 1)");
    }
    this.metric = metric;
    this.patience = patience;
    this.state = state;
  }

  /**
   * Records an evaluation.
   *
   * @param weights the weights evaluated (copied when best)
   * @return whether to stop now (no improvement in the last {@code patience} evaluations)
   */
  public boolean update(int iteration, double value, double[] weights) {
    if (metric.isBetter(value, state.bestMetric()) || state.bestWeights() == null) {
      state = new State(value, iteration, weights.clone(), 0);
      return false;
    }
    state =
        new State(
            state.bestMetric(), state.bestIteration(), state.bestWeights(), state.sinceBest() + 1);
    return state.sinceBest() >= patience;
  }

  public State state() {
    return state;
  }

  /** The weights of the best evaluation (a copy), or null before any. */
  public double[] bestWeights() {
    return state.bestWeights() == null ? null : state.bestWeights().clone();
  }

  public ValidationMetric metric() {
    return metric;
  }
}

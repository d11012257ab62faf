package dev.arbor.optim;

/**
 * A {@link DifferentiableFunction} that is a (weighted) mean over examples and can also be
 * evaluated on one mini-batch of them, for the stochastic optimizers.
 *
 * <p>Batches are deterministic: the same {@link MiniBatch} always selects the same examples (each
 * partition permutes its rows from the seed, the epoch and the partition index and takes slice
 * {@code step} of {@code stepsPerEpoch}), so a run is reproducible and resumable. A batch costs in
 * proportion to its size.
 */
public interface StochasticFunction extends DifferentiableFunction {
  /** The number of examples the full objective averages over. */
  long numExamples();

  /**
   * Computes the objective and its gradient over one mini-batch only (the batch's weighted mean
   * loss, plus whatever smooth terms the full objective adds).
   *
   * @param weights the point; not modified
   * @param gradient receives the batch gradient; overwritten
   * @param batch which examples
   * @return the batch objective value
   */
  double batchValueAndGradient(double[] weights, double[] gradient, MiniBatch batch);

  /**
   * Identifies one mini-batch: slice {@code step} (0-based) of {@code stepsPerEpoch} equal slices
   * of the examples as permuted for {@code epoch}.
   */
  record MiniBatch(long epoch, int step, int stepsPerEpoch) {
    public MiniBatch {
      if (epoch < 0 || stepsPerEpoch < 1 || step < 0 || step >= stepsPerEpoch) {
        throw new IllegalArgumentException(
            "Invalid mini-batch: epoch=" + epoch + " step=" + step + " of " + stepsPerEpoch);
      }
    }
  }
}

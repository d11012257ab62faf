package dev.arbor.optim;

/**
 * A {@link StochasticFunction} over data split into shards (Spark partitions) that can also run
 * several mini-batch steps on every shard at once and average the results: local SGD, or model
 * averaging (Zinkevich et al. 2010, "Parallelized stochastic gradient descent", NIPS; Stich 2019,
 * "Local SGD converges fast and communicates little", ICLR). One call is one round: every shard
 * starts from the same weights and step-rule state, runs {@code steps} steps on its own
 * mini-batches of about {@code batchSize} rows, and the shards' weights and rule states are
 * averaged, weighted by the row weight each shard used. A round costs one distributed job instead
 * of one per step.
 *
 * <p>Deterministic: the batches of a shard follow from (seed, epoch, shard), and the average is
 * taken in a fixed order, so a round's result depends only on its inputs and the partitioning (the
 * number of shards changes which rows are averaged together, and so the result).
 */
public interface LocalStepFunction extends StochasticFunction {
  /**
   * The local steps of one epoch for global mini-batches of {@code batchSize} rows: every shard
   * sees each of its rows once per epoch.
   */
  int localStepsPerEpoch(int batchSize);

  /**
   * The number of shards. With one shard there is nothing to average: a round returns that shard's
   * weights and rule state exactly, so the optimizer runs a whole epoch per round whatever the
   * averaging interval (the steps are those of sequential training).
   */
  int shards();

  /**
   * Runs one round.
   *
   * @param request what to run
   * @return the averaged weights and rule state, with the round's mean batch loss and gradient
   */
  Round localSteps(RoundRequest request);

  /**
   * One round's input.
   *
   * @param weights the weights every shard starts from (not modified)
   * @param rule the step rule prototype (copied on each shard)
   * @param state the rule's state to start from, or {@code null} for a fresh rule
   * @param penalized which weights the L2 term and weight decay apply to
   * @param l2 the L2 strength {@code λ} (the smooth objective adds {@code λ/2·‖w‖²})
   * @param learningRate the step's learning rate
   * @param epoch the epoch (0-based)
   * @param firstStep the first local step of the epoch in this round
   * @param steps how many steps
   * @param stepsPerEpoch {@link #localStepsPerEpoch} for the batch size
   */
  record RoundRequest(
      double[] weights,
      StepRule rule,
      RuleState state,
      boolean[] penalized,
      double l2,
      double learningRate,
      long epoch,
      int firstStep,
      int steps,
      int stepsPerEpoch)
      implements java.io.Serializable {}

  /**
   * One round's result.
   *
   * @param weights the averaged weights
   * @param state the averaged rule state
   * @param meanLoss the weighted mean of the round's batch losses (each at the weights before its
   *     step, L2 term included); non-finite when any shard diverged
   * @param meanGradient the weighted mean of the round's batch gradients (L2 term included)
   */
  record Round(double[] weights, RuleState state, double meanLoss, double[] meanGradient) {}
}

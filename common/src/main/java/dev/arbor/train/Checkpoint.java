package dev.arbor.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the train stage writes every {@code train.checkpoint-every} iterations, enough to continue
 * the run and end with exactly the weights of an uninterrupted one: the optimizer's snapshot
 * (weights, iteration, history, its own state; {@code dev.arbor.optim.OptimizerState} as JSON) and
 * the early-stopping state of the listener.
 *
 * @param format layout version ({@value #FORMAT})
 * @param model the model name
 * @param runDate the run date
 * @param configHash SHA-256 of the resolved config (without {@code train.resume}); a checkpoint of
 *     another config is never resumed
 * @param candidate the model-selection candidate (0 without a grid)
 * @param fold the cross-validation fold, or -1 for a fit on the whole train split
 * @param iteration completed iterations
 * @param optimizerState the optimizer snapshot, as written by {@code OptimizerState.toJson()}
 * @param early the early-stopping state
 */
public record Checkpoint(
    int format,
    String model,
    String runDate,
    String configHash,
    int candidate,
    int fold,
    int iteration,
    JsonNode optimizerState,
    EarlyStopping.State early) {
  /** The JSON layout version. */
  public static final int FORMAT = 1;
}

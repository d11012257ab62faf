package dev.arbor.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the train stage writes every {@code train.checkpoint-every} iterations, enough to continue
 * the run and end with exactly the weights of an uninterrupted one: the optimizer's snapshot
 * (weights, iteration, history, its own state; {@code dev.arbor.optim.OptimizerState} as JSON) and
 * the early-stopping state of the listener. It is resumed only by a run of the same model, run
 * date, config, data and initial weights: with anything else an uninterrupted run would end
 * elsewhere.
 *
 * @param format layout version ({@value #FORMAT}); a checkpoint of another version is ignored
 * @param model the model name
 * @param runDate the run date
 * @param configHash SHA-256 of the resolved config (without {@code train.resume}); a checkpoint of
 *     another config is never resumed
 * @param basis the data and initial weights the fit started from
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
    Basis basis,
    int candidate,
    int fold,
    int iteration,
    JsonNode optimizerState,
    EarlyStopping.State early) {
  /**
   * The JSON layout version: 2 added {@link #basis()} (version 1 matched by config only and is
   * ignored).
   */
  public static final int FORMAT = 2;

  /**
   * What a fit starts from besides the config, so that a checkpoint is resumed only when the
   * resumed run would compute exactly what the interrupted one did.
   *
   * @param train {@link dev.arbor.model.DataFingerprint} of the train split (a cross-validation
   *     fold's rows follow from it and the config)
   * @param validation the validation split's fingerprint when early stopping reads it, else ""
   * @param initialWeights SHA-256 of the initial weights' bits (zeros, or a warm start, which
   *     changes when the previous model is retrained)
   */
  public record Basis(String train, String validation, String initialWeights) {}
}

/**
 * The {@code evaluate} stage: scores the prepared train, validation and test splits with the run's
 * model, computes their metrics ({@code dev.arbor.eval.metrics}) and writes every evaluation table
 * of the run ({@code dev.arbor.catalog}), the {@code runs} row last.
 *
 * <p>{@link dev.arbor.evaluate.EvaluateStage} works on {@link dev.arbor.evaluate.EvaluationInputs}
 * (Predictions frames, history, coefficients, counts), so it does not depend on how a model is
 * stored; {@link dev.arbor.evaluate.RunArtifacts} reads those inputs from the outputs of the {@code
 * prepare} and {@code train} stages (prepared splits, prep model, model file). {@link
 * dev.arbor.evaluate.RunIds} derives the deterministic run id.
 */
package dev.arbor.evaluate;

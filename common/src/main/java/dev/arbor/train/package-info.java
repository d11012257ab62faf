/**
 * The {@code train} stage, split along Spark ML's estimator/tuning line.
 *
 * <ul>
 *   <li>{@link dev.arbor.train.TrainStage}: the stage boundary: reads the prepared splits and prep
 *       model ({@link dev.arbor.train.TrainInputs}), resolves the configuration once into a {@link
 *       dev.arbor.train.TrainingSpec} (settings, candidates, config JSON and hash, the resume
 *       request), and writes the model. Below it no class reads {@code ArborConfig}.
 *   <li>{@link dev.arbor.train.Trainer}: wiring only.
 *   <li>{@link dev.arbor.train.CandidateFitter}: fits one candidate of one model family (the
 *       estimator; the seam a family plugs into). The linear family: {@link
 *       dev.arbor.train.LinearFitter} (closed form, {@code dev.arbor.train.lsq}, or the configured
 *       optimizer, {@code dev.arbor.optim}, over the gradient backend's objective, {@code
 *       dev.arbor.train.pass} / {@code dev.arbor.train.sql}, cached by {@link
 *       dev.arbor.train.BlockCache}), with {@link dev.arbor.train.WarmStart}.
 *   <li>{@link dev.arbor.train.ModelSelection}: the candidates of {@code train.candidates} / {@code
 *       train.grid}, scored on the validation split or by k-fold cross-validation.
 *   <li>{@link dev.arbor.train.TrainingMonitor}: what each fit reports its iterations to: log
 *       lines, checkpoints ({@link dev.arbor.train.CheckpointStore}), early stopping ({@link
 *       dev.arbor.train.EarlyStopping}), divergence.
 *   <li>Model assembly: {@link dev.arbor.train.ModelMetadata} (what the run records) and {@link
 *       dev.arbor.train.CandidateFitter#model} (the family's {@code dev.arbor.model.Model}).
 * </ul>
 */
package dev.arbor.train;

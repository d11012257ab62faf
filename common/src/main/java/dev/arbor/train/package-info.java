/**
 * The {@code train} stage: reads the prepared splits and prep model, builds the training objective
 * ({@code dev.arbor.train.pass} over {@code dev.arbor.train.data} blocks), minimizes it with the
 * configured optimizer ({@code dev.arbor.optim}) or in closed form ({@code dev.arbor.train.lsq}),
 * with checkpoints, resume, early stopping, warm start and model selection, and writes a {@link
 * dev.arbor.model.LinearModel}. {@link dev.arbor.train.TrainSettings} holds its orchestration keys.
 */
package dev.arbor.train;

/**
 * The trained model artifact and its use, for every model family: {@link dev.arbor.model.Model}
 * (the contract the {@code evaluate}, {@code promote}, {@code score} and {@code report} stages
 * depend on: metadata, scoring into the Predictions contract, rows for the evaluation tables),
 * {@link dev.arbor.model.ModelStore} (the atomic {@code model.json} under {@code
 * <output.root>/models/<model>/run_date=<D>/}, read through the {@link dev.arbor.model.ModelCodec}
 * of its {@code family}). The linear family: {@link dev.arbor.model.LinearModel} (weights in the
 * prepared and in the original feature space) and {@link dev.arbor.model.Scoring} (plain,
 * RAPIDS-eligible Column expressions). Written by the {@code train} stage ({@code
 * dev.arbor.train}).
 */
package dev.arbor.model;

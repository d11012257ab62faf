/**
 * The trained model artifact and its use: {@link dev.arbor.model.LinearModel} (weights in the
 * prepared and in the original feature space, task, loss, features, resolved config, data
 * fingerprint, history, candidates, versions), {@link dev.arbor.model.ModelStore} (the atomic JSON
 * file under {@code <output.root>/models/<model>/run_date=<D>/model.json}) and {@link
 * dev.arbor.model.Scoring} (the Predictions contract as plain, RAPIDS-eligible Column expressions).
 * Written by the {@code train} stage ({@code dev.arbor.train}), read by scoring and {@code
 * evaluate}.
 */
package dev.arbor.model;

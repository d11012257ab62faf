/**
 * Prep: the {@code prepare} stage, from raw input rows to clean, encoded, scaled train / validation
 * / test splits plus rejects, and the fitted {@link dev.arbor.prep.PrepModel} that {@code train}
 * and scoring reuse.
 *
 * <p>Contracts: {@link dev.arbor.prep.PrepareSettings} (the {@code prepare} config section), {@link
 * dev.arbor.prep.PrepModel} (the fitted transformation and its JSON file), {@link
 * dev.arbor.prep.PrepareResult} (row accounting) and {@link dev.arbor.prep.PrepareStage} (the entry
 * point). The steps: {@link dev.arbor.prep.RowAnnotator} gives every row an id, a reject reason or
 * a split; {@link dev.arbor.prep.PrepFitter} fits imputation, top-K categories and scaling on the
 * training split only, {@link dev.arbor.prep.OneHotEncoding} names the one-hot columns ({@link
 * dev.arbor.prep.FeatureNames}) and leaves out each column's reference level ({@link
 * dev.arbor.prep.DropRule}). Input comes through {@code dev.arbor.ingest}, outputs are committed
 * atomically through {@code dev.arbor.store}. Every DataFrame plan here uses plain Column
 * expressions (no UDF, no vector column) so that it runs on the RAPIDS Accelerator.
 */
package dev.arbor.prep;

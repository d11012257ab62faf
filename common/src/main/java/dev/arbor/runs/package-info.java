/**
 * Bookkeeping of runs: which stages of a model have completed for a run date. {@link
 * dev.arbor.runs.StageLedger} is the contract the {@code backfill} command (in {@code jobs}) asks
 * before running a stage; {@link dev.arbor.runs.outputs} answers it from the committed outputs of
 * each stage.
 */
package dev.arbor.runs;

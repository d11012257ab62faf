/**
 * Stage bookkeeping of runs: which stages of a model completed for a run date, on which inputs and
 * config. {@link dev.arbor.runs.Step} is what a stage exposes (its fingerprints and how to run it),
 * {@link dev.arbor.runs.StageLedger} where outcomes are recorded, {@link
 * dev.arbor.runs.StageRunner} the skip rule that runs a list of steps; {@link dev.arbor.runs.table}
 * keeps the ledger in the {@code runs} table. The stages themselves are in {@link
 * dev.arbor.pipeline}.
 */
package dev.arbor.runs;

/**
 * The whole nightly run of one model and run date: {@code prepare} ({@code dev.arbor.prep}) →
 * {@code train} ({@code dev.arbor.train}) → {@code evaluate} ({@code dev.arbor.evaluate}), each
 * stage reading what the previous one committed, as {@link dev.arbor.runs.Step}s run with the stage
 * ledger's skip rule ({@link dev.arbor.runs.StageRunner}, outcomes in the {@code runs} table);
 * {@link dev.arbor.pipeline.Backfill} runs them over a range of run dates.
 */
package dev.arbor.pipeline;

/**
 * The whole nightly run of one model and run date in one Spark session: {@code prepare} ({@code
 * dev.arbor.prep}) → {@code train} ({@code dev.arbor.train}) → {@code evaluate} ({@code
 * dev.arbor.eval.stage}), each stage reading what the previous one committed, with the measured
 * stage durations recorded in the {@code runs} table.
 */
package dev.arbor.pipeline;

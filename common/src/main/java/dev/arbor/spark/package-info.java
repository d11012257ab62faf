/**
 * What a stage runs with: {@link dev.arbor.spark.JobContext} carries the SparkSession, the config,
 * the logical run date and the request's flags into a stage. The session itself is built by {@code
 * dev.arbor.session.Sessions}; stages live in their own packages ({@code prep}, {@code train}, …).
 */
package dev.arbor.spark;

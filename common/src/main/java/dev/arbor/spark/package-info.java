/**
 * Spark plumbing shared by every job: {@link dev.arbor.spark.Sessions} creates the job's
 * SparkSession from the resolved {@link dev.arbor.config.ArborConfig}, and {@link
 * dev.arbor.spark.JobContext} carries the session, the config and the logical run date into a
 * stage. Stages themselves live in their own packages ({@code prep}, {@code train}, …).
 */
package dev.arbor.spark;

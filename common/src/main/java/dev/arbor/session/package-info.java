/**
 * Building a job's SparkSession: {@link dev.arbor.session.Sessions} creates it from the resolved
 * {@code ArborConfig}, with the evaluation tables' Iceberg catalog ({@code catalog}) and the GPU
 * environment ({@code gpu}). Used by the entry points only, above every stage.
 */
package dev.arbor.session;

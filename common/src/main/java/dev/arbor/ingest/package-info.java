/**
 * Ingest: reading the Parquet input of a run and checking it against the declared schema before any
 * work is done. {@link dev.arbor.ingest.DatasetSchema} is the {@code schema} config section, {@link
 * dev.arbor.ingest.ParquetInput} reads a path or glob (selecting the run date's partition when the
 * input is date-partitioned), and {@link dev.arbor.ingest.SchemaValidator} resolves the declared
 * columns against the data into a {@link dev.arbor.ingest.ResolvedSchema} or fails with a {@link
 * dev.arbor.DataValidationException}. The {@code prep} package builds on these.
 */
package dev.arbor.ingest;

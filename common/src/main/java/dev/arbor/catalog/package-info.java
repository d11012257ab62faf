/**
 * The Iceberg tables that keep every run's evaluation queryable with SQL: catalog configuration
 * ({@link dev.arbor.catalog.CatalogSettings}, section {@code catalog} of {@code conf/arbor.conf},
 * turned into Spark conf), table definitions ({@link dev.arbor.catalog.TableDefinitions}), writers
 * ({@link dev.arbor.catalog.EvaluationTables}) and the SQL runner behind {@code arbor sql} ({@link
 * dev.arbor.catalog.SqlRunner}).
 *
 * <p>Every table is partitioned by {@code run_date} and {@code model}; a writer replaces the
 * partitions of its rows in one atomic Iceberg commit ({@code overwritePartitions()}), so
 * re-running a date replaces and never duplicates, and runs of different models on the same date
 * (also concurrent ones) both survive. Nothing here needs Iceberg's SQL extensions (no MERGE, no
 * CALL).
 *
 * <p>The values written come from {@code dev.arbor.eval} ({@link dev.arbor.eval.Evaluation}) and
 * from the training stage (history, coefficients, as plain records of this package), and from the
 * promotion gate ({@link dev.arbor.catalog.PromotionRecord}, table {@code promotions}).
 */
package dev.arbor.catalog;

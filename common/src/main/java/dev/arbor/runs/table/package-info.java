/**
 * The stage ledger ({@link dev.arbor.runs.StageLedger}) kept in the {@code runs} evaluation table
 * ({@link dev.arbor.catalog}): each stage's outcome is an entry of the run row's {@code stages}
 * map, so the table stays one row per (model, run date).
 */
package dev.arbor.runs.table;

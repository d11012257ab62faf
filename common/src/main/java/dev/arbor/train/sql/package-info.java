/**
 * The "sql" gradient backend: the training objective evaluated as one DataFrame aggregation per
 * pass, built only from expressions the RAPIDS Accelerator runs on the GPU. {@link
 * dev.arbor.train.sql.SqlLoss} writes each loss as column expressions, {@link
 * dev.arbor.train.sql.SqlGradientPass} builds and runs the aggregation, and {@link
 * dev.arbor.train.sql.SqlObjective} serves it to the optimizers ({@code dev.arbor.optim}) through
 * {@code StochasticFunction}, like the CPU tree backend does. {@link
 * dev.arbor.train.GradientBackend} picks one of the two from {@code train.backend}.
 */
package dev.arbor.train.sql;

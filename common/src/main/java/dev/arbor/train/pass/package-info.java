/**
 * The gradient pass: the training objective over cached {@link dev.arbor.train.data.TrainingBlocks}
 * as a {@link dev.arbor.optim.StochasticFunction} ({@link
 * dev.arbor.train.pass.DistributedObjective}, one Spark job per evaluation), and the same objective
 * folded in one JVM ({@link dev.arbor.train.pass.LocalObjective}) for tests and checks.
 *
 * <p>Each evaluation broadcasts the weights, folds every partition's blocks into a {@link
 * dev.arbor.loss.LossAggregator} and combines the partitions with {@code treeAggregate} through a
 * {@link dev.arbor.train.pass.FixedTreeSum}: partial sums are added along a tree whose shape
 * depends only on the partition count and the depth, never on task completion order, so the same
 * partitioning gives bit-identical results. Mini-batches read only their rows, chosen by a keyed
 * {@link dev.arbor.train.pass.RowPermutation} per (seed, epoch, partition). {@link
 * dev.arbor.train.pass.TrainingObjectives} is the entry the train stage calls, configured by {@link
 * dev.arbor.train.pass.GradientSettings} ({@code train.*} keys). Regularization is added by the
 * optimizer side on the driver.
 */
package dev.arbor.train.pass;

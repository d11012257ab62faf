/**
 * Distributed training of the neural-network family ({@link dev.arbor.nn}) over the cached blocks
 * of {@link dev.arbor.train.data.TrainingBlocks}: {@link dev.arbor.train.nn.NetworkObjective} is a
 * full-batch and mini-batch objective evaluated with one {@code treeAggregate} per call (like the
 * linear family's {@link dev.arbor.train.pass.DistributedObjective}), and runs local steps with
 * periodic averaging ({@link dev.arbor.optim.LocalStepFunction}) so that mini-batch training costs
 * one Spark job per averaging round, not per step. {@link dev.arbor.train.nn.ShardSteps} is the
 * per-partition work in plain Java.
 */
package dev.arbor.train.nn;

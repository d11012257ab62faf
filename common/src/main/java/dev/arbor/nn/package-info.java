/**
 * Neural networks without Spark: the multilayer perceptron family's architecture ({@link
 * dev.arbor.nn.Architecture}: layer sizes, activations, the output layer that follows the task),
 * its forward and backward passes over blocks of rows as matrix products through a maintained BLAS
 * ({@link dev.arbor.nn.NetworkPass}), and the gradient sums that Spark tasks fold and merge ({@link
 * dev.arbor.nn.NetworkGradient}), the counterpart of {@link dev.arbor.loss.LossAggregator} for the
 * linear family.
 *
 * <p>Weights live in one {@code double[]} (see {@link dev.arbor.nn.Architecture} for the layout),
 * so every optimizer of {@link dev.arbor.optim} applies unchanged. Distributed training (the tree
 * aggregated full-batch objective and local steps with periodic averaging) is in {@code
 * dev.arbor.train.nn}.
 */
package dev.arbor.nn;

/**
 * Mini-batch stochastic optimization: {@link dev.arbor.optim.sgd.StochasticOptimizer} runs epochs
 * of deterministic mini-batches ({@link dev.arbor.optim.StochasticFunction.MiniBatch}) and applies
 * a {@link dev.arbor.optim.StepRule} per batch: {@link dev.arbor.optim.sgd.Sgd} (with momentum or
 * Nesterov momentum), {@link dev.arbor.optim.sgd.AdaGrad}, {@link dev.arbor.optim.sgd.RmsProp} and
 * {@link dev.arbor.optim.sgd.Adam} (with the AdamW decoupled weight decay). The L1 part of the
 * regularization is a proximal step after each update.
 */
package dev.arbor.optim.sgd;

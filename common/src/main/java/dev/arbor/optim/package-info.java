/**
 * Optimization contracts: what Arbor minimizes and how an optimizer reports progress. Nothing here
 * imports Spark.
 *
 * <p>A {@link dev.arbor.optim.DifferentiableFunction} (or {@link
 * dev.arbor.optim.StochasticFunction}) is the data term of the objective; a {@link
 * dev.arbor.optim.Regularization} (elastic net, never on intercept coordinates) is added to it on
 * the driver by the optimizer. A {@link dev.arbor.optim.Problem} bundles the function, the initial
 * weights (or a {@link dev.arbor.optim.OptimizerState} snapshot to resume from), the
 * regularization, the {@link dev.arbor.optim.StoppingCriteria} and an {@link
 * dev.arbor.optim.IterationListener}. An {@link dev.arbor.optim.Optimizer} turns a problem into a
 * {@link dev.arbor.optim.Result}. {@link dev.arbor.optim.StepRule} is the shared lifecycle of the
 * stochastic update rules.
 *
 * <p>Implementations live in child packages: {@code optim.gd} (full-batch gradient descent), {@code
 * optim.lbfgs} (L-BFGS and OWL-QN), {@code optim.sgd} (mini-batch optimizers and their step rules),
 * {@code optim.run} (bookkeeping every optimizer shares) and {@code optim.config} (the factory from
 * {@code train.optimizer} / {@code train.regularization} settings).
 */
package dev.arbor.optim;

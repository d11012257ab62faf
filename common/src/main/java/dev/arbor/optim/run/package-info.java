/**
 * The bookkeeping every optimizer in {@code optim.gd}, {@code optim.lbfgs} and {@code optim.sgd}
 * shares, so that they report, stop, diverge and snapshot the same way: {@link
 * dev.arbor.optim.run.Objective} evaluates the regularized objective (data term from the function,
 * elastic-net penalty added on the driver, pseudo-gradient and soft-threshold for the L1 part), and
 * {@link dev.arbor.optim.run.RunTracker} runs the iteration protocol (history, stopping criteria,
 * divergence, listener, snapshots, results).
 */
package dev.arbor.optim.run;

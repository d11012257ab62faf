/**
 * Full-batch (proximal) gradient descent: {@link dev.arbor.optim.gd.GradientDescent} with a fixed
 * step, a decaying step or a backtracking line search. One full function evaluation per iteration
 * (more while backtracking). Uses the shared machinery of {@code optim.run}.
 */
package dev.arbor.optim.gd;

/**
 * Limited-memory quasi-Newton optimization: {@link dev.arbor.optim.lbfgs.Lbfgs} runs L-BFGS with a
 * strong-Wolfe line search when the objective is smooth, and OWL-QN (orthant-wise L-BFGS) when the
 * regularization has an L1 part. {@link dev.arbor.optim.lbfgs.LbfgsMemory} holds the curvature
 * pairs and applies the two-loop recursion; {@link dev.arbor.optim.lbfgs.StrongWolfeLineSearch} is
 * the line search. For the convex losses; owns its loop, no step rule.
 */
package dev.arbor.optim.lbfgs;

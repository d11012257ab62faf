/**
 * Closed-form weighted least squares and ridge for the squared loss without L1 ({@code train.solver
 * = normal}): a distributed, centred row-wise QR accumulation ({@link dev.arbor.train.lsq.RFactor})
 * and its driver-side solve ({@link dev.arbor.train.lsq.LeastSquares}). The iterative path ({@code
 * dev.arbor.optim}) solves the same objective; this one is exact to the conditioning of the data
 * and needs one pass.
 */
package dev.arbor.train.lsq;

/**
 * The dense inner loops of every linear loss: dot products of rows with weight vectors and the
 * {@code y += a·x} updates of the gradient, over float32 or float64 rows, with double arithmetic.
 *
 * <p>{@link dev.arbor.loss.kernel.LinearKernel} is the contract and picks the implementation of
 * this JVM once: a JDK Vector API kernel ({@code jdk.incubator.vector}, 256-bit lanes) when the
 * module is in the boot layer and the CPU has 256-bit vectors, else a plain Java kernel. Both give
 * bit-identical results (same operations in the same order), so the choice never changes a model.
 * {@link dev.arbor.loss.LossAggregator} is the only caller outside benchmarks.
 */
package dev.arbor.loss.kernel;

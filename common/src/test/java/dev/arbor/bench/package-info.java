/**
 * Benchmarks run by hand (main classes, not tests): {@link dev.arbor.bench.GradientPassBench} times
 * the gradient pass on generated dense data. Reusable from other benchmark drivers through its
 * static {@code run} method.
 */
package dev.arbor.bench;

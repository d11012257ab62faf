/**
 * Demo: the deterministic synthetic dataset that makes {@code scripts/arbor prepare} (and later
 * {@code pipeline}) run with no arguments on a fresh machine. {@link dev.arbor.demo.DemoDataset}
 * documents its columns, its invalid rows and the true coefficients of the logistic model that
 * draws its label; the default {@code schema} section of {@code conf/arbor.conf} matches it.
 */
package dev.arbor.demo;

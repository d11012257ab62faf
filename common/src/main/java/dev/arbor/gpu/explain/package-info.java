/**
 * Builds the plans {@code gpu-explain} checks: {@link dev.arbor.gpu.explain.StagePlans} turns a
 * configuration and run date into {@link dev.arbor.gpu.StagePlan}s of each stage (built with the
 * stages' own plan builders, never executed) and a {@link dev.arbor.gpu.GpuExplainReport}.
 */
package dev.arbor.gpu.explain;

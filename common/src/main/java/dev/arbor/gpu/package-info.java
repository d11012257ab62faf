/**
 * GPU support: how a DataFrame plan would run under the RAPIDS Accelerator. {@link
 * dev.arbor.gpu.GpuCoverage} asks RAPIDS' {@code ExplainPlan} for the would-be GPU plan on any
 * machine (no GPU and no plugin needed) and reports the operators that would fall back to the CPU.
 */
package dev.arbor.gpu;

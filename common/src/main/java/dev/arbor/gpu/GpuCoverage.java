package dev.arbor.gpu;

import com.nvidia.spark.rapids.ExplainPlan;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The would-be GPU plan of a DataFrame under the RAPIDS Accelerator, computed on a machine without
 * a GPU. Lines of RAPIDS' explain output that start with {@code !} are operators or expressions
 * that would run on the CPU, each with RAPIDS' reason; lines that start with {@code ^} would run on
 * the CPU through RAPIDS' row-based "CPU bridge" (UDFs, for example). Both count as fallbacks: the
 * product promise is that heavy work stays on the GPU.
 *
 * <p>Needs the RAPIDS jar on the classpath (it is {@code provided}: clusters ship it).
 */
public final class GpuCoverage {
  private final String explain;

  private GpuCoverage(String explain) {
    this.explain = explain;
  }

  /** Explains {@code df}'s plan as RAPIDS would run it. Does not execute the plan. */
  public static GpuCoverage of(Dataset<Row> df) {
    try {
      return new GpuCoverage(ExplainPlan.explainPotentialGpuPlan(df, "ALL"));
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "Cannot explain the GPU plan: the RAPIDS Accelerator jar"
              + " (com.nvidia:rapids-4-spark_2.13) is not on the classpath",
          e);
    }
  }

  /** RAPIDS' full explain text. */
  public String explain() {
    return explain;
  }

  /**
   * The lines that would run on the CPU (those starting with {@code !} or, for the CPU bridge,
   * {@code ^}), trimmed.
   */
  public List<String> fallbacks() {
    return Arrays.stream(explain.split("\n"))
        .map(String::strip)
        .filter(line -> line.startsWith("!") || line.startsWith("^"))
        .toList();
  }

  /** The lines that would run on the GPU (those starting with {@code *}), trimmed. */
  public List<String> gpuLines() {
    return Arrays.stream(explain.split("\n"))
        .map(String::strip)
        .filter(line -> line.startsWith("*"))
        .toList();
  }

  /**
   * The lines RAPIDS marks {@code @} ("could run on GPU") below an operator that cannot: they stay
   * on the CPU with their operator; trimmed.
   */
  public List<String> cpuBoundLines() {
    return Arrays.stream(explain.split("\n"))
        .map(String::strip)
        .filter(line -> line.startsWith("@"))
        .toList();
  }

  /** Whether every operator and expression of the plan would run on the GPU. */
  public boolean fullyOnGpu() {
    return fallbacks().isEmpty();
  }
}

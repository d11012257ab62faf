package dev.arbor.jobs;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import dev.arbor.gpu.GpuExplainReport;
import dev.arbor.gpu.explain.StagePlans;
import dev.arbor.spark.JobContext;
import picocli.CommandLine.Command;

/**
 * {@code gpu-explain}: prints, per stage plan, what would run on the GPU under the RAPIDS
 * Accelerator and every fallback with RAPIDS' reason, plus a coverage figure. Runs on a CPU-only
 * machine (no GPU, no plugin needed); builds the plans without running the stages. Exits 0 when
 * every heavy plan would run entirely on the GPU, 1 ({@link ExitCode#FAILURE}) when one would fall
 * back or when nothing could be explained.
 */
@Command(
    name = "gpu-explain",
    description =
        "Shows which operators of each stage would run on the GPU (RAPIDS) and why others would"
            + " not; exit 1 when a heavy stage would fall back to the CPU.")
final class GpuExplainCommand extends StageCommand {
  @Override
  protected void execute(JobContext context) {
    GpuExplainReport report =
        StagePlans.explain(context.spark(), context.config(), context.runDate());
    spec().commandLine().getOut().print(report.render());
    spec().commandLine().getOut().flush();
    if (!report.passed()) {
      throw new ArborException(
          ExitCode.FAILURE,
          report.entries().isEmpty()
              ? "Cannot check GPU coverage: no stage plan could be built (see the report above)"
              : "GPU coverage check failed: "
                  + report.failing().size()
                  + " heavy plan(s) would fall back to the CPU (see the report above)");
    }
  }
}

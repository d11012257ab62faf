package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.gpu.GpuEnvironment;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A stage asked to run on the GPU where there is none stops at once with exit code 3. */
class GpuModeTest {
  @Command(name = "probe")
  static final class Probe extends StageCommand {
    boolean ran;

    @Override
    protected void execute(JobContext context) {
      ran = true;
    }
  }

  @Test
  void gpuModeWithoutAGpuFailsBeforeTheSessionStarts() {
    Assumptions.assumeTrue(noGpuHere(), "this machine has a GPU: the refusal cannot be observed");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(new PrintWriter(out), new PrintWriter(err));
    Probe probe = new Probe();
    cl.addSubcommand("probe", probe);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));

    long start = System.nanoTime();
    int code =
        Main.execute(cl, "probe", "--set", "spark.conf.\"spark.plugins\"=" + GpuEnvironment.PLUGIN);

    assertThat(code).isEqualTo(3);
    assertThat(probe.ran).isFalse();
    assertThat(err.toString())
        .startsWith("arbor: error: Cannot run in GPU mode: no GPU is visible on this machine: ")
        .hasLineCount(1);
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(20);
  }

  private static boolean noGpuHere() {
    try {
      GpuEnvironment.check(Map.of("spark.plugins", GpuEnvironment.PLUGIN));
      return false;
    } catch (dev.arbor.ConfigException e) {
      return true;
    }
  }
}

package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.demo.DemoDataset;
import dev.arbor.demo.DemoSettings;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbor generate}: writes the synthetic demo dataset (see {@link DemoDataset}). */
@Command(
    name = "generate",
    description = {
      "Writes the deterministic synthetic demo dataset (Parquet; demo.rows rows, seed demo.seed)"
          + " to input.path or --output, replacing what is there."
    })
final class GenerateCommand extends StageCommand {
  @Option(
      names = "--output",
      paramLabel = "PATH",
      description = "Where to write the dataset (default: config key input.path).")
  private String output;

  @Override
  protected void checkTargets(ArborConfig config) {
    // The dataset is an input by design; it must not replace what Arbor keeps.
    String path = output != null ? output : config.string("input.path");
    Targets.check(output != null ? "--output" : "input.path", path, Targets.state(config, false));
  }

  @Override
  protected void execute(JobContext context) {
    String path = output != null ? output : context.config().string("input.path");
    DemoSettings demo = DemoSettings.from(context.config());
    DemoDataset.write(context.spark(), path, demo);
    PrintWriter out = spec().commandLine().getOut();
    out.printf("wrote %d demo rows (seed %d) to %s%n", demo.rows(), demo.seed(), path);
    out.flush();
  }
}

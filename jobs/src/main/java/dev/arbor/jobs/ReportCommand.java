package dev.arbor.jobs;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.report.ReportWriter;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbor report}: writes the HTML report of one run from the evaluation tables. */
@Command(
    name = "report",
    description = {
      "Writes a self-contained HTML report of one run (metrics, ROC/PR/calibration curves,"
          + " confusion matrices, training history, top coefficients, comparison with the previous"
          + " run date), read from the evaluation tables with SQL."
    })
final class ReportCommand extends StageCommand {
  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Model to report on (default: config key model.name).")
  private String model;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "HTML file to write (default: <output.root>/reports/<model>/report-<date>.html).")
  private Path output;

  @Override
  protected void checkTargets(ArborConfig config) {
    if (output != null) {
      // Inside output.root (its reports folder, the default) is fine; replacing it is not.
      Targets.check(
          "--output",
          output.toString(),
          Targets.concat(Targets.state(config, true), Targets.inputs(config)));
    }
  }

  @Override
  protected void execute(JobContext context) {
    String name = model != null ? model : context.config().string("model.name");
    CatalogSettings catalog = CatalogSettings.from(context.config());
    catalog.applyTo(context.spark());
    Path file =
        output != null
            ? output
            : ReportWriter.defaultPath(
                context.config().string("output.root"), name, context.runDate());
    Path written = ReportWriter.write(context.spark(), catalog, name, context.runDate(), file);
    PrintWriter out = spec().commandLine().getOut();
    out.println("wrote report of " + name + " for " + context.runDate() + " to " + written);
    out.flush();
  }
}

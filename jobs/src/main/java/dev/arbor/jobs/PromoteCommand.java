package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.promote.PromoteSettings;
import dev.arbor.promote.stage.PromoteResult;
import dev.arbor.promote.stage.PromoteStage;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code arbor promote}: runs the promotion gate ({@link PromoteStage}) for one run date. */
@Command(
    name = "promote",
    description = {
      "Compares the run's model with the promoted model of the same name on the run's test split;"
          + " promotes it unless it is worse beyond promote.tolerance (exit 5 when rejected and"
          + " promote.on-reject = fail); records the decision in the promotions table."
    })
final class PromoteCommand extends StageCommand {
  @Override
  protected void check(ArborConfig config) {
    PromoteSettings.from(config);
  }

  @Override
  protected void execute(JobContext context) {
    PromoteSettings settings = PromoteSettings.from(context.config());
    PrintWriter out = spec().commandLine().getOut();
    if (!settings.enabled()) {
      out.println("promotion gate disabled (promote.enabled = false): nothing done");
      out.flush();
      return;
    }
    PromoteResult result = PromoteStage.run(context.spark(), settings, context.runDate());
    printDecision(result, out, spec().commandLine().getErr());
  }

  /** Prints the decision; a rejection that did not fail the job is also a warning on stderr. */
  static void printDecision(PromoteResult result, PrintWriter out, PrintWriter err) {
    out.println(result.summaryLine());
    out.flush();
    if (!result.decision().promotes()) {
      err.println(
          "arbor: warning: model rejected by the promotion gate (promote.on-reject = warn)");
      err.flush();
    }
  }
}

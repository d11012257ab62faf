package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.pipeline.Pipeline;
import dev.arbor.promote.Decision;
import dev.arbor.promote.PromoteSettings;
import dev.arbor.runs.StageRunner;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code arbor promote}: runs the promotion gate ({@link dev.arbor.promote.PromoteStage}) for one
 * run date, as the {@code promote} stage (skipped when unchanged, unless {@code --force}).
 */
@Command(
    name = "promote",
    description = {
      "Compares the run's model with the promoted model of the same name on the run's test split;"
          + " promotes it unless it is worse beyond promote.tolerance (exit 5 when rejected and"
          + " promote.on-reject = fail); records the decision in the promotions table."
    })
final class PromoteCommand extends LedgerCommand {
  @Override
  protected void check(ArborConfig config) {
    PromoteSettings.from(config);
  }

  @Override
  protected void execute(JobContext context) {
    warnIfRejected(runStages(context, List.of("promote")), spec().commandLine().getErr());
  }

  /**
   * A rejection that did not fail the job ({@code promote.on-reject = warn}) is also a warning on
   * stderr.
   */
  static void warnIfRejected(Pipeline.Result result, PrintWriter err) {
    for (StageRunner.Report r : result.reports()) {
      if (r.stage().equals("promote")
          && r.ran()
          && r.summary().startsWith(Decision.REJECTED.tableValue() + " ")) {
        err.println(
            "arbor: warning: model rejected by the promotion gate (promote.on-reject = warn)");
        err.flush();
      }
    }
  }
}

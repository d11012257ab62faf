package dev.arbor.jobs;

import dev.arbor.catalog.TableMaintenance;
import dev.arbor.pipeline.Pipeline;
import dev.arbor.runs.StageRunner;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A {@link StageCommand} that runs pipeline stages with stage bookkeeping ({@link Pipeline}): it
 * skips a stage that completed for the same inputs and config ({@code --force} runs it anyway) and
 * records each outcome in the {@code runs} table. Prints one line per stage: its summary, or why it
 * was skipped. After a successful run, maintains the evaluation tables ({@link TableMaintenance},
 * section {@code maintenance}).
 */
abstract class LedgerCommand extends StageCommand {
  @Option(
      names = "--force",
      description =
          "Run the stage(s) even when they completed for the same inputs and config (recorded in"
              + " the runs table).")
  private boolean force;

  /** Runs {@code stages} for the context's run date and prints their lines. */
  protected Pipeline.Result runStages(JobContext context, List<String> stages) {
    PrintWriter out = spec().commandLine().getOut();
    // Each stage's line as soon as it is done: a later stage's failure does not hide them.
    Pipeline.Result result =
        Pipeline.run(
            context,
            stages,
            force ? StageRunner.Mode.FORCE : StageRunner.Mode.SKIP_UNCHANGED,
            r -> {
              out.println(r.ran() ? r.summary() : r.line());
              out.flush();
            });
    // Snapshot expiry and metadata cleanup (maintenance.after-run); never fails the run.
    TableMaintenance.from(context.spark(), context.config()).afterRun();
    return result;
  }
}

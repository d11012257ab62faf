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

  @Option(
      names = "--break-lock",
      description =
          "Take over the (model, run date) lock held by another process (same as --set"
              + " run.break-lock=true); only when that process is known to be dead.")
  private boolean breakLock;

  /** Runs {@code stages} for the context's run date and prints their lines. */
  protected Pipeline.Result runStages(JobContext context, List<String> stages) {
    PrintWriter out = spec().commandLine().getOut();
    JobContext c =
        breakLock
            ? new JobContext(
                context.spark(),
                context.config().with(StageRunner.BREAK_LOCK_KEY, true),
                context.runDate(),
                context.resume())
            : context;
    // Each stage's line as soon as it is done: a later stage's failure does not hide them.
    Pipeline.Result result =
        Pipeline.run(
            c,
            stages,
            force ? StageRunner.Mode.FORCE : StageRunner.Mode.SKIP_UNCHANGED,
            r -> {
              out.println(r.ran() ? r.summary() : r.line());
              out.flush();
            });
    // Snapshot expiry and metadata cleanup (maintenance.after-run); never fails the run.
    TableMaintenance.from(c.spark(), c.config()).afterRun();
    return result;
  }
}

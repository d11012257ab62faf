package dev.arbor.jobs;

import dev.arbor.model.ModelStore;
import dev.arbor.model.ScoreJob;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbor score --input P --output Q [--model M]}: runs {@link ScoreJob}. */
@Command(
    name = "score",
    description = {
      "Applies a trained model to a Parquet input (raw rows go through the prep model) and writes"
          + " the predictions (row_id, label, weight, prediction, score or prob_k) as Parquet."
    })
final class ScoreCommand extends StageCommand {
  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Parquet input.")
  private String input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "PATH",
      description = "Folder for the predictions (replaced).")
  private String output;

  @Option(
      names = "--model",
      paramLabel = "FILE",
      description =
          "model.json to apply (default: output.root/models/<model.name>/run_date=<run date>).")
  private String model;

  @Override
  protected void execute(JobContext context) {
    String path =
        model != null
            ? model
            : ModelStore.modelPath(
                context.config().string("output.root"),
                context.config().string("model.name"),
                context.runDate());
    ScoreJob.Outcome o = ScoreJob.run(context.spark(), path, input, output);
    PrintWriter out = spec().commandLine().getOut();
    out.printf(
        "scored %d %s rows with %s -> %s%n",
        o.rows(), o.prepared() ? "prepared" : "raw", path, o.output());
    out.flush();
  }
}

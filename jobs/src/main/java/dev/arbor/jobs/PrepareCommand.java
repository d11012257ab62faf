package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.prep.PrepareResult;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.prep.PrepareStage;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code arbor prepare}: runs {@link PrepareStage} and prints its one-line summary. */
@Command(
    name = "prepare",
    description = {
      "Validates, cleans and splits the input into train/validation/test Parquet splits, rejects"
          + " and a prep model under output.root/prepared/<model.name>/run_date=<run date>."
    })
final class PrepareCommand extends StageCommand {
  @Override
  protected void check(ArborConfig config) {
    PrepareSettings.from(config);
  }

  @Override
  protected void execute(JobContext context) {
    PrepareResult result =
        PrepareStage.run(
            context.spark(), PrepareSettings.from(context.config()), context.runDate());
    PrintWriter out = spec().commandLine().getOut();
    out.println(result.summaryLine());
    out.flush();
  }
}

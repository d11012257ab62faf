package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.spark.JobContext;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code arbor prepare [--force]}: the prepare stage with bookkeeping ({@link LedgerCommand}). */
@Command(
    name = "prepare",
    description = {
      "Validates, cleans and splits the input into train/validation/test Parquet splits, rejects"
          + " and a prep model under output.root/prepared/<model.name>/run_date=<run date>."
    })
final class PrepareCommand extends LedgerCommand {
  @Override
  protected void check(ArborConfig config) {
    PrepareSettings.from(config);
  }

  @Override
  protected void execute(JobContext context) {
    runStages(context, List.of("prepare"));
  }
}

package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.config.RunDate;
import dev.arbor.spark.JobContext;
import dev.arbor.train.TrainingSpec;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arbor train [--resume] [--force]}: the train stage with bookkeeping ({@link
 * LedgerCommand}).
 */
@Command(
    name = "train",
    description = {
      "Fits the model on the prepared splits of the run date and writes it to"
          + " output.root/models/<model.name>/run_date=<run date>/model.json."
    })
final class TrainCommand extends LedgerCommand {
  @Option(
      names = "--resume",
      description = "Continue from the run's checkpoint (same as --set train.resume=true).")
  private boolean resume;

  @Override
  protected void check(ArborConfig config) {
    // Every train key (optimizer, regularization, the grid's candidates, the mlp's shape and its
    // loss against the task): a bad value is a config error (exit 3) before any data is read, not
    // a failure after the prepared data was loaded.
    TrainingSpec.from(config, RunDate.fromConfig(config));
  }

  @Override
  protected void execute(JobContext context) {
    runStages(resume ? context.withResume() : context, List.of("train"));
  }
}

package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.spark.JobContext;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code arbor evaluate [--force]}: the evaluate stage with bookkeeping ({@link LedgerCommand}).
 */
@Command(
    name = "evaluate",
    description = {
      "Scores the prepared train/validation/test splits with the run's model, computes the"
          + " metrics and replaces the run's partition of the evaluation tables (runs row last)."
    })
final class EvaluateCommand extends LedgerCommand {
  @Override
  protected void check(ArborConfig config) {
    EvaluateSettings.from(config);
  }

  @Override
  protected void execute(JobContext context) {
    runStages(context, List.of("evaluate"));
  }
}

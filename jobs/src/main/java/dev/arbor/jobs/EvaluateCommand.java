package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.eval.stage.EvaluateResult;
import dev.arbor.eval.stage.EvaluateSettings;
import dev.arbor.eval.stage.EvaluateStage;
import dev.arbor.eval.stage.RunArtifacts;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code arbor evaluate}: runs {@link EvaluateStage} on the run's model and prepared splits. */
@Command(
    name = "evaluate",
    description = {
      "Scores the prepared train/validation/test splits with the run's model, computes the"
          + " metrics and replaces the run's partition of the evaluation tables (runs row last)."
    })
final class EvaluateCommand extends StageCommand {
  @Override
  protected void check(ArborConfig config) {
    EvaluateSettings.from(config);
  }

  @Override
  protected void execute(JobContext context) {
    EvaluateSettings settings = EvaluateSettings.from(context.config());
    EvaluateResult result =
        EvaluateStage.run(
            context.spark(),
            settings,
            context.runDate(),
            RunArtifacts.load(context.spark(), settings, context.runDate()));
    PrintWriter out = spec().commandLine().getOut();
    out.println(result.summaryLine());
    out.flush();
  }
}

package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.model.ModelStore;
import dev.arbor.model.ScoreJob;
import dev.arbor.promote.PromotedPointer;
import dev.arbor.spark.JobContext;
import dev.arbor.store.WriteTargets.Protected;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code arbor score --input P --output Q [--model NAME] [--run-date D | --model-path FILE]}: runs
 * {@link ScoreJob} with the promoted model of NAME (default), the model NAME trained on D, or an
 * explicit model file.
 */
@Command(
    name = "score",
    description = {
      "Applies a model to a Parquet input (raw rows go through its prep model) and writes the"
          + " predictions (row_id, label, weight, prediction, score or prob_k) as Parquet. The model:"
          + " the promoted one of --model (default), the one trained on --run-date, or --model-path."
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
      paramLabel = "NAME",
      description =
          "Model name (default: model.name); scores with its promoted model"
              + " (output.root/models/<name>/PROMOTED.json) unless --run-date is given.")
  private String model;

  @Option(
      names = "--model-path",
      paramLabel = "FILE",
      description = "model.json to apply instead (its prep model is the one it names).")
  private String modelPath;

  @Override
  protected void check(ArborConfig config) {
    if (modelPath != null && (model != null || runDateGiven())) {
      throw new ParameterException(
          spec().commandLine(),
          "Invalid option '--model-path': it names the model file, so it cannot be combined with"
              + " --model or --run-date");
    }
    if (model != null && !model.matches("[A-Za-z0-9_]+")) {
      throw new ParameterException(
          spec().commandLine(),
          "Invalid value for option '--model': '"
              + model
              + "' (expected a model name: letters, digits and underscores only)");
    }
  }

  @Override
  protected void checkTargets(ArborConfig config) {
    List<Protected> owned = Targets.concat(Targets.state(config, false), Targets.inputs(config));
    owned.add(Protected.of("--input", input));
    owned.add(Protected.of("--model-path", modelPath));
    Targets.check("--output", output, owned);
  }

  @Override
  protected void execute(JobContext context) {
    String root = context.config().string("output.root");
    String name = model != null ? model : context.config().string("model.name");
    String path;
    String prep = null;
    String which;
    if (modelPath != null) {
      path = modelPath;
      which = path;
    } else if (runDateGiven()) {
      path = ModelStore.modelPath(root, name, context.runDate());
      which = path;
    } else {
      PromotedPointer.Entry promoted =
          PromotedPointer.requirePromoted(
              root, name, context.spark().sparkContext().hadoopConfiguration());
      path = promoted.modelPath();
      prep = promoted.prepModelPath();
      which =
          "the promoted model of "
              + name
              + " (run "
              + promoted.runDate()
              + " "
              + promoted.runId()
              + ", "
              + path
              + ")";
    }
    ScoreJob.Outcome o = ScoreJob.run(context.spark(), path, prep, input, output);
    PrintWriter out = spec().commandLine().getOut();
    out.printf(
        "scored %d %s rows with %s -> %s%n",
        o.rows(), o.prepared() ? "prepared" : "raw", which, o.output());
    out.flush();
  }
}

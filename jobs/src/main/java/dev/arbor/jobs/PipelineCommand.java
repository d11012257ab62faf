package dev.arbor.jobs;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.config.RunDate;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.model.ModelStore;
import dev.arbor.pipeline.Pipeline;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.promote.PromoteSettings;
import dev.arbor.promote.PromotedPointer;
import dev.arbor.spark.JobContext;
import dev.arbor.store.RunLayout;
import dev.arbor.train.TrainingSpec;
import java.io.PrintWriter;
import java.time.LocalDate;
import picocli.CommandLine.Command;

/**
 * {@code arbor pipeline}: prepare → train → evaluate → promote for one run date, in one session.
 */
@Command(
    name = "pipeline",
    description = {
      "Runs prepare, train, evaluate and the promotion gate for one run date and model config in one Spark session,"
          + " then prints where the outputs went and the commands to look at them."
    })
final class PipelineCommand extends LedgerCommand {
  @Override
  protected void check(ArborConfig config) {
    PrepareSettings.from(config);
    TrainingSpec.from(config, RunDate.fromConfig(config));
    EvaluateSettings.from(config);
    PromoteSettings.from(config);
  }

  @Override
  protected void execute(JobContext context) {
    Pipeline.Result r = runStages(context, Pipeline.stageNames());
    String model = r.settings().modelName();
    LocalDate date = context.runDate();
    CatalogSettings catalog = r.settings().catalog();
    String modelPath = ModelStore.modelPath(r.settings().outputRoot(), model, date);
    PrintWriter out = spec().commandLine().getOut();
    PromoteSettings promote = PromoteSettings.from(context.config());
    PromoteCommand.warnIfRejected(r, spec().commandLine().getErr());
    out.println();
    out.println("Outputs:");
    out.println(
        "  prepared splits: "
            + new RunLayout(r.settings().outputRoot(), model, date).preparedDir());
    out.println("  model:           " + modelPath);
    if (promote.enabled()) {
      out.println(
          "  promoted model:  "
              + PromotedPointer.path(r.settings().outputRoot(), model)
              + " (table promotions)");
    }
    out.println(
        "  tables:          "
            + catalog.name()
            + "."
            + catalog.namespace()
            + ".{runs,metrics,curves,confusion,predictions,history,coefficients,candidates,"
            + "promotions}, partition"
            + " run_date="
            + date
            + ", model="
            + model
            + " ("
            + catalog.type()
            + " catalog "
            + (catalog.uri() != null ? catalog.uri() : catalog.warehouse())
            + ")");
    out.println();
    out.println("Look at them:");
    out.println(
        "  scripts/arbor sql \"SELECT split, metric, value, threshold FROM metrics WHERE model='"
            + model
            + "' AND run_date=DATE'"
            + date
            + "' AND class IS NULL ORDER BY split, metric\"");
    out.println(
        "  scripts/arbor sql \"SELECT run_id, status, rows_train, rows_test, prepare_ms,"
            + " train_ms, evaluate_ms FROM runs WHERE model='"
            + model
            + "' ORDER BY run_date DESC LIMIT 10\"");
    out.println(
        "  scripts/arbor sql \"SELECT run_date, s.stage, s.info.status, s.info.duration_ms FROM runs"
            + " LATERAL VIEW explode(stages) s AS stage, info WHERE model='"
            + model
            + "' ORDER BY run_date DESC, s.info.started_at LIMIT 30\"");
    out.println("  scripts/arbor report --model " + model + " --run-date " + date);
    if (promote.enabled()) {
      out.println(
          "  scripts/arbor sql \"SELECT run_date, run_id, metric, challenger_score,"
              + " champion_run_date, champion_score, decision FROM promotions WHERE model='"
              + model
              + "' ORDER BY run_date DESC LIMIT 10\"");
    }
    out.flush();
  }
}

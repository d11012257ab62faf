package dev.arbor.pipeline;

import dev.arbor.config.ArborConfig;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.model.ModelStore;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.promote.PromoteSettings;
import dev.arbor.runs.StageRunner;
import dev.arbor.runs.Step;
import dev.arbor.runs.table.RunsTableLedger;
import dev.arbor.spark.JobContext;
import dev.arbor.train.TrainStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of a run, in order (prepare → train → evaluate → promote), run with stage bookkeeping:
 * each stage's outcome is recorded in the {@code runs} table ({@link RunsTableLedger}) and a re-run
 * skips the stages that completed for the same inputs and config ({@link StageRunner}). Each stage
 * commits its own outputs atomically (prepared folder, model file, table partitions with the {@code
 * runs} row last), so a run stopped between stages leaves the previous stages' outputs and no
 * partial evaluation.
 *
 * <p>A new stage is one {@link Step} (name, config paths, input and output fingerprints, run) added
 * to {@link #steps}: its outcome is then recorded in {@code runs.stages} under its name, the skip
 * rule applies to it, and {@code pipeline}, {@code backfill --stages} and a stage command built on
 * {@link #run(JobContext, List, StageRunner.Mode)} run it.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private Pipeline() {}

  /**
   * What a run did.
   *
   * @param reports one per stage, in order: ran or skipped, why, its summary line
   * @param settings the evaluate settings (catalog, model name, output root)
   */
  public record Result(List<StageRunner.Report> reports, EvaluateSettings settings) {
    public Result {
      reports = List.copyOf(reports);
    }

    /** The summary line of {@code stage} when it ran, else its skip line. */
    public String summary(String stage) {
      for (StageRunner.Report r : reports) {
        if (r.stage().equals(stage)) {
          return r.ran() ? r.summary() : r.line();
        }
      }
      throw new IllegalArgumentException("Invalid stage: " + stage + " (not in this run)");
    }
  }

  /** The stage names, in run order. */
  public static List<String> stageNames() {
    return List.of(
        PrepareStep.NAME, TrainStep.NAME, dev.arbor.evaluate.EvaluateStage.STAGE, PromoteStep.NAME);
  }

  /** The stages of a run in order, recording into {@code ledger}. */
  static List<Step> steps(RunsTableLedger ledger) {
    return List.of(new PrepareStep(), new TrainStep(), new EvaluateStep(ledger), new PromoteStep());
  }

  /** Runs every stage (skipping the unchanged ones unless {@code mode} is FORCE). */
  public static Result run(JobContext context, StageRunner.Mode mode) {
    return run(context, stageNames(), mode);
  }

  /**
   * Runs the named stages, in run order, with the skip rule.
   *
   * @param stages stage names among {@link #stageNames()}
   * @throws IllegalArgumentException when a name is not a stage (checked before any work)
   * @throws dev.arbor.promote.ModelRejectedException when the promotion gate rejects the model and
   *     {@code promote.on-reject} is fail (every stage's outputs and the decision are committed)
   */
  public static Result run(JobContext context, List<String> stages, StageRunner.Mode mode) {
    return run(context, stages, mode, r -> {});
  }

  /**
   * Runs the named stages, in run order, with the skip rule, handing each stage's report to {@code
   * onReport} as soon as that stage is done or skipped.
   *
   * @param stages stage names among {@link #stageNames()}
   * @throws IllegalArgumentException when a name is not a stage (checked before any work)
   */
  public static Result run(
      JobContext context,
      List<String> stages,
      StageRunner.Mode mode,
      Consumer<StageRunner.Report> onReport) {
    check(context.config());
    RunsTableLedger ledger = new RunsTableLedger(context.spark(), context.config());
    List<Step> chosen = select(steps(ledger), stages);
    List<StageRunner.Report> reports =
        new StageRunner(ledger)
            .run(
                context,
                chosen,
                mode,
                r -> {
                  LOG.info("{} {}: {}", context.runDate(), r.stage(), r.line());
                  onReport.accept(r);
                });
    return new Result(reports, EvaluateSettings.from(context.config()));
  }

  /**
   * The steps named in {@code stages}, in run order.
   *
   * @throws IllegalArgumentException when a name is not a step's
   */
  static List<Step> select(List<Step> steps, List<String> stages) {
    Map<String, Step> byName =
        steps.stream().collect(Collectors.toMap(Step::name, Function.identity()));
    for (String name : stages) {
      if (!byName.containsKey(name)) {
        throw new IllegalArgumentException(
            "Invalid stage: " + name + " (expected one of " + byName.keySet() + ")");
      }
    }
    List<Step> chosen = new ArrayList<>();
    for (Step step : steps) {
      if (stages.contains(step.name())) {
        chosen.add(step);
      }
    }
    return chosen;
  }

  /** Config errors of every stage, before any work. */
  private static void check(ArborConfig config) {
    EvaluateSettings.from(config);
    PrepareSettings.from(config);
    dev.arbor.train.TrainSettings.from(config);
    PromoteSettings.from(config);
  }

  /** {@code <output.root>/prepared/<model.name>/run_date=<D>}. */
  static String preparedDir(JobContext c) {
    return TrainStage.layout(c.config(), c.runDate()).preparedDir();
  }

  /** {@code <output.root>/models/<model.name>/run_date=<D>/model.json}. */
  static String modelPath(JobContext c) {
    return ModelStore.modelPath(
        c.config().string("output.root"), c.config().string("model.name"), c.runDate());
  }
}

package dev.arbor.pipeline;

import dev.arbor.config.ArborConfig;
import dev.arbor.eval.stage.EvaluateResult;
import dev.arbor.eval.stage.EvaluateSettings;
import dev.arbor.eval.stage.EvaluateStage;
import dev.arbor.eval.stage.EvaluationInputs;
import dev.arbor.eval.stage.RunArtifacts;
import dev.arbor.prep.PrepareResult;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.prep.PrepareStage;
import dev.arbor.promote.PromoteSettings;
import dev.arbor.promote.stage.PromoteResult;
import dev.arbor.promote.stage.PromoteStage;
import dev.arbor.train.TrainStage;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs prepare → train → evaluate → promote (the promotion gate) for one run date. Each stage
 * commits its own outputs atomically (prepared folder, model file, table partitions with the {@code
 * runs} row last), so a run stopped between stages leaves the previous stages' outputs and no
 * partial evaluation; re-running the date replaces everything.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private Pipeline() {}

  /**
   * What a pipeline run produced.
   *
   * @param prepare the prepare stage's summary
   * @param modelPath where the model was written
   * @param evaluation what the evaluate stage wrote
   * @param settings the evaluate settings (catalog, model name)
   * @param prepareMs prepare duration, milliseconds
   * @param trainMs train duration, milliseconds
   * @param promotion the promotion gate's decision, or {@code null} when {@code promote.enabled} is
   *     false
   */
  public record Result(
      PrepareResult prepare,
      String modelPath,
      EvaluateResult evaluation,
      EvaluateSettings settings,
      long prepareMs,
      long trainMs,
      PromoteResult promotion) {}

  /**
   * Runs the three stages, then the promotion gate (unless {@code promote.enabled} is false).
   *
   * @throws dev.arbor.promote.ModelRejectedException when the gate rejects the model and {@code
   *     promote.on-reject} is fail (every stage's outputs and the decision are committed)
   */
  public static Result run(SparkSession spark, ArborConfig config, LocalDate runDate) {
    EvaluateSettings evaluate = EvaluateSettings.from(config); // config errors before any work
    PrepareSettings prepare = PrepareSettings.from(config);
    PromoteSettings promote = PromoteSettings.from(config);
    long t0 = System.nanoTime();
    PrepareResult prepared = PrepareStage.run(spark, prepare, runDate);
    long t1 = System.nanoTime();
    LOG.info("Pipeline: {}", prepared.summaryLine());
    TrainStage.Outcome trained = TrainStage.run(spark, config, runDate);
    long t2 = System.nanoTime();
    long prepareMs = (t1 - t0) / 1_000_000;
    long trainMs = (t2 - t1) / 1_000_000;
    EvaluationInputs in =
        RunArtifacts.load(spark, evaluate, runDate).withTimings(prepareMs, trainMs);
    EvaluateResult result = EvaluateStage.run(spark, evaluate, runDate, in);
    PromoteResult promotion = promote.enabled() ? PromoteStage.run(spark, promote, runDate) : null;
    return new Result(
        prepared, trained.modelPath(), result, evaluate, prepareMs, trainMs, promotion);
  }
}

package dev.arbor.pipeline;

import dev.arbor.catalog.RunRecord;
import dev.arbor.catalog.StageOutcome;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.evaluate.EvaluateStage;
import dev.arbor.evaluate.RunArtifacts;
import dev.arbor.runs.Fingerprints;
import dev.arbor.runs.Step;
import dev.arbor.runs.table.RunsTableLedger;
import dev.arbor.spark.JobContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code evaluate} as a {@link Step}: input = the prepared folder and the model file; config =
 * section {@code evaluate}; output = the run id of the committed run row (status {@code
 * succeeded}). It writes the run row itself, its own outcome included: the row is the commit marker
 * of the evaluation tables.
 */
final class EvaluateStep implements Step {
  private final RunsTableLedger ledger;

  EvaluateStep(RunsTableLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public String name() {
    return EvaluateStage.STAGE;
  }

  @Override
  public List<String> configPaths() {
    return List.of("evaluate");
  }

  @Override
  public String inputFingerprint(JobContext c) {
    Configuration conf = c.spark().sparkContext().hadoopConfiguration();
    return Fingerprints.combine(
        PrepareStep.files(Pipeline.preparedDir(c), conf),
        PrepareStep.files(Pipeline.modelPath(c), conf));
  }

  @Override
  public Optional<String> outputFingerprint(JobContext c) {
    return ledger
        .run(c.config().string("model.name"), c.runDate())
        .filter(r -> StageOutcome.SUCCEEDED.equals(r.status()))
        .map(RunRecord::key)
        .filter(ledger::hasEvaluationRows)
        .map(k -> k.runId());
  }

  @Override
  public boolean recordsItself() {
    return true;
  }

  @Override
  public String run(JobContext c, Attempt attempt) {
    EvaluateSettings settings = EvaluateSettings.from(c.config());
    Long prepareMs = durationOf(attempt.completed(), PrepareStep.NAME);
    Long trainMs = durationOf(attempt.completed(), TrainStep.NAME);
    return EvaluateStage.run(
            c.spark(),
            settings,
            c.runDate(),
            RunArtifacts.load(c.spark(), settings, c.runDate()).withTimings(prepareMs, trainMs),
            attempt.completed(),
            attempt.starting())
        .summaryLine();
  }

  private static Long durationOf(Map<String, StageOutcome> completed, String stage) {
    StageOutcome o = completed.get(stage);
    return o == null ? null : o.durationMs();
  }
}

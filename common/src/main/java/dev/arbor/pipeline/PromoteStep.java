package dev.arbor.pipeline;

import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.RunKey;
import dev.arbor.catalog.RunRecord;
import dev.arbor.config.ArborConfig;
import dev.arbor.promote.PromoteSettings;
import dev.arbor.promote.PromoteStage;
import dev.arbor.promote.PromotedPointer;
import dev.arbor.runs.Fingerprints;
import dev.arbor.runs.Step;
import dev.arbor.spark.JobContext;
import java.util.List;
import java.util.Optional;

/**
 * The promotion gate ({@link PromoteStage}) as a {@link Step}: input = the evaluated run (its run
 * id in {@code runs}) and the champion it is compared with (the promoted run other than this one);
 * config = section {@code promote}; output = the run's decision in {@code promotions}, and whether
 * the pointer names the run. So a re-run is skipped while neither the run, the champion nor the
 * gate settings changed, and runs again when another date's run was promoted meanwhile or the
 * pointer was moved by hand.
 *
 * <p>A rejection with {@code promote.on-reject = fail} is a failed stage (exit 5): its outcome is
 * recorded as failed and a re-run decides again. With {@code promote.enabled = false} the stage
 * does nothing and succeeds.
 */
final class PromoteStep implements Step {
  static final String NAME = "promote";

  /** Opened on first use (creating or upgrading the tables is a few catalog calls). */
  private EvaluationTables tables;

  /** The settings of {@link #settingsConfig}, resolved once per config. */
  private PromoteSettings settings;

  private ArborConfig settingsConfig;

  @Override
  public String name() {
    return NAME;
  }

  private PromoteSettings settings(JobContext c) {
    if (settingsConfig != c.config()) {
      settings = PromoteSettings.from(c.config());
      settingsConfig = c.config();
    }
    return settings;
  }

  @Override
  public List<String> configPaths() {
    return List.of("promote");
  }

  @Override
  public String inputFingerprint(JobContext c) {
    PromoteSettings s = settings(c);
    Optional<RunKey> run = evaluatedRun(c, s);
    if (!s.enabled() || run.isEmpty()) {
      return Fingerprints.combine("run:" + run.map(RunKey::runId).orElse("none"));
    }
    PromotedPointer.Entry champion =
        PromotedPointer.read(
                s.outputRoot(), s.modelName(), c.spark().sparkContext().hadoopConfiguration())
            .map(p -> PromoteStage.isSelf(p.current(), run.get()) ? p.previous() : p.current())
            .orElse(null);
    return Fingerprints.combine(
        "run:" + run.get().runId(),
        champion == null
            ? "champion:none"
            : "champion:" + champion.runDate() + "/" + champion.runId());
  }

  @Override
  public Optional<String> outputFingerprint(JobContext c) {
    PromoteSettings s = settings(c);
    if (!s.enabled()) {
      return Optional.of("disabled");
    }
    Optional<RunKey> run = evaluatedRun(c, s);
    if (run.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> decision = tables(c, s).readPromotionDecision(run.get());
    if (decision.isEmpty()) {
      return Optional.empty();
    }
    boolean pointed =
        PromotedPointer.read(
                s.outputRoot(), s.modelName(), c.spark().sparkContext().hadoopConfiguration())
            .map(p -> PromoteStage.isSelf(p.current(), run.get()))
            .orElse(false);
    return Optional.of(decision.get() + (pointed ? ",promoted-model" : ""));
  }

  @Override
  public String run(JobContext c, Attempt attempt) {
    PromoteSettings s = settings(c);
    if (!s.enabled()) {
      return "promotion gate disabled (promote.enabled = false): nothing done";
    }
    return PromoteStage.run(c.spark(), s, c.runDate(), attempt.forced()).summaryLine();
  }

  private Optional<RunKey> evaluatedRun(JobContext c, PromoteSettings s) {
    return tables(c, s).readRun(s.modelName(), c.runDate()).map(RunRecord::key);
  }

  private EvaluationTables tables(JobContext c, PromoteSettings s) {
    if (tables == null) {
      tables = EvaluationTables.open(c.spark(), s.evaluate().catalog());
    }
    return tables;
  }
}

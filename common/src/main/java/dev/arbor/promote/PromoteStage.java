package dev.arbor.promote;

import static dev.arbor.promote.PromoteResult.format;

import dev.arbor.ArborException;
import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.PromotionRecord;
import dev.arbor.catalog.RunKey;
import dev.arbor.model.AtomicFiles;
import dev.arbor.model.Model;
import dev.arbor.model.ModelStore;
import dev.arbor.prep.PrepModel;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promotion gate for one (model, run date), after {@code evaluate}.
 *
 * <ol>
 *   <li>The run: its {@code runs} row (must exist: run {@code evaluate} first) and its test score
 *       by the gate metric from {@code metrics}. The model file must still be the one evaluated
 *       (same run id).
 *   <li>Data checks ({@code promote.require-data-checks}): the row's status is {@code succeeded}
 *       and prepare rejected at most {@code promote.max-rejected-fraction} of the input rows.
 *   <li>The champion: the run named by {@link PromotedPointer}, or, when that is this very run (a
 *       re-run of the promoted date), the one it replaced. Scored on this run's test split by
 *       {@link ChampionScoring}.
 *   <li>Decision: {@code rejected} when a data check failed or the challenger is worse than the
 *       champion by more than {@code promote.tolerance}; else {@code first} (no champion) or {@code
 *       promoted}.
 *   <li>Commit, in this order: (a) when promoting, copies of the run's model and prep model into
 *       the run's promoted folder; (b) the {@code promotions} row (the partition of the run is
 *       replaced); (c) when promoting, the pointer (one atomic rename).
 * </ol>
 *
 * <p>Crash consistency: the pointer is the last write, so scoring only ever sees a complete
 * promoted run. A crash between (b) and (c) leaves a row that says {@code promoted} while the
 * pointer still names the old champion; re-running the stage compares with the same champion,
 * decides the same, rewrites the row and then moves the pointer: a re-run converges.
 *
 * <p>A rejection is sticky per model: once the gate rejected a model (its features and weights,
 * {@link RejectionMemory}), running the gate again for it rejects it again, whatever the settings
 * now (another {@code promote.metric}, a looser tolerance: these change the run id, so evaluate
 * runs again), until {@code promote --force}. A rejection on one metric must not be undone by
 * re-running under another. A model trained again with other weights is decided afresh.
 *
 * <p>A run that is promoted and rejected when the gate runs again (stricter settings) is withdrawn:
 * the pointer goes back to the run it had replaced (or is removed when there was none).
 *
 * <p>On a rejection with {@code promote.on-reject = fail}, the stage throws {@link
 * ModelRejectedException} (exit code 5) after recording the decision; with {@code warn} it logs a
 * warning and returns the result.
 */
public final class PromoteStage {
  private static final Logger LOG = LoggerFactory.getLogger(PromoteStage.class);

  private PromoteStage() {}

  /**
   * Runs the gate.
   *
   * @throws ArborException (exit 1) when the run was not evaluated, or its model changed since
   * @throws ModelRejectedException when rejected and {@code promote.on-reject = fail}
   * @throws dev.arbor.DataValidationException when the pointer or the champion's files are broken
   */
  public static PromoteResult run(SparkSession spark, PromoteSettings s, LocalDate runDate) {
    return run(spark, s, runDate, false);
  }

  /**
   * Runs the gate.
   *
   * @param force decide afresh even when this model was rejected before (a rejection is sticky per
   *     model otherwise: see the class comment)
   * @throws ArborException (exit 1) when the run was not evaluated, or its model changed since
   * @throws ModelRejectedException when rejected and {@code promote.on-reject = fail}
   */
  public static PromoteResult run(
      SparkSession spark, PromoteSettings s, LocalDate runDate, boolean force) {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String model = s.modelName();
    EvaluationTables tables = EvaluationTables.open(spark, s.evaluate().catalog());
    Challenger c = Challenger.load(spark, s, tables, runDate);
    RunKey key = c.key();
    String modelPath = c.modelPath();
    String prepPath = c.prepPath();
    Model challenger = c.model();
    Optional<String> dataProblem = c.dataProblem();
    Double challengerScore = c.score();

    Optional<PromotedPointer> pointer = PromotedPointer.read(s.outputRoot(), model, conf);
    boolean promotedBefore = pointer.map(p -> isSelf(p.current(), key)).orElse(false);
    PromotedPointer.Entry champion =
        pointer.map(p -> promotedBefore ? p.previous() : p.current()).orElse(null);
    Double championScore = null;
    if (champion != null && dataProblem.isEmpty()) {
      pointer.get().requireFiles(champion, s.outputRoot(), conf);
      championScore =
          ChampionScoring.score(
              spark,
              s,
              runDate,
              ModelStore.read(champion.modelPath(), conf),
              PrepModel.read(champion.prepModelPath(), conf),
              challenger.task(),
              challenger.classes());
    }

    String metric = s.metric().name();
    Decision decision;
    String reason;
    if (dataProblem.isPresent()) {
      decision = Decision.REJECTED;
      reason = "data checks failed: " + dataProblem.get();
    } else if (champion == null) {
      decision = Decision.FIRST;
      reason = "test " + metric + " " + format(challengerScore) + ", no model promoted before";
    } else {
      double drop = s.metric().drop(challengerScore, championScore);
      boolean pass = s.metric().passes(challengerScore, championScore, s.tolerance());
      decision = pass ? Decision.PROMOTED : Decision.REJECTED;
      reason =
          String.format(
              Locale.ROOT,
              "test %s %s vs champion %s (%s, run %s): %s %s tolerance %s",
              metric,
              format(challengerScore),
              format(championScore),
              champion.runDate(),
              champion.runId(),
              drop > 0 ? "worse by " + format(drop) : "not worse",
              pass ? "within" : "beyond",
              s.tolerance());
    }

    RejectionMemory memory = RejectionMemory.of(modelPath);
    if (decision.promotes() && !force) {
      Optional<String> earlier = memory.rejection(challenger, conf);
      if (earlier.isPresent()) {
        decision = Decision.REJECTED;
        reason =
            "rejected before ("
                + earlier.get()
                + "), and a rejection sticks to its model until promote --force; now "
                + reason;
      }
    }
    String pointerPath = PromotedPointer.path(s.outputRoot(), model);
    PromotedPointer.Entry promoted = null;
    if (decision.promotes()) {
      promoted = copyArtifacts(s, key, modelPath, prepPath, metric, challengerScore, conf);
    }
    if (decision.promotes()) {
      memory.forget(conf);
    } else {
      memory.remember(challenger, metric, reason, conf);
    }
    tables.writePromotion(
        new PromotionRecord(
            key,
            metric,
            challengerScore,
            champion == null ? null : champion.date(),
            champion == null ? null : champion.runId(),
            championScore,
            s.tolerance(),
            decision.tableValue(),
            reason));
    if (promoted != null) {
      new PromotedPointer(model, promoted, champion).write(s.outputRoot(), conf);
    } else if (promotedBefore) {
      // This run was promoted before and is rejected now (stricter settings): it must not stay
      // the promoted model.
      withdraw(pointer.get(), s.outputRoot(), conf);
    }
    PromoteResult result =
        new PromoteResult(
            key,
            s.metric(),
            challengerScore,
            champion,
            championScore,
            s.tolerance(),
            decision,
            reason,
            pointerPath);
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (decision.promotes()) {
      LOG.info("Promotion gate: {} ({} ms)", result.summaryLine(), ms);
    } else {
      LOG.warn("Promotion gate: {} ({} ms)", result.summaryLine(), ms);
      if (s.onReject() == OnReject.FAIL) {
        throw new ModelRejectedException(
            "Model rejected by the promotion gate: "
                + result.summaryLine()
                + " (promote.on-reject = fail)");
      }
    }
    return result;
  }

  /**
   * Hands the promotion back from the pointer's current run (rejected on a re-run) to the run it
   * replaced, or removes the pointer when there was none.
   */
  private static void withdraw(PromotedPointer p, String outputRoot, Configuration conf) {
    LOG.warn(
        "Run {} {} of {} is rejected on a re-run: the promoted model goes back to {}",
        p.current().runDate(),
        p.current().runId(),
        p.model(),
        p.previous() == null ? "none" : p.previous().runDate() + " " + p.previous().runId());
    if (p.previous() != null) {
      new PromotedPointer(p.model(), p.previous(), null).write(outputRoot, conf);
    } else {
      AtomicFiles.delete(PromotedPointer.path(outputRoot, p.model()), conf);
    }
  }

  /** Whether {@code entry} is the run {@code key}. */
  public static boolean isSelf(PromotedPointer.Entry entry, RunKey key) {
    return entry.runDate().equals(key.runDate().toString()) && entry.runId().equals(key.runId());
  }

  /** Copies the run's model and prep model to its promoted folder; the pointer entry. */
  private static PromotedPointer.Entry copyArtifacts(
      PromoteSettings s,
      RunKey key,
      String modelPath,
      String prepPath,
      String metric,
      double score,
      Configuration conf) {
    String dir =
        PromotedPointer.artifactDir(s.outputRoot(), key.model(), key.runDate(), key.runId());
    String modelCopy = dir + "/" + ModelStore.FILE;
    String prepCopy = dir + "/" + PrepModel.FILE_NAME;
    AtomicFiles.write(prepCopy, AtomicFiles.read(prepPath, conf), conf);
    AtomicFiles.write(modelCopy, AtomicFiles.read(modelPath, conf), conf);
    return new PromotedPointer.Entry(
        key.runDate().toString(), key.runId(), modelCopy, prepCopy, metric, score);
  }
}

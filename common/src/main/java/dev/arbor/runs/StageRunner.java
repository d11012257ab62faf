package dev.arbor.runs;

import dev.arbor.catalog.StageOutcome;
import dev.arbor.spark.JobContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages in order for one (model, run date), skipping those that already completed for the
 * same inputs and config, and records each outcome in a {@link StageLedger}.
 *
 * <p>The skip rule: a stage is skipped when (1) no earlier stage ran in this call, (2) its recorded
 * outcome succeeded, (3) with the same input fingerprint and (4) the same config hash, and (5) its
 * outputs still exist and are the ones it recorded. Otherwise it runs, and so does every later
 * stage. {@code force} runs every stage. Each decision is logged with its reason and returned.
 *
 * <p>When a stage runs, the recorded outcomes of it and of every later stage are dropped (they
 * describe outputs about to be replaced); a success records the stage, a failure records it as
 * {@code failed} with the error and rethrows (any {@link Throwable}: an {@link Error} such as a
 * {@code StackOverflowError} is recorded too). Not thread-safe for the same (model, run date); runs
 * of different models or dates are independent.
 *
 * <p>One writer per (model, run date): the stages run under that target's {@link RunLock}; a second
 * runner for the same target fails at once (exit 6) without touching the first one's outputs.
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  /** Config key: take over the (model, run date) lock of another process ({@link RunLock}). */
  public static final String BREAK_LOCK_KEY = "run.break-lock";

  private final StageLedger ledger;

  /** A runner recording into {@code ledger}. */
  public StageRunner(StageLedger ledger) {
    this.ledger = ledger;
  }

  /**
   * What happened to one stage.
   *
   * @param stage the stage's name
   * @param ran whether it ran (false: skipped)
   * @param reason why it ran or was skipped, e.g. {@code config changed}
   * @param summary the stage's one-line summary when it ran; null when skipped
   */
  public record Report(String stage, boolean ran, String reason, String summary) {
    /** {@code prepare done (input changed)} or {@code train skipped (unchanged)}. */
    public String line() {
      return stage + (ran ? " done" : " skipped") + " (" + reason + ")";
    }
  }

  /** The ways to run: {@link #SKIP_UNCHANGED} (the default) or {@link #FORCE}. */
  public enum Mode {
    /** Skip the stages that completed for the same inputs and config. */
    SKIP_UNCHANGED,
    /** Run every stage. */
    FORCE
  }

  /**
   * Runs {@code steps} in order (see the class comment).
   *
   * @return one report per stage, in order
   * @throws RuntimeException the first failure, after it was recorded
   */
  public List<Report> run(JobContext context, List<? extends Step> steps, Mode mode) {
    return run(context, steps, mode, r -> {});
  }

  /**
   * Runs {@code steps} in order (see the class comment), handing each stage's report to {@code
   * onReport} as soon as the stage is done or skipped (so a caller can show the stages that
   * finished before a later one fails).
   *
   * @return one report per stage, in order
   * @throws RuntimeException the first failure, after it was recorded
   */
  public List<Report> run(
      JobContext context, List<? extends Step> steps, Mode mode, Consumer<Report> onReport) {
    String model = context.config().string("model.name");
    RunLock lock =
        RunLock.acquire(
            context.config().string("output.root"),
            model,
            context.runDate(),
            String.join(",", steps.stream().map(Step::name).toList()),
            context.config().bool(BREAK_LOCK_KEY),
            context.spark().sparkContext().hadoopConfiguration());
    try {
      // The stages see the default: how the lock was taken is not part of what they make.
      JobContext c =
          new JobContext(
              context.spark(),
              context.config().with(BREAK_LOCK_KEY, false),
              context.runDate(),
              context.resume());
      return runLocked(c, steps, mode, onReport, model);
    } finally {
      lock.close();
    }
  }

  private List<Report> runLocked(
      JobContext context,
      List<? extends Step> steps,
      Mode mode,
      Consumer<Report> onReport,
      String model) {
    Map<String, StageOutcome> recorded =
        new LinkedHashMap<>(ledger.recorded(model, context.runDate()));
    List<Report> reports = new ArrayList<>();
    String rerun = mode == Mode.FORCE ? "--force" : null;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String configHash = step.configHash(context.config());
      String input = step.inputFingerprint(context);
      String reason =
          rerun != null
              ? rerun
              : whyRun(step, context, recorded.get(step.name()), input, configHash);
      if (reason == null) {
        LOG.info(
            "{} {} {}: skipped, unchanged since {}",
            model,
            context.runDate(),
            step.name(),
            recorded.get(step.name()).finishedAt());
        reports.add(new Report(step.name(), false, "unchanged", null));
        onReport.accept(reports.get(reports.size() - 1));
        continue;
      }
      LOG.info("{} {} {}: runs ({})", model, context.runDate(), step.name(), reason);
      StageOutcome previous = recorded.get(step.name());
      for (int j = i; j < steps.size(); j++) {
        recorded.remove(steps.get(j).name());
      }
      StageOutcome starting = StageOutcome.starting(input, configHash);
      String summary;
      try {
        summary =
            step.run(context, new Step.Attempt(recorded, starting, previous, mode == Mode.FORCE));
      } catch (RuntimeException | Error e) {
        // Any Throwable, not only exceptions: a StackOverflowError or an OutOfMemoryError in a
        // stage must still leave a failed row, not a "running" one or none.
        recorded.put(step.name(), starting.failedWith(failureMessage(e)));
        try {
          // A stage that records itself may have recorded its failure already (evaluate's failed
          // run row, with its run id): keep that row.
          if (!step.recordsItself() || !recordedItsFailure(model, context, step, starting)) {
            ledger.record(model, context.runDate(), recorded);
          }
        } catch (RuntimeException | Error again) {
          e.addSuppressed(again);
        }
        throw e;
      }
      if (step.recordsItself()) {
        recorded = new LinkedHashMap<>(ledger.recorded(model, context.runDate()));
      } else {
        recorded.put(
            step.name(), starting.succeededWith(step.outputFingerprint(context).orElse(null)));
        ledger.record(model, context.runDate(), recorded);
      }
      reports.add(new Report(step.name(), true, reason, summary));
      onReport.accept(reports.get(reports.size() - 1));
      rerun = mode == Mode.FORCE ? "--force" : "an earlier stage ran";
    }
    return reports;
  }

  /** The recorded error: the message, or the class name when there is none (an Error). */
  private static String failureMessage(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getName() : m;
  }

  private boolean recordedItsFailure(
      String model, JobContext context, Step step, StageOutcome starting) {
    StageOutcome own = ledger.recorded(model, context.runDate()).get(step.name());
    return own != null
        && !own.succeeded()
        && starting.startedAt().equals(own.startedAt())
        && starting.inputFingerprint().equals(own.inputFingerprint());
  }

  /** Why {@code step} must run, or null when it can be skipped. */
  private static String whyRun(
      Step step, JobContext context, StageOutcome last, String input, String configHash) {
    if (last == null) {
      return "no recorded outcome";
    }
    if (!last.succeeded()) {
      return "last run " + last.status();
    }
    if (!input.equals(last.inputFingerprint())) {
      return "input changed";
    }
    if (!configHash.equals(last.configHash())) {
      return "config changed";
    }
    Optional<String> output = step.outputFingerprint(context);
    if (output.isEmpty()) {
      return "outputs missing";
    }
    if (!output.get().equals(last.outputFingerprint())) {
      return "outputs changed";
    }
    return null;
  }
}

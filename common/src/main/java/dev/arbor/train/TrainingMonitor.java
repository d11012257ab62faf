package dev.arbor.train;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import dev.arbor.model.TrainingStep;
import dev.arbor.optim.IterationContext;
import dev.arbor.optim.IterationListener;
import dev.arbor.optim.IterationRecord;
import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.Result;
import dev.arbor.optim.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one fit (one candidate on one data set) of any model family, in the spirit of Spark's
 * {@code Instrumentation}: the fitting loop reports every completed iteration (epoch) to it, and it
 * logs one line every {@code train.log-every} iterations, evaluates the early-stopping metric every
 * {@code train.early-stopping.every} iterations (and asks the loop to stop after {@code patience}
 * evaluations without improvement), writes a checkpoint every {@code train.checkpoint-every}
 * iterations, and turns a diverged run into the stage's error.
 *
 * <p>Call order: {@link TrainingMonitors#start} creates it with the fit's initial weights; the
 * fitter reads {@link #resumeFrom()} before its first iteration (and continues from that snapshot
 * when present); the loop calls {@link #onIteration} once per completed iteration (an {@link
 * IterationListener}: pass it to {@code Problem.withListener} or call it from a family's own loop);
 * after the loop the fitter calls {@link #finish}, which fails on divergence and returns the
 * weights to keep (the best early-stopping weights when those were earlier). Not thread-safe: one
 * fit, on the driver thread.
 */
public final class TrainingMonitor implements IterationListener {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingMonitor.class);

  private final String modelName;
  private final Candidate candidate;
  private final int fold;
  private final int logEvery;
  private final int checkpointEvery;
  private final CheckpointStore checkpoints;
  private final Checkpoint.Basis basis;
  private final Optional<Checkpoint> resume;
  private final EarlyStopping early;
  private final ToDoubleFunction<double[]> metric;
  private final IterationListener hook;

  TrainingMonitor(
      String modelName,
      Candidate candidate,
      int fold,
      TrainSettings settings,
      CheckpointStore checkpoints,
      Checkpoint.Basis basis,
      Optional<Checkpoint> resume,
      ToDoubleFunction<double[]> metric,
      IterationListener hook) {
    this.modelName = modelName;
    this.candidate = candidate;
    this.fold = fold;
    this.logEvery = settings.logEvery();
    this.checkpointEvery = settings.checkpointEvery();
    this.checkpoints = checkpoints;
    this.basis = basis;
    this.resume = resume;
    this.early =
        candidate
            .train()
            .earlyStopping()
            .map(
                m ->
                    new EarlyStopping(
                        m,
                        candidate.train().patience(),
                        resume.map(Checkpoint::early).orElse(EarlyStopping.State.initial())))
            .orElse(null);
    this.metric = metric;
    this.hook = hook;
  }

  /** The checkpoint to continue from: present only on a resumed run whose checkpoint matches. */
  public Optional<Checkpoint> resumeFrom() {
    return resume;
  }

  /** The optimizer snapshot of {@link #resumeFrom()}, if any. */
  public Optional<OptimizerState> resumeState() {
    return resume.map(c -> OptimizerState.fromJson(c.optimizerState().toString()));
  }

  /** Whether early stopping watches this fit. */
  public boolean earlyStopping() {
    return early != null;
  }

  /** " fold f" for a cross-validation fit, else "": for log lines. */
  public String foldLabel() {
    return fold >= 0 ? " fold " + fold : "";
  }

  @Override
  public void onIteration(IterationContext ctx) {
    IterationRecord rec = ctx.record();
    int k = rec.iteration();
    if (early != null && k % candidate.train().evaluateEvery() == 0) {
      double[] w = ctx.weights();
      double value = metric.applyAsDouble(w);
      ctx.reportValidationMetric(value);
      if (early.update(k, value, w)) {
        ctx.requestStop(
            "no improvement of validation "
                + early.metric().configName()
                + " for "
                + candidate.train().patience()
                + " evaluations (best "
                + early.state().bestMetric()
                + " at iteration "
                + early.state().bestIteration()
                + ")");
      }
    }
    if (k == 1 || k % logEvery == 0) {
      LOG.info(
          "Candidate {}{} iteration {}: loss {}, gradient norm {}, step {}, validation {}, {} ms",
          candidate.index(),
          foldLabel(),
          k,
          rec.loss(),
          rec.gradientNorm(),
          rec.stepSize(),
          ctx.record().validationMetric(),
          rec.elapsedMillis());
    }
    if (checkpointEvery > 0 && k % checkpointEvery == 0) {
      checkpoints.write(
          checkpoints.checkpoint(
              candidate.index(),
              fold,
              basis,
              k,
              ctx.snapshot().toJson(),
              early == null ? EarlyStopping.State.initial() : early.state()));
    }
    hook.onIteration(ctx);
  }

  /**
   * What a finished fit keeps.
   *
   * @param weights the weights to keep
   * @param iteration the iteration they come from (1-based; the best one under early stopping; 0
   *     when no iteration ran)
   * @param restored whether they are earlier weights than the last iteration's (early stopping)
   */
  public record Kept(double[] weights, int iteration, boolean restored) {}

  /**
   * Ends the fit: fails when the optimizer diverged; under early stopping evaluates the last
   * weights when the loop did not, and keeps the best evaluated weights.
   *
   * @throws ArborException (exit 1) naming the candidate when {@code result} diverged
   */
  public Kept finish(Result result) {
    if (result.stopReason() == StopReason.DIVERGED) {
      throw new ArborException(
          ExitCode.FAILURE,
          "Cannot train model "
              + modelName
              + (candidate.index() > 0 || !candidate.overrides().isEmpty()
                  ? " (candidate " + candidate.index() + ")"
                  : "")
              + ": the optimizer diverged: "
              + result.message()
              + " (lower train.optimizer.learning-rate or add regularization)");
    }
    List<IterationRecord> history = result.history();
    double[] weights = result.weights();
    if (early == null || history.isEmpty()) {
      // Nothing to restore (no early stopping, or no iteration ran: a warm start at the optimum).
      return new Kept(weights, history.size(), false);
    }
    IterationRecord last = history.get(history.size() - 1);
    if (last.validation().isEmpty()) {
      early.update(last.iteration(), metric.applyAsDouble(weights), weights);
    }
    if (early.state().bestIteration() == last.iteration()) {
      return new Kept(weights, last.iteration(), false);
    }
    LOG.info(
        "Early stopping: restoring the weights of iteration {} ({} = {})",
        early.state().bestIteration(),
        early.metric().configName(),
        early.state().bestMetric());
    return new Kept(early.bestWeights(), early.state().bestIteration(), true);
  }

  /** The model file's per-iteration records of an optimizer's history. */
  static List<TrainingStep> steps(List<IterationRecord> history) {
    List<TrainingStep> out = new ArrayList<>(history.size());
    for (IterationRecord r : history) {
      out.add(
          new TrainingStep(
              r.iteration(),
              r.loss(),
              r.validationMetric(),
              r.gradientNorm(),
              r.stepSize(),
              r.elapsedMillis()));
    }
    return out;
  }
}

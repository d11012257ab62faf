package dev.arbor.optim.run;

import dev.arbor.optim.IterationContext;
import dev.arbor.optim.IterationListener;
import dev.arbor.optim.IterationRecord;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Result;
import dev.arbor.optim.StopReason;
import dev.arbor.optim.StoppingCriteria;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iteration protocol shared by all optimizers. An optimizer creates one per run, then either
 * {@link #start}s it with the loss at the initial weights or, when resuming, restores its own state
 * from {@link #resumeState()} and asks {@link #stopsOnResume()}; after each iteration it calls
 * {@link #complete}, which records the iteration, checks divergence, calls the listener and checks
 * the stopping criteria, in that order; once a run stops, {@link #result} builds the {@link
 * Result}.
 *
 * <p>Optimizer-specific state enters snapshots through a {@code Consumer<OptimizerState.Builder>}
 * that writes the optimizer's vectors and scalars as they are at that moment. Not thread-safe.
 */
public final class RunTracker {
  private static final Logger LOG = LoggerFactory.getLogger(RunTracker.class);
  private static final String INITIAL_LOSS = "run.initial-loss";
  private static final String GROWTH = "run.growth";

  private final String optimizer;
  private final StoppingCriteria stopping;
  private final IterationListener listener;
  private final OptimizerState resume;
  private final List<IterationRecord> history = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private final long elapsedBefore;
  private double initialLoss = Double.NaN;
  private int growth;
  private StopReason reason;
  private String message;

  public RunTracker(Optimizer optimizer, Problem problem) {
    this.optimizer = optimizer.toString();
    this.stopping = problem.stopping();
    this.listener = problem.listener();
    this.resume = problem.resumeFrom().orElse(null);
    if (resume != null) {
      if (!resume.optimizer().equals(this.optimizer)) {
        throw new IllegalArgumentException(
            "Cannot resume from snapshot: it was taken by "
                + resume.optimizer()
                + ", not by "
                + this.optimizer);
      }
      history.addAll(resume.history());
      initialLoss = resume.scalar(INITIAL_LOSS);
      growth = (int) resume.scalar(GROWTH);
      elapsedBefore = resume.elapsedMillis();
      LOG.info(
          "Resuming {} at iteration {} (loss {})", optimizer, resume.iteration(), resume.loss());
    } else {
      elapsedBefore = 0;
      LOG.info(
          "Minimizing {} weights with {}, regularization {}, {}",
          problem.function().dimension(),
          optimizer,
          problem.regularization(),
          stopping);
    }
  }

  /** Whether this run continues from a snapshot. */
  public boolean isResumed() {
    return resume != null;
  }

  /**
   * The snapshot being resumed from.
   *
   * @throws IllegalStateException when not resuming
   */
  public OptimizerState resumeState() {
    if (resume == null) {
      throw new IllegalStateException("Not resuming");
    }
    return resume;
  }

  /** Completed iterations (epochs) so far, counting those before a resume. */
  public int iteration() {
    return history.size();
  }

  /**
   * Starts a fresh run with the loss at the initial weights, the reference for divergence and for
   * the first iteration's loss change.
   *
   * @return whether the run must stop at once (a non-finite initial loss: diverged)
   */
  public boolean start(double loss) {
    if (!Double.isFinite(loss)) {
      return stop(
          StopReason.DIVERGED, "Diverged at iteration 0: loss at the initial weights = " + loss);
    }
    initialLoss = loss;
    return false;
  }

  /**
   * Starts a fresh run without evaluating the initial loss (stochastic optimizers that skip the
   * full objective): the first iteration's loss becomes the divergence reference.
   */
  public void startWithoutInitialLoss() {
    initialLoss = Double.NaN;
  }

  /**
   * Whether a resumed run must stop at once because the snapshot's last iteration already met a
   * deterministic criterion (max iterations, loss change, gradient norm): the uninterrupted run
   * stopped there too.
   */
  public boolean stopsOnResume() {
    if (history.isEmpty()) {
      return false;
    }
    return converged(history.get(history.size() - 1)) || reachedMaxIterations();
  }

  /**
   * Ends the run with a reason the optimizer found (e.g. a failed line search, a mini-batch that
   * diverged). Iterations already completed stay in the history.
   *
   * @return {@code true}, for {@code return tracker.stop(...)}-style use
   */
  public boolean stop(StopReason why, String text) {
    this.reason = why;
    this.message = text;
    LOG.info("{} stopped after {} iterations: {}", optimizer, history.size(), text);
    return true;
  }

  /**
   * Records a completed iteration and decides whether to stop.
   *
   * @param loss the full objective at {@code weights}
   * @param gradientNorm the (pseudo-)gradient norm at {@code weights}
   * @param stepSize the step or learning rate used
   * @param weights the weights after the iteration (not kept; copied into snapshots)
   * @param state writes the optimizer's own state into a snapshot
   * @return whether the run stops now
   */
  public boolean complete(
      double loss,
      double gradientNorm,
      double stepSize,
      double[] weights,
      Consumer<OptimizerState.Builder> state) {
    int k = history.size() + 1;
    IterationRecord record = IterationRecord.of(k, loss, gradientNorm, stepSize, elapsedMillis());
    history.add(record);
    LOG.debug("{} iteration {}: {}", optimizer, k, record);
    if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
      return stop(
          StopReason.DIVERGED,
          "Diverged at iteration " + k + ": loss = " + loss + ", gradient norm = " + gradientNorm);
    }
    if (Double.isNaN(initialLoss)) {
      initialLoss = loss;
    }
    if (initialLoss != 0 && loss > StoppingCriteria.DIVERGENCE_FACTOR * Math.abs(initialLoss)) {
      growth++;
      if (growth >= StoppingCriteria.DIVERGENCE_PATIENCE) {
        return stop(
            StopReason.DIVERGED,
            "Diverged at iteration "
                + k
                + ": loss = "
                + loss
                + " stayed above "
                + StoppingCriteria.DIVERGENCE_FACTOR
                + " x the initial loss "
                + initialLoss
                + " for "
                + growth
                + " iterations");
      }
    } else {
      growth = 0;
    }
    Context context = new Context(weights, state);
    listener.onIteration(context);
    if (context.stopRequest != null) {
      return stop(
          StopReason.STOPPED_BY_LISTENER,
          "Stopped by listener at iteration " + k + ": " + context.stopRequest);
    }
    if (converged(history.get(history.size() - 1))) {
      return true;
    }
    if (!stopping.maxDuration().isZero() && elapsedMillis() >= stopping.maxDuration().toMillis()) {
      return stop(
          StopReason.TIME_LIMIT,
          "Time limit " + stopping.maxDuration() + " reached at iteration " + k);
    }
    return reachedMaxIterations();
  }

  private boolean converged(IterationRecord last) {
    int k = last.iteration();
    if (stopping.gradientTolerance() > 0 && last.gradientNorm() <= stopping.gradientTolerance()) {
      return stop(
          StopReason.GRADIENT_CONVERGED,
          "Converged at iteration "
              + k
              + ": gradient norm "
              + last.gradientNorm()
              + " <= "
              + stopping.gradientTolerance());
    }
    double previous = history.size() >= 2 ? history.get(history.size() - 2).loss() : initialLoss;
    if (stopping.relativeTolerance() > 0 && Double.isFinite(previous)) {
      double scale = Math.max(Math.abs(previous), Math.abs(last.loss()));
      double change = scale == 0 ? 0 : Math.abs(previous - last.loss()) / scale;
      if (change <= stopping.relativeTolerance()) {
        return stop(
            StopReason.LOSS_CONVERGED,
            "Converged at iteration "
                + k
                + ": relative loss change "
                + change
                + " <= "
                + stopping.relativeTolerance());
      }
    }
    return false;
  }

  private boolean reachedMaxIterations() {
    if (history.size() >= stopping.maxIterations()) {
      return stop(
          StopReason.MAX_ITERATIONS,
          "Reached the maximum of " + stopping.maxIterations() + " iterations");
    }
    return false;
  }

  private long elapsedMillis() {
    return elapsedBefore + (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** A snapshot of the run as it is now. */
  public OptimizerState snapshot(double[] weights, Consumer<OptimizerState.Builder> state) {
    double loss = history.isEmpty() ? initialLoss : history.get(history.size() - 1).loss();
    OptimizerState.Builder b =
        OptimizerState.builder(optimizer, history.size(), weights)
            .loss(loss)
            .elapsedMillis(elapsedMillis())
            .history(history)
            .scalar(INITIAL_LOSS, initialLoss)
            .scalar(GROWTH, growth);
    state.accept(b);
    return b.build();
  }

  /**
   * The result of a stopped run.
   *
   * @param weights the final weights
   * @param loss the full objective at them
   * @param state writes the optimizer's own state into the final snapshot
   * @throws IllegalStateException when the run has not stopped
   */
  public Result result(double[] weights, double loss, Consumer<OptimizerState.Builder> state) {
    if (reason == null) {
      throw new IllegalStateException("The run has not stopped");
    }
    return new Result(
        weights, loss, history.size(), history, reason, message, snapshot(weights, state));
  }

  private final class Context implements IterationContext {
    private final double[] weights;
    private final Consumer<OptimizerState.Builder> state;
    private String stopRequest;

    Context(double[] weights, Consumer<OptimizerState.Builder> state) {
      this.weights = weights;
      this.state = state;
    }

    @Override
    public IterationRecord record() {
      return history.get(history.size() - 1);
    }

    @Override
    public double[] weights() {
      return weights.clone();
    }

    @Override
    public void reportValidationMetric(double value) {
      history.set(history.size() - 1, record().withValidationMetric(value));
    }

    @Override
    public void requestStop(String why) {
      stopRequest = why;
    }

    @Override
    public OptimizerState snapshot() {
      return RunTracker.this.snapshot(weights, state);
    }
  }
}

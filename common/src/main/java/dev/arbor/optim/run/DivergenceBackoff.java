package dev.arbor.optim.run;

import dev.arbor.optim.IterationListener;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Result;
import dev.arbor.optim.StopReason;
import java.util.function.DoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learning-rate backoff on divergence ({@code train.on-divergence = backoff}): when a run stops as
 * {@link StopReason#DIVERGED}, halve the learning rate and continue from the weights with the
 * lowest finite loss of that attempt, its starting weights included (one extra objective
 * evaluation), at most {@value #MAX_HALVINGS} times, each logged at WARN. The continuation gets the
 * iterations the diverged attempts left (at least one); its result, history and snapshots are those
 * of the last attempt. A run that still diverges after the last halving is returned as diverged.
 *
 * <p>Only meaningful for optimizers with a learning rate (gradient descent, the stochastic ones);
 * L-BFGS chooses its own steps. A snapshot to resume from is used by the first attempt only.
 * Deterministic: the same problem and learning rate give the same attempts. Not thread-safe.
 */
public final class DivergenceBackoff {
  private static final Logger LOG = LoggerFactory.getLogger(DivergenceBackoff.class);

  /** Most halvings of the learning rate before the run is reported as diverged. */
  public static final int MAX_HALVINGS = 10;

  private DivergenceBackoff() {}

  /**
   * Minimizes {@code problem}, backing off on divergence.
   *
   * @param learningRate the configured learning rate, > 0
   * @param optimizerAt builds the optimizer for a learning rate
   */
  public static Result minimize(
      Problem problem, double learningRate, DoubleFunction<Optimizer> optimizerAt) {
    double rate = learningRate;
    Problem attempt = problem;
    int used = 0;
    for (int halvings = 0; ; halvings++) {
      Best best = new Best(attempt.initialWeights());
      IterationListener original = problem.listener();
      Result r =
          optimizerAt
              .apply(rate)
              .minimize(
                  attempt.withListener(
                      ctx -> {
                        best.offer(ctx.record().loss(), ctx);
                        original.onIteration(ctx);
                      }));
      used += r.iterations();
      int left = problem.stopping().maxIterations() - used;
      if (r.stopReason() != StopReason.DIVERGED || halvings == MAX_HALVINGS || left < 1) {
        if (r.stopReason() == StopReason.DIVERGED && halvings > 0) {
          LOG.warn("Still diverging after {} halvings of the learning rate: {}", halvings, r);
        }
        return r;
      }
      if (best.iteration > 0) {
        // The listener never sees iteration 0: keep the attempt's start when it was better.
        Objective objective = new Objective(attempt);
        double[] start = attempt.initialWeights();
        double startLoss =
            objective.smooth(start, new double[start.length]) + objective.l1Value(start);
        if (!(startLoss > best.loss)) {
          best.weights = start.clone();
          best.loss = startLoss;
          best.iteration = 0;
        }
      }
      LOG.warn(
          "{} (learning rate {}): halving the learning rate to {} and continuing from {}",
          r.message(),
          rate,
          rate / 2,
          best.iteration == 0
              ? "the weights it started from (loss " + best.loss + ")"
              : "the weights of iteration " + best.iteration + " (loss " + best.loss + ")");
      rate /= 2;
      attempt =
          Problem.of(problem.function(), best.weights)
              .withRegularization(problem.regularization())
              .withStopping(problem.stopping().withMaxIterations(left));
    }
  }

  /** The weights of the lowest finite loss seen by the listener. */
  private static final class Best {
    double[] weights;
    double loss = Double.POSITIVE_INFINITY;
    int iteration;

    Best(double[] initial) {
      weights = initial.clone();
    }

    void offer(double value, dev.arbor.optim.IterationContext ctx) {
      if (Double.isFinite(value) && value < loss) {
        loss = value;
        iteration = ctx.record().iteration();
        weights = ctx.weights();
      }
    }
  }
}

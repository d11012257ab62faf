package dev.arbor.optim.gd;

import dev.arbor.optim.Decay;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Result;
import dev.arbor.optim.StopReason;
import dev.arbor.optim.run.Objective;
import dev.arbor.optim.run.RunTracker;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Full-batch gradient descent, proximal when L1 is on: {@code w ← prox(w − t·∇g(w))} where {@code
 * g} is the smooth part (data term plus L2) and {@code prox} soft-thresholds penalized coordinates
 * by {@code t·λα} (ISTA; Beck &amp; Teboulle 2009, "A fast iterative shrinkage-thresholding
 * algorithm", SIAM J. Imaging Sci. 2(1)).
 *
 * <p>The step {@code t} of iteration {@code k} (0-based) starts at {@code decay.at(learningRate,
 * k)}. With {@link LineSearch#NONE} it is used as is. With {@link LineSearch#BACKTRACKING} it is
 * halved until the Armijo sufficient-decrease condition {@code g(w') ≤ g(w) + c·∇g(w)·(w' − w)},
 * {@code c = 1e-4}, holds (Armijo 1966, "Minimization of functions having Lipschitz continuous
 * first partial derivatives", Pacific J. Math. 16(1)); with L1, the proximal condition {@code g(w')
 * ≤ g(w) + ∇g(w)·(w' − w) + ‖w' − w‖²/(2t)} of Beck &amp; Teboulle instead; for the first trial
 * both are relaxed by {@value #ROUNDING_SLACK}{@code ·|g(w)|} for rounding. After {@value
 * #MAX_TRIALS} halvings the run stops with {@link StopReason#LINE_SEARCH_FAILED}.
 *
 * <p>Immutable and thread-safe.
 */
public final class GradientDescent implements Optimizer {
  /** How the step of an iteration is chosen. */
  public enum LineSearch {
    NONE,
    BACKTRACKING
  }

  /** Sufficient-decrease constant of the Armijo condition. */
  public static final double ARMIJO_C = 1e-4;

  /**
   * Relative slack of the sufficient-decrease test of the first (unshortened) step: near the
   * minimum the predicted decrease falls below the rounding error of the objective (a sum over many
   * rows), and a strict test would then reject good steps at random. Shortened steps get no slack,
   * so a direction that does not descend still fails.
   */
  public static final double ROUNDING_SLACK = 1e-12;

  /** Step halvings before a backtracking line search gives up. */
  public static final int MAX_TRIALS = 60;

  private final double learningRate;
  private final Decay decay;
  private final LineSearch lineSearch;

  /**
   * @param learningRate the (initial) step, a finite number > 0
   * @param decay the schedule of the step over iterations
   * @param lineSearch whether to backtrack from the scheduled step
   */
  public GradientDescent(double learningRate, Decay decay, LineSearch lineSearch) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "Invalid learning rate: " + learningRate + " (expected a finite number > 0)");
    }
    if (decay == null || lineSearch == null) {
      throw new IllegalArgumentException("Invalid gradient descent: decay and line search needed");
    }
    this.learningRate = learningRate;
    this.decay = decay;
    this.lineSearch = lineSearch;
  }

  @Override
  public String name() {
    return "gd";
  }

  @Override
  public Result minimize(Problem problem) {
    Objective objective = new Objective(problem);
    RunTracker run = new RunTracker(this, problem);
    int n = objective.dimension();
    OptimizerState resumed = run.isResumed() ? run.resumeState() : null;
    double[] weights = resumed != null ? resumed.weights() : problem.initialWeights();
    double[] grad = resumed != null ? resumed.vector("gradient") : new double[n];
    // One-element holder: the snapshot writer below reads the current value.
    double[] smooth = {resumed != null ? resumed.scalar("smooth-value") : Double.NaN};
    Consumer<OptimizerState.Builder> state =
        b -> b.vector("gradient", grad).scalar("smooth-value", smooth[0]);
    boolean stop;
    if (resumed != null) {
      stop = run.stopsOnResume();
    } else {
      smooth[0] = objective.smooth(weights, grad);
      stop = run.start(smooth[0] + objective.l1Value(weights));
    }
    double[] trial = new double[n];
    double[] trialGradient = new double[n];
    while (!stop) {
      double step = decay.at(learningRate, run.iteration());
      double trialSmooth = Double.NaN;
      boolean accepted = false;
      for (int t = 0; t < (lineSearch == LineSearch.NONE ? 1 : MAX_TRIALS) && !accepted; t++) {
        if (t > 0) {
          step *= 0.5;
        }
        for (int i = 0; i < n; i++) {
          trial[i] = weights[i] - step * grad[i];
        }
        objective.softThreshold(trial, step);
        trialSmooth = objective.smooth(trial, trialGradient);
        accepted =
            lineSearch == LineSearch.NONE
                || trialSmooth
                    <= bound(objective, weights, grad, smooth[0], trial, step)
                        + (t == 0 ? ROUNDING_SLACK * Math.abs(smooth[0]) : 0);
      }
      if (!accepted) {
        run.stop(
            StopReason.LINE_SEARCH_FAILED,
            "Backtracking found no step with sufficient decrease at iteration "
                + (run.iteration() + 1)
                + " (last step "
                + step
                + ")");
        break;
      }
      System.arraycopy(trial, 0, weights, 0, n);
      System.arraycopy(trialGradient, 0, grad, 0, n);
      smooth[0] = trialSmooth;
      stop =
          run.complete(
              smooth[0] + objective.l1Value(weights),
              objective.pseudoGradientNorm(weights, grad),
              step,
              weights,
              state);
    }
    return run.result(weights, smooth[0] + objective.l1Value(weights), state);
  }

  /** The right-hand side of the sufficient-decrease condition. */
  private static double bound(
      Objective objective, double[] w, double[] g, double value, double[] trial, double step) {
    double slope = 0;
    double distance = 0;
    for (int i = 0; i < w.length; i++) {
      double d = trial[i] - w[i];
      slope += g[i] * d;
      distance += d * d;
    }
    return objective.hasL1() ? value + slope + distance / (2 * step) : value + ARMIJO_C * slope;
  }

  @Override
  public String toString() {
    return "GradientDescent(learning-rate="
        + learningRate
        + ", decay="
        + decay
        + ", line-search="
        + lineSearch.name().toLowerCase(Locale.ROOT)
        + ")";
  }
}

package dev.arbor.optim.lbfgs;

import dev.arbor.optim.Optimizer;
import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Result;
import dev.arbor.optim.StopReason;
import dev.arbor.optim.gd.GradientDescent;
import dev.arbor.optim.lbfgs.StrongWolfeLineSearch.Point;
import dev.arbor.optim.run.Objective;
import dev.arbor.optim.run.RunTracker;
import java.util.function.Consumer;

/**
 * Limited-memory BFGS (Nocedal 1980; Liu &amp; Nocedal 1989, "On the limited memory BFGS method for
 * large scale optimization", Math. Programming 45) with a strong-Wolfe line search, keeping the
 * last {@code m} curvature pairs. When the problem's regularization has an L1 part it runs as
 * OWL-QN (Andrew &amp; Gao 2007, "Scalable training of L1-regularized log-linear models", ICML):
 * the direction is computed from the pseudo-gradient and zeroed where it disagrees in sign with the
 * steepest-descent direction, and a backtracking line search projects each trial point onto the
 * orthant of the current point (coordinates crossing zero become exactly zero) and accepts {@code
 * F(w') ≤ F(w) + c1·◇F(w)·(w' − w)}, {@code c1 = 1e-4} (the first trial relaxed for rounding as in
 * {@link GradientDescent#ROUNDING_SLACK}). Intercept coordinates are never projected.
 *
 * <p>The first iteration (and any after the memory was reset) tries the step {@code 1/‖∇F‖}, the
 * others the quasi-Newton step 1. When a line search fails with a non-empty memory, the memory is
 * cleared and the iteration retried along the steepest-descent direction; a second failure stops
 * the run with {@link StopReason#CONVERGED} when the gradient is already negligible ({@link
 * StopReason#afterFailedLineSearch}), else with {@link StopReason#LINE_SEARCH_FAILED}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Lbfgs implements Optimizer {
  /** Sufficient-decrease constant of the OWL-QN line search. */
  public static final double OWLQN_C1 = 1e-4;

  /** Step halvings before the OWL-QN line search gives up. */
  public static final int MAX_BACKTRACKS = 40;

  private final int historySize;

  /**
   * @param historySize the number {@code m} of curvature pairs kept, >= 1
   */
  public Lbfgs(int historySize) {
    if (historySize < 1) {
      throw new IllegalArgumentException(
          "Invalid L-BFGS history size: " + historySize + " (expected >= 1)");
    }
    this.historySize = historySize;
  }

  @Override
  public String name() {
    return "lbfgs";
  }

  @Override
  public Result minimize(Problem problem) {
    Objective objective = new Objective(problem);
    RunTracker run = new RunTracker(this, problem);
    LbfgsMemory memory = new LbfgsMemory(historySize);
    int n = objective.dimension();
    OptimizerState resumed = run.isResumed() ? run.resumeState() : null;
    double[] w = resumed != null ? resumed.weights() : problem.initialWeights();
    double[] g = resumed != null ? resumed.vector("gradient") : new double[n];
    // One-element holder: the snapshot writer below reads the current value.
    double[] smooth = {resumed != null ? resumed.scalar("smooth-value") : Double.NaN};
    Consumer<OptimizerState.Builder> state =
        b -> {
          b.vector("gradient", g).scalar("smooth-value", smooth[0]);
          memory.save(b);
        };
    boolean stop;
    if (resumed != null) {
      memory.restore(resumed);
      stop = run.stopsOnResume();
    } else {
      smooth[0] = objective.smooth(w, g);
      stop = run.start(smooth[0] + objective.l1Value(w));
    }
    double[] pg = new double[n];
    while (!stop) {
      objective.pseudoGradient(w, g, pg);
      if (Objective.norm(pg) == 0) {
        run.stop(
            StopReason.GRADIENT_CONVERGED,
            "Converged at iteration " + run.iteration() + ": gradient is exactly zero");
        break;
      }
      Point next = iterate(objective, memory, w, smooth[0], pg);
      if (next == null) {
        double norm = Objective.norm(pg);
        double loss = smooth[0] + objective.l1Value(w);
        StopReason reason = StopReason.afterFailedLineSearch(norm, loss);
        run.stop(
            reason,
            reason == StopReason.CONVERGED
                ? "Converged at iteration "
                    + run.iteration()
                    + ": no step decreases the loss in floating point, gradient norm "
                    + norm
                    + ", loss "
                    + loss
                : "Line search found no acceptable step at iteration " + (run.iteration() + 1));
        break;
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = next.weights()[i] - w[i];
        y[i] = next.gradient()[i] - g[i];
      }
      memory.add(s, y);
      System.arraycopy(next.weights(), 0, w, 0, n);
      System.arraycopy(next.gradient(), 0, g, 0, n);
      smooth[0] = next.value();
      stop =
          run.complete(
              smooth[0] + objective.l1Value(w),
              objective.pseudoGradientNorm(w, g),
              next.alpha(),
              w,
              state);
    }
    return run.result(w, smooth[0] + objective.l1Value(w), state);
  }

  /** One quasi-Newton step; on failure retries once from an empty memory. */
  private static Point iterate(
      Objective objective, LbfgsMemory memory, double[] w, double value, double[] pg) {
    for (int attempt = 0; attempt < 2; attempt++) {
      if (attempt == 1) {
        if (memory.isEmpty()) {
          return null;
        }
        memory.clear();
      }
      double[] d = memory.direction(pg);
      if (objective.hasL1()) {
        for (int i = 0; i < d.length; i++) {
          if (d[i] * pg[i] >= 0) {
            d[i] = 0;
          }
        }
      }
      double slope = Objective.dot(d, pg);
      if (!(slope < 0)) {
        continue;
      }
      double alpha0 = memory.isEmpty() ? Math.min(1, 1 / Objective.norm(pg)) : 1;
      Point p =
          objective.hasL1()
              ? orthantSearch(objective, w, value + objective.l1Value(w), pg, d, alpha0)
              : StrongWolfeLineSearch.search(objective, w, value, slope, d, alpha0);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /** OWL-QN's projected backtracking line search (Andrew &amp; Gao 2007, section 3.2). */
  private static Point orthantSearch(
      Objective objective, double[] w, double total, double[] pg, double[] d, double alpha0) {
    int n = w.length;
    boolean[] penalized = objective.penalized();
    double[] orthant = new double[n];
    for (int i = 0; i < n; i++) {
      orthant[i] = w[i] != 0 ? Math.signum(w[i]) : -Math.signum(pg[i]);
    }
    double alpha = alpha0;
    for (int t = 0; t < MAX_BACKTRACKS; t++, alpha *= 0.5) {
      double[] x = new double[n];
      double decrease = 0;
      for (int i = 0; i < n; i++) {
        x[i] = w[i] + alpha * d[i];
        if (penalized[i] && x[i] * orthant[i] <= 0) {
          x[i] = 0;
        }
        decrease += pg[i] * (x[i] - w[i]);
      }
      double[] g = new double[n];
      double v = objective.smooth(x, g);
      if (v + objective.l1Value(x)
          <= total
              + OWLQN_C1 * decrease
              + (t == 0 ? GradientDescent.ROUNDING_SLACK * Math.abs(total) : 0)) {
        return new Point(alpha, v, Double.NaN, x, g);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "Lbfgs(history=" + historySize + ", line-search=strong-wolfe, owl-qn when l1 > 0)";
  }
}

package dev.arbor.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.optim.TestFunctions.LeastSquares;
import dev.arbor.optim.TestFunctions.Quadratic;
import dev.arbor.optim.gd.GradientDescent;
import dev.arbor.optim.gd.GradientDescent.LineSearch;
import dev.arbor.optim.lbfgs.Lbfgs;
import dev.arbor.optim.sgd.Sgd;
import dev.arbor.optim.sgd.StochasticOptimizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every stopping criterion, divergence detection and the listener protocol. */
class StoppingTest {
  private static final Optimizer GD = new GradientDescent(0.1, Decay.none(), LineSearch.NONE);
  private static final StoppingCriteria NONE_BUT_MAX =
      StoppingCriteria.defaults().withRelativeTolerance(0).withMaxIterations(50);

  private static Problem quadratic() {
    return Problem.of(Quadratic.example(), new double[4]);
  }

  @Test
  void maxIterations() {
    Result r = GD.minimize(quadratic().withStopping(NONE_BUT_MAX.withMaxIterations(7)));
    assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
    assertThat(r.iterations()).isEqualTo(7);
    assertThat(r.history())
        .extracting(IterationRecord::iteration)
        .containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(r.message()).isEqualTo("Reached the maximum of 7 iterations");
    assertThat(r.loss()).isEqualTo(r.history().get(6).loss());
  }

  @Test
  void relativeLossChange() {
    Result r =
        GD.minimize(
            quadratic()
                .withStopping(NONE_BUT_MAX.withMaxIterations(10_000).withRelativeTolerance(1e-4)));
    assertThat(r.stopReason()).isEqualTo(StopReason.LOSS_CONVERGED);
    List<IterationRecord> h = r.history();
    int k = h.size() - 1;
    assertThat(relativeChange(h.get(k - 1).loss(), h.get(k).loss())).isLessThanOrEqualTo(1e-4);
    assertThat(relativeChange(h.get(k - 2).loss(), h.get(k - 1).loss())).isGreaterThan(1e-4);
    assertThat(r.message())
        .startsWith("Converged at iteration " + (k + 1) + ": relative loss change ");
  }

  private static double relativeChange(double a, double b) {
    return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  }

  @Test
  void gradientNorm() {
    Result r =
        GD.minimize(
            quadratic()
                .withStopping(NONE_BUT_MAX.withMaxIterations(10_000).withGradientTolerance(1e-3)));
    assertThat(r.stopReason()).isEqualTo(StopReason.GRADIENT_CONVERGED);
    List<IterationRecord> h = r.history();
    assertThat(h.get(h.size() - 1).gradientNorm()).isLessThanOrEqualTo(1e-3);
    assertThat(h.get(h.size() - 2).gradientNorm()).isGreaterThan(1e-3);
    // The reported norm is the true gradient's at the reported weights.
    double[] g = new double[4];
    Quadratic.example().valueAndGradient(r.weights(), g);
    assertThat(h.get(h.size() - 1).gradientNorm())
        .isEqualTo(Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]));
  }

  @Test
  void wallClockBudget() {
    DifferentiableFunction slow =
        new DifferentiableFunction() {
          final Quadratic q = Quadratic.example();

          @Override
          public int dimension() {
            return 4;
          }

          @Override
          public double valueAndGradient(double[] w, double[] g) {
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return q.valueAndGradient(w, g);
          }
        };
    Result r =
        GD.minimize(
            Problem.of(slow, new double[4])
                .withStopping(
                    NONE_BUT_MAX.withMaxIterations(10_000).withMaxDuration(Duration.ofMillis(30))));
    assertThat(r.stopReason()).isEqualTo(StopReason.TIME_LIMIT);
    assertThat(r.iterations()).isBetween(1, 15);
    assertThat(r.history().get(r.iterations() - 1).elapsedMillis()).isGreaterThanOrEqualTo(30);
    assertThat(r.message()).isEqualTo("Time limit PT0.03S reached at iteration " + r.iterations());
  }

  @Test
  void listenerSeesEveryIterationReportsAMetricAndStops() {
    List<IterationRecord> seen = new ArrayList<>();
    List<double[]> weights = new ArrayList<>();
    Result r =
        GD.minimize(
            quadratic()
                .withStopping(NONE_BUT_MAX)
                .withListener(
                    ctx -> {
                      weights.add(ctx.weights());
                      ctx.reportValidationMetric(100 - ctx.record().iteration());
                      seen.add(ctx.record());
                      if (ctx.record().iteration() == 4) {
                        ctx.requestStop("no improvement for 3 epochs");
                      }
                    }));
    assertThat(r.stopReason()).isEqualTo(StopReason.STOPPED_BY_LISTENER);
    assertThat(r.message())
        .isEqualTo("Stopped by listener at iteration 4: no improvement for 3 epochs");
    assertThat(r.iterations()).isEqualTo(4);
    assertThat(seen)
        .extracting(IterationRecord::validationMetric)
        .containsExactly(99.0, 98.0, 97.0, 96.0);
    assertThat(r.history()).isEqualTo(seen);
    assertThat(r.finalState().history()).isEqualTo(seen);
    assertThat(weights.get(3)).isEqualTo(r.weights());
  }

  @Test
  void growingLossIsDivergence() {
    // Step 1.0 on a quadratic with largest curvature ~5.4: each iteration multiplies the error by
    // ~4.4, the loss by ~19.
    Result r =
        new GradientDescent(1.0, Decay.none(), LineSearch.NONE)
            .minimize(quadratic().withStopping(NONE_BUT_MAX.withMaxIterations(1000)));
    assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
    assertThat(r.stopReason().isSuccess()).isFalse();
    double initial = Quadratic.example().valueAndGradient(new double[4], new double[4]);
    List<IterationRecord> h = r.history();
    int k = h.size();
    for (int i = k - 3; i < k; i++) {
      assertThat(h.get(i).loss()).isGreaterThan(1e4 * initial);
    }
    assertThat(h.get(k - 4).loss()).isLessThanOrEqualTo(1e4 * initial);
    assertThat(r.message())
        .isEqualTo(
            "Diverged at iteration "
                + k
                + ": loss = "
                + h.get(k - 1).loss()
                + " stayed above 10000.0 x the initial loss "
                + initial
                + " for 3 iterations");
  }

  @Test
  void nonFiniteLossIsDivergenceForEveryOptimizer() {
    DifferentiableFunction poisoned =
        new DifferentiableFunction() {
          final Quadratic q = Quadratic.example();
          int calls;

          @Override
          public int dimension() {
            return 4;
          }

          @Override
          public double valueAndGradient(double[] w, double[] g) {
            double v = q.valueAndGradient(w, g);
            return ++calls >= 3 ? Double.NaN : v;
          }
        };
    Result r = GD.minimize(Problem.of(poisoned, new double[4]).withStopping(NONE_BUT_MAX));
    assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
    assertThat(r.message()).startsWith("Diverged at iteration 2: loss = NaN, gradient norm = ");
  }

  @Test
  void tooLargeLearningRateDivergesForSgd() {
    LeastSquares data = LeastSquares.random(100, 4, 0.1, 3);
    Result r =
        new StochasticOptimizer(Sgd.plain(), 5.0, Decay.none(), 10, true)
            .minimize(Problem.of(data, new double[5]).withStopping(NONE_BUT_MAX));
    assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
    assertThat(r.message())
        .matches(
            "Diverged at (epoch \\d+, step \\d+: mini-batch loss = .*"
                + "|iteration \\d+: loss = .*)");
  }

  @Test
  void noDescentIsALineSearchFailure() {
    // A wrong gradient (the negated true one): no step along -gradient decreases the loss.
    DifferentiableFunction wrong =
        new DifferentiableFunction() {
          final Quadratic q = Quadratic.example();

          @Override
          public int dimension() {
            return 4;
          }

          @Override
          public double valueAndGradient(double[] w, double[] g) {
            double v = q.valueAndGradient(w, g);
            for (int i = 0; i < 4; i++) {
              g[i] = -g[i];
            }
            return v;
          }
        };
    Result gd =
        new GradientDescent(1, Decay.none(), LineSearch.BACKTRACKING)
            .minimize(Problem.of(wrong, new double[4]).withStopping(NONE_BUT_MAX));
    assertThat(gd.stopReason()).isEqualTo(StopReason.LINE_SEARCH_FAILED);
    // Steps below the rounding of the loss may pass for a few iterations; none moves the weights.
    assertThat(gd.message())
        .startsWith("Backtracking found no step with sufficient decrease at iteration ");
    assertThat(gd.weights()).containsExactly(new double[4], within(1e-15));
    Result lbfgs =
        new Lbfgs(5).minimize(Problem.of(wrong, new double[4]).withStopping(NONE_BUT_MAX));
    assertThat(lbfgs.stopReason()).isEqualTo(StopReason.LINE_SEARCH_FAILED);
    assertThat(lbfgs.message()).isEqualTo("Line search found no acceptable step at iteration 1");
    assertThat(lbfgs.iterations()).isZero();
  }

  @Test
  void invalidCriteriaAreRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> StoppingCriteria.defaults().withMaxIterations(0))
        .hasMessage("Invalid max iterations: 0 (expected >= 1)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> StoppingCriteria.defaults().withRelativeTolerance(-1))
        .hasMessage("Invalid relative tolerance: -1.0 (expected a finite number >= 0)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> StoppingCriteria.defaults().withMaxDuration(Duration.ofSeconds(-1)))
        .hasMessage("Invalid max duration: PT-1S (expected a duration >= 0)");
  }
}

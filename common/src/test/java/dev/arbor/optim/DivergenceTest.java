package dev.arbor.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.optim.TestFunctions.LeastSquares;
import dev.arbor.optim.TestFunctions.Quadratic;
import dev.arbor.optim.gd.GradientDescent;
import dev.arbor.optim.gd.GradientDescent.LineSearch;
import dev.arbor.optim.lbfgs.Lbfgs;
import dev.arbor.optim.run.DivergenceBackoff;
import dev.arbor.optim.sgd.Adam;
import dev.arbor.optim.sgd.Sgd;
import dev.arbor.optim.sgd.StochasticOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Divergence (issue 7) on plain functions: a learning rate far too high is detected within a few
 * iterations and reported with the iteration and the loss; {@link DivergenceBackoff} halves the
 * learning rate and continues from the best weights; a healthy run is never flagged.
 */
@Tag("reliability")
class DivergenceTest {
  private static final StoppingCriteria NO_TOLERANCE =
      StoppingCriteria.defaults().withRelativeTolerance(0).withMaxIterations(200);
  private static final Pattern GROWTH =
      Pattern.compile(
          "Diverged at iteration (\\d+): loss = (\\S+) stayed above 10000\\.0 x the initial loss"
              + " (\\S+) for 3 iterations");

  private static Problem quadratic() {
    return Problem.of(Quadratic.example(), new double[4]).withStopping(NO_TOLERANCE);
  }

  @Test
  @DisplayName(
      "learning rate far too high (gd, step 10 on a quadratic) — diverged within 5 iterations,"
          + " message names the iteration and the loss")
  void gradientDescentDivergesFast() {
    Result r = new GradientDescent(10, Decay.none(), LineSearch.NONE).minimize(quadratic());
    assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
    Matcher m = GROWTH.matcher(r.message());
    assertThat(m.matches()).as(r.message()).isTrue();
    int k = Integer.parseInt(m.group(1));
    assertThat(k).isEqualTo(r.iterations()).isLessThanOrEqualTo(5);
    assertThat(Double.parseDouble(m.group(2))).isEqualTo(r.history().get(k - 1).loss());
  }

  @Test
  @DisplayName(
      "non-finite loss in the middle of a run — diverged at that very iteration, message names"
          + " it and the NaN loss")
  void nonFiniteLossIsCaughtAtOnce() {
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
            return ++calls > 4 ? Double.NaN : v;
          }
        };
    Result r =
        new GradientDescent(0.1, Decay.none(), LineSearch.NONE)
            .minimize(Problem.of(poisoned, new double[4]).withStopping(NO_TOLERANCE));
    assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
    // Call 1 is the initial loss; calls 2..4 are iterations 1..3; call 5 (iteration 4) is NaN.
    assertThat(r.message()).startsWith("Diverged at iteration 4: loss = NaN, gradient norm = ");
    assertThat(r.iterations()).isEqualTo(4);
  }

  @Test
  @DisplayName(
      "learning rate far too high (sgd, step 5 on least squares) — diverged within 3 epochs,"
          + " message names the epoch and the loss")
  void stochasticGradientDivergesFast() {
    LeastSquares data = LeastSquares.random(200, 4, 0.1, 3);
    Result r =
        new StochasticOptimizer(Sgd.plain(), 5.0, Decay.none(), 10, true)
            .minimize(Problem.of(data, new double[5]).withStopping(NO_TOLERANCE));
    assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
    assertThat(r.message())
        .matches(
            "Diverged at (epoch [123], step \\d+: mini-batch loss = \\S+.*"
                + "|iteration [123]: loss = \\S+.*)");
  }

  @Test
  @DisplayName(
      "backoff on divergence (gd, step 1.0 on a quadratic) — learning rate halved until stable,"
          + " converges to the minimum from the best weights")
  void backoffHalvesTheLearningRateAndConverges() {
    List<Double> rates = new ArrayList<>();
    Result r =
        DivergenceBackoff.minimize(
            quadratic()
                .withStopping(NO_TOLERANCE.withMaxIterations(500).withGradientTolerance(1e-8)),
            1.0,
            rate -> {
              rates.add(rate);
              return new GradientDescent(rate, Decay.none(), LineSearch.NONE);
            });
    // Stable only below 2 / (largest eigenvalue ~5.4) ~ 0.37: 1.0 and 0.5 diverge, 0.25 converges.
    assertThat(rates).containsExactly(1.0, 0.5, 0.25);
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.GRADIENT_CONVERGED);
    assertThat(r.loss()).isCloseTo(0.0, within(1e-9));
    assertThat(r.weights()).containsExactly(Quadratic.example().minimum(), within(1e-4));
  }

  @Test
  @DisplayName(
      "backoff from a step far too high (gd, step 10 on a quadratic) — each attempt continues from"
          + " the lowest-loss weights of the previous one, never from a diverged iterate")
  void backoffContinuesFromTheBestWeights() {
    Quadratic q = Quadratic.example();
    List<double[]> starts = new ArrayList<>();
    boolean[] newAttempt = {false};
    DifferentiableFunction recorded =
        new DifferentiableFunction() {
          @Override
          public int dimension() {
            return 4;
          }

          @Override
          public double valueAndGradient(double[] w, double[] g) {
            if (newAttempt[0]) {
              starts.add(w.clone());
              newAttempt[0] = false;
            }
            return q.valueAndGradient(w, g);
          }
        };
    List<Double> rates = new ArrayList<>();
    Result r =
        DivergenceBackoff.minimize(
            Problem.of(recorded, new double[4])
                .withStopping(NO_TOLERANCE.withMaxIterations(500).withGradientTolerance(1e-8)),
            10,
            rate -> {
              rates.add(rate);
              newAttempt[0] = true;
              return new GradientDescent(rate, Decay.none(), LineSearch.NONE);
            });
    assertThat(rates).containsExactly(10.0, 5.0, 2.5, 1.25, 0.625, 0.3125);
    // Steps 10 .. 1.25 make every iterate worse than the start: the next attempt restarts there.
    assertThat(starts).hasSize(rates.size());
    assertThat(starts.subList(0, 5)).allSatisfy(w -> assertThat(w).containsOnly(0.0));
    // Step 0.625 (mildly unstable) first improves: the last attempt starts from that better
    // iterate.
    double atZero = q.valueAndGradient(new double[4], new double[4]);
    assertThat(q.valueAndGradient(starts.get(5), new double[4])).isLessThan(atZero);
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.GRADIENT_CONVERGED);
    assertThat(r.weights()).containsExactly(q.minimum(), within(1e-4));
  }

  @Test
  @DisplayName(
      "backoff when every step diverges — gives up after "
          + DivergenceBackoff.MAX_HALVINGS
          + " halvings, still reported as diverged")
  void backoffGivesUp() {
    DifferentiableFunction alwaysNaN =
        new DifferentiableFunction() {
          @Override
          public int dimension() {
            return 2;
          }

          @Override
          public double valueAndGradient(double[] w, double[] g) {
            g[0] = 1;
            g[1] = 1;
            // Finite at the start of each attempt, NaN after the first step.
            return w[0] == 0 && w[1] == 0 ? 1.0 : Double.NaN;
          }
        };
    List<Double> rates = new ArrayList<>();
    Result r =
        DivergenceBackoff.minimize(
            Problem.of(alwaysNaN, new double[2]).withStopping(NO_TOLERANCE),
            1.0,
            rate -> {
              rates.add(rate);
              return new GradientDescent(rate, Decay.none(), LineSearch.NONE);
            });
    assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
    assertThat(rates).hasSize(DivergenceBackoff.MAX_HALVINGS + 1);
    assertThat(rates.get(rates.size() - 1))
        .isEqualTo(Math.scalb(1.0, -DivergenceBackoff.MAX_HALVINGS));
  }

  @Test
  @DisplayName("healthy runs (L-BFGS, Adam) — never flagged as divergence, converge as before")
  void healthyRunsAreNotFlagged() {
    Result lbfgs = new Lbfgs(10).minimize(quadratic());
    assertThat(lbfgs.stopReason().isSuccess()).as(lbfgs.message()).isTrue();
    assertThat(lbfgs.loss()).isCloseTo(0.0, within(1e-10));
    LeastSquares data = LeastSquares.random(200, 4, 0.1, 3);
    Result adam =
        new StochasticOptimizer(Adam.defaults(), 0.05, Decay.none(), 20, true)
            .minimize(Problem.of(data, new double[5]).withStopping(NO_TOLERANCE));
    assertThat(adam.stopReason()).as(adam.message()).isEqualTo(StopReason.MAX_ITERATIONS);
    assertThat(adam.history()).allSatisfy(h -> assertThat(h.loss()).isFinite());
  }
}

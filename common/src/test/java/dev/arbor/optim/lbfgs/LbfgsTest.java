package dev.arbor.optim.lbfgs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.optim.Problem;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.Result;
import dev.arbor.optim.StopReason;
import dev.arbor.optim.StoppingCriteria;
import dev.arbor.optim.TestFunctions;
import dev.arbor.optim.TestFunctions.LeastSquares;
import dev.arbor.optim.TestFunctions.Quadratic;
import dev.arbor.optim.TestFunctions.Rosenbrock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LbfgsTest {
  private static final StoppingCriteria TIGHT =
      StoppingCriteria.defaults()
          .withMaxIterations(2_000)
          .withRelativeTolerance(0)
          .withGradientTolerance(1e-12);

  @Test
  void reachesTheMinimumOfAQuadratic() {
    Quadratic q = Quadratic.example();
    Result r = new Lbfgs(5).minimize(Problem.of(q, new double[4]).withStopping(TIGHT));
    assertThat(r.stopReason()).isEqualTo(StopReason.GRADIENT_CONVERGED);
    assertThat(r.weights()).containsExactly(Quadratic.example().minimum(), within(1e-11));
    assertThat(r.iterations()).isLessThan(30);
  }

  @Test
  @org.junit.jupiter.api.Tag("reliability")
  @org.junit.jupiter.api.DisplayName(
      "L-BFGS run to the limit of floating point (no tolerance) — stop reason CONVERGED at the"
          + " optimum, not LINE_SEARCH_FAILED; a failing line search far from it stays"
          + " LINE_SEARCH_FAILED")
  void aFitAtTheLimitOfFloatingPointIsConverged() {
    // Noisy least squares: the gradient never becomes exactly zero, so only floating point stops.
    LeastSquares f = LeastSquares.random(200, 4, 0.5, 5);
    StoppingCriteria none =
        StoppingCriteria.defaults()
            .withMaxIterations(5_000)
            .withRelativeTolerance(0)
            .withGradientTolerance(0);
    Result r = new Lbfgs(10).minimize(Problem.of(f, new double[5]).withStopping(none));
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.CONVERGED);
    assertThat(r.message()).startsWith("Converged at iteration ");
    assertThat(r.weights()).containsExactly(f.solve(0, 4), within(1e-9));
    assertThat(StopReason.afterFailedLineSearch(0.5, 0.7)).isEqualTo(StopReason.LINE_SEARCH_FAILED);
    assertThat(StopReason.afterFailedLineSearch(1e-9, 0.7)).isEqualTo(StopReason.CONVERGED);
    assertThat(StopReason.afterFailedLineSearch(5e-4, 1e3)).isEqualTo(StopReason.CONVERGED);
  }

  @Test
  void reachesTheMinimumOfRosenbrockIn2And10Dimensions() {
    for (int n : new int[] {2, 10}) {
      Rosenbrock f = new Rosenbrock(n);
      Result r = new Lbfgs(10).minimize(Problem.of(f, f.start()).withStopping(TIGHT));
      assertThat(r.stopReason().isSuccess()).isTrue();
      double[] ones = new double[n];
      Arrays.fill(ones, 1);
      assertThat(r.weights()).as("%d-D: %s", n, r).containsExactly(ones, within(1e-6));
      assertThat(r.iterations()).as("%d-D: %s", n, r).isLessThan(200);
    }
  }

  @Test
  void ridgeWithAnUnpenalizedInterceptMatchesTheNormalEquations() {
    LeastSquares f = LeastSquares.random(200, 4, 0.5, 5);
    double lambda = 0.3;
    double[] expected = f.solve(lambda, 4);
    Result r =
        new Lbfgs(10)
            .minimize(
                Problem.of(f, new double[5])
                    .withRegularization(Regularization.l2(lambda).excluding(4))
                    .withStopping(TIGHT.withGradientTolerance(1e-11)));
    assertThat(r.weights()).containsExactly(expected, within(1e-10));
    // Penalizing the intercept too would give a different solution.
    assertThat(f.solve(lambda, -1)[4]).isNotCloseTo(expected[4], within(1e-3));
  }

  @Test
  void owlqnSolvesTheLassoWithExactZerosAndAFreeIntercept() {
    LeastSquares f = TestFunctions.orthogonalDesign();
    double lambda = 0.3;
    double[] expected = TestFunctions.lassoSolution(f, lambda);
    Result r =
        new Lbfgs(10)
            .minimize(
                Problem.of(f, new double[f.dimension()])
                    .withRegularization(Regularization.l1(lambda).excluding(0))
                    .withStopping(TIGHT));
    assertThat(r.weights()).as("%s", r).containsExactly(expected, within(1e-9));
    int zeros = 0;
    for (int j = 0; j < expected.length; j++) {
      if (expected[j] == 0) {
        zeros++;
        assertThat(r.weights()[j]).as("coordinate %d", j).isEqualTo(0.0);
      }
    }
    assertThat(zeros).isEqualTo(3);
    // The intercept is the mean label, unshrunk, although |mean| > λ.
    double mean = f.meanLabel();
    assertThat(r.weights()[0]).isCloseTo(mean, within(1e-9));
  }

  @Test
  void owlqnFromAnotherOrthantAndWithAnElasticNet() {
    LeastSquares f = TestFunctions.orthogonalDesign();
    // Elastic net on an orthonormal design: w_j = soft(z_j, λα) / (1 + λ(1−α)).
    double lambda = 0.4;
    double alpha = 0.75;
    double[] lasso = TestFunctions.lassoSolution(f, lambda * alpha);
    double[] expected = lasso.clone();
    for (int j = 1; j < expected.length; j++) {
      expected[j] /= 1 + lambda * (1 - alpha);
    }
    double[] start = new double[f.dimension()];
    Arrays.fill(start, -1);
    Result r =
        new Lbfgs(4)
            .minimize(
                Problem.of(f, start)
                    .withRegularization(Regularization.elasticNet(lambda, alpha).excluding(0))
                    .withStopping(TIGHT));
    assertThat(r.weights()).containsExactly(expected, within(1e-9));
  }

  @Test
  void toStringPrintsTheHyperparameters() {
    assertThat(new Lbfgs(7).toString())
        .isEqualTo("Lbfgs(history=7, line-search=strong-wolfe, owl-qn when l1 > 0)");
  }
}

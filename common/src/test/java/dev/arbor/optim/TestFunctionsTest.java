package dev.arbor.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.optim.TestFunctions.LeastSquares;
import dev.arbor.optim.TestFunctions.Quadratic;
import dev.arbor.optim.TestFunctions.Rosenbrock;
import dev.arbor.optim.run.Objective;
import org.junit.jupiter.api.Test;

/** The analytic test functions' gradients agree with central finite differences. */
class TestFunctionsTest {
  private static final double H = 1e-6;

  private static void assertGradientMatches(DifferentiableFunction f, double[] w, double tol) {
    double[] g = new double[w.length];
    f.valueAndGradient(w, g);
    double[] numeric = TestFunctions.numericGradient(f, w, H);
    for (int i = 0; i < w.length; i++) {
      assertThat(g[i]).as("coordinate %d", i).isCloseTo(numeric[i], within(tol));
    }
  }

  @Test
  void quadraticGradient() {
    assertGradientMatches(Quadratic.example(), new double[] {0.3, -1, 2, 0.7}, 1e-7);
  }

  @Test
  void quadraticMinimumIsZeroAtItsCenter() {
    Quadratic q = Quadratic.example();
    double[] g = new double[4];
    assertThat(q.valueAndGradient(q.minimum(), g)).isZero();
    assertThat(g).containsOnly(0.0);
  }

  @Test
  void rosenbrockGradient() {
    assertGradientMatches(new Rosenbrock(2), new double[] {-1.2, 1}, 1e-5);
    assertGradientMatches(new Rosenbrock(10), new Rosenbrock(10).start(), 1e-5);
  }

  @Test
  void leastSquaresGradientFullAndBatch() {
    LeastSquares ls = LeastSquares.random(50, 3, 0.3, 1);
    double[] w = {0.1, -0.2, 0.3, 0.4};
    assertGradientMatches(ls, w, 1e-7);
    MiniBatch batch = new MiniBatch(3, 2, 7);
    DifferentiableFunction batchOnly =
        new DifferentiableFunction() {
          @Override
          public int dimension() {
            return ls.dimension();
          }

          @Override
          public double valueAndGradient(double[] x, double[] g) {
            return ls.batchValueAndGradient(x, g, batch);
          }
        };
    assertGradientMatches(batchOnly, w, 1e-7);
  }

  @Test
  void batchesOfAnEpochPartitionTheRowsSoTheirMeanGradientIsTheFullGradient() {
    LeastSquares ls = LeastSquares.random(40, 3, 0.3, 2);
    double[] w = {0.1, -0.2, 0.3, 0.4};
    double[] full = new double[4];
    ls.valueAndGradient(w, full);
    double[] sum = new double[4];
    double[] g = new double[4];
    for (int s = 0; s < 4; s++) {
      ls.batchValueAndGradient(w, g, new MiniBatch(5, s, 4));
      for (int j = 0; j < 4; j++) {
        sum[j] += g[j] / 4;
      }
    }
    assertThat(sum).containsExactly(full, within(1e-12));
  }

  @Test
  void regularizedSmoothObjectiveGradient() {
    LeastSquares ls = LeastSquares.random(30, 3, 0.3, 3);
    Problem p =
        Problem.of(ls, new double[4])
            .withRegularization(Regularization.elasticNet(0.7, 0.25).excluding(3));
    Objective objective = new Objective(p);
    DifferentiableFunction smooth =
        new DifferentiableFunction() {
          @Override
          public int dimension() {
            return 4;
          }

          @Override
          public double valueAndGradient(double[] x, double[] g) {
            return objective.smooth(x, g);
          }
        };
    assertGradientMatches(smooth, new double[] {0.5, -0.2, 1.3, -2}, 1e-7);
    double[] w = {0.5, -0.2, 1.3, -2};
    double[] g = new double[4];
    double expectedPenalty = 0.7 * 0.75 / 2 * (0.25 + 0.04 + 1.69);
    assertThat(objective.smooth(w, g) - ls.valueAndGradient(w, new double[4]))
        .isCloseTo(expectedPenalty, within(1e-12));
    assertThat(objective.l1Value(w)).isCloseTo(0.7 * 0.25 * (0.5 + 0.2 + 1.3), within(1e-12));
  }

  @Test
  void orthogonalDesignIsOrthonormalAfterScaling() {
    LeastSquares f = TestFunctions.orthogonalDesign();
    int d = f.dimension();
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double s = 0;
        for (double[] row : f.x) {
          s += row[a] * row[b];
        }
        assertThat(s / f.y.length).isEqualTo(a == b ? 1.0 : 0.0);
      }
    }
  }
}

package dev.arbor.optim.gd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.optim.Decay;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.Result;
import dev.arbor.optim.StopReason;
import dev.arbor.optim.StoppingCriteria;
import dev.arbor.optim.TestFunctions;
import dev.arbor.optim.TestFunctions.LeastSquares;
import dev.arbor.optim.TestFunctions.Quadratic;
import dev.arbor.optim.gd.GradientDescent.LineSearch;
import org.junit.jupiter.api.Test;

class GradientDescentTest {
  private static final StoppingCriteria TIGHT =
      StoppingCriteria.defaults()
          .withMaxIterations(20_000)
          .withRelativeTolerance(0)
          .withGradientTolerance(1e-11);

  private static Result minimizeQuadratic(GradientDescent gd) {
    Quadratic q = Quadratic.example();
    Result r = gd.minimize(Problem.of(q, new double[4]).withStopping(TIGHT));
    assertThat(r.stopReason()).isEqualTo(StopReason.GRADIENT_CONVERGED);
    // ‖w − c‖ <= ‖∇f‖ / λ_min(A) <= 1e-11 / 0.5.
    assertThat(r.weights()).containsExactly(Quadratic.example().minimum(), within(1e-10));
    assertThat(r.loss()).isCloseTo(0, within(1e-20));
    return r;
  }

  @Test
  void fixedStepReachesTheMinimumOfAQuadratic() {
    Result r = minimizeQuadratic(new GradientDescent(0.3, Decay.none(), LineSearch.NONE));
    assertThat(r.history()).allSatisfy(rec -> assertThat(rec.stepSize()).isEqualTo(0.3));
  }

  @Test
  void inverseDecayReachesTheMinimum() {
    Result r = minimizeQuadratic(new GradientDescent(0.3, Decay.inverse(0.001), LineSearch.NONE));
    assertThat(r.history().get(10).stepSize()).isEqualTo(0.3 / (1 + 0.001 * 10));
  }

  @Test
  void exponentialDecayReachesTheMinimum() {
    Result r =
        minimizeQuadratic(new GradientDescent(0.3, Decay.exponential(0.001), LineSearch.NONE));
    assertThat(r.history().get(10).stepSize()).isEqualTo(0.3 * Math.exp(-0.001 * 10));
  }

  @Test
  void backtrackingFromATooLargeStepReachesTheMinimumAndNeverIncreasesTheLoss() {
    Result r = minimizeQuadratic(new GradientDescent(10, Decay.none(), LineSearch.BACKTRACKING));
    for (int i = 1; i < r.history().size(); i++) {
      assertThat(r.history().get(i).loss()).isLessThanOrEqualTo(r.history().get(i - 1).loss());
      assertThat(r.history().get(i).stepSize()).isLessThan(10);
    }
  }

  @Test
  void proximalStepSolvesTheLassoWithExactZerosAndAFreeIntercept() {
    LeastSquares f = TestFunctions.orthogonalDesign();
    double lambda = 0.3;
    double[] expected = TestFunctions.lassoSolution(f, lambda);
    for (LineSearch ls : LineSearch.values()) {
      Result r =
          new GradientDescent(0.5, Decay.none(), ls)
              .minimize(
                  Problem.of(f, new double[f.dimension()])
                      .withRegularization(Regularization.l1(lambda).excluding(0))
                      .withStopping(TIGHT));
      assertThat(r.weights()).as("%s %s", ls, r).containsExactly(expected, within(1e-10));
      for (int j = 0; j < expected.length; j++) {
        if (expected[j] == 0) {
          assertThat(r.weights()[j]).as("coordinate %d", j).isEqualTo(0.0);
        }
      }
    }
    assertThat(expected).contains(0.0);
  }

  @Test
  void toStringPrintsTheHyperparameters() {
    assertThat(new GradientDescent(0.3, Decay.inverse(0.5), LineSearch.BACKTRACKING).toString())
        .isEqualTo(
            "GradientDescent(learning-rate=0.3, decay=inverse(0.5), line-search=backtracking)");
  }
}

package dev.arbor.optim.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.optim.Decay;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.Result;
import dev.arbor.optim.StepRule;
import dev.arbor.optim.StochasticFunction;
import dev.arbor.optim.StopReason;
import dev.arbor.optim.StoppingCriteria;
import dev.arbor.optim.TestFunctions;
import dev.arbor.optim.TestFunctions.LeastSquares;
import dev.arbor.optim.TestFunctions.Quadratic;
import dev.arbor.optim.run.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StochasticOptimizerTest {
  private static final LeastSquares DATA = LeastSquares.random(200, 4, 0.5, 5);
  private static final double LAMBDA = 0.05;
  private static final int INTERCEPT = 4;

  private static StoppingCriteria epochs(int n) {
    return StoppingCriteria.defaults().withMaxIterations(n).withRelativeTolerance(0);
  }

  /**
   * Rule, learning rate, decay, and the tolerance on each weight after 300 epochs of batches of 20
   * (measured errors were 5e-5, 4e-4, 4e-4, 4e-5, 7e-4, 7e-4: mini-batch noise with a decaying
   * rate, not a loose implementation).
   */
  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of(Sgd.plain(), 0.05, Decay.inverse(0.05), 2e-4),
        Arguments.of(new Sgd(0.9, false), 0.005, Decay.inverse(0.05), 1e-3),
        Arguments.of(new Sgd(0.9, true), 0.005, Decay.inverse(0.05), 1e-3),
        Arguments.of(new AdaGrad(1e-8), 0.2, Decay.inverse(0.05), 2e-4),
        Arguments.of(new RmsProp(0.9, 1e-8), 0.01, Decay.inverse(0.05), 1.5e-3),
        Arguments.of(Adam.defaults(), 0.02, Decay.inverse(0.1), 1.5e-3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void reachesTheRidgeMinimumOfLeastSquares(
      StepRule rule, double rate, Decay decay, double tolerance) {
    double[] expected = DATA.solve(LAMBDA, INTERCEPT);
    Problem problem =
        Problem.of(DATA, new double[5])
            .withRegularization(Regularization.l2(LAMBDA).excluding(INTERCEPT))
            .withStopping(epochs(300));
    Result r = new StochasticOptimizer(rule, rate, decay, 20, true).minimize(problem);
    assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
    assertThat(r.weights()).containsExactly(expected, within(tolerance));
    double optimum = new Objective(problem).smooth(expected, new double[5]);
    assertThat(r.loss()).isBetween(optimum, optimum * (1 + 1e-5));
  }

  /**
   * Rule, learning rate, decay, batch size and the tolerance on each weight after 2000 epochs on
   * the 16-row orthogonal design. Batch 16 is the whole data set: the iteration is deterministic
   * and converges to the exact lasso solution (measured: 1e-15 for SGD, momentum and Adam, 2e-7 for
   * AdaGrad, 5e-4 for RMSprop, whose steps do not shrink with the gradient). Batch 4 adds
   * mini-batch noise (measured 2e-4 to 6e-4; 8e-3 for RMSprop). Zeros are exact in every case.
   */
  static Stream<Arguments> lassoRules() {
    return Stream.of(
        Arguments.of(Sgd.plain(), 0.5, Decay.inverse(0.01), 16, 1e-12),
        Arguments.of(new Sgd(0.5, false), 0.2, Decay.inverse(0.01), 16, 1e-12),
        Arguments.of(new Sgd(0.5, true), 0.2, Decay.inverse(0.01), 16, 1e-12),
        Arguments.of(new AdaGrad(1e-8), 0.5, Decay.inverse(0.01), 16, 1e-6),
        Arguments.of(new RmsProp(0.9, 1e-8), 0.2, Decay.inverse(0.1), 16, 1e-3),
        Arguments.of(Adam.defaults(), 0.1, Decay.inverse(0.01), 16, 1e-12),
        Arguments.of(Sgd.plain(), 0.5, Decay.inverse(0.1), 4, 1e-3),
        Arguments.of(new Sgd(0.5, false), 0.2, Decay.inverse(0.1), 4, 1e-3),
        Arguments.of(new Sgd(0.5, true), 0.2, Decay.inverse(0.1), 4, 1e-3),
        Arguments.of(new AdaGrad(1e-8), 0.5, Decay.inverse(0.1), 4, 1e-3),
        Arguments.of(new RmsProp(0.9, 1e-8), 0.2, Decay.inverse(0.1), 4, 1.5e-2),
        Arguments.of(Adam.defaults(), 0.1, Decay.inverse(0.1), 4, 1e-3));
  }

  @ParameterizedTest(name = "{0} batch {3}")
  @MethodSource("lassoRules")
  void proximalL1StepGivesTheLassoSolutionWithExactZerosAndAFreeIntercept(
      StepRule rule, double rate, Decay decay, int batch, double tolerance) {
    LeastSquares f = TestFunctions.orthogonalDesign();
    double lambda = 0.3;
    double[] expected = TestFunctions.lassoSolution(f, lambda);
    Result r =
        new StochasticOptimizer(rule, rate, decay, batch, true)
            .minimize(
                Problem.of(f, new double[f.dimension()])
                    .withRegularization(Regularization.l1(lambda).excluding(0))
                    .withStopping(epochs(2000)));
    assertThat(r.weights()).as("%s", r).containsExactly(expected, within(tolerance));
    for (int j = 0; j < expected.length; j++) {
      if (expected[j] == 0) {
        assertThat(r.weights()[j]).as("coordinate %d", j).isEqualTo(0.0);
      }
    }
  }

  /**
   * Two steps on a constant gradient g = 1 with η = 0.1, μ = 0.9, by hand. Heavy ball: v = 1, 1.9;
   * w = −0.1, −0.29. Nesterov (w −= η·(g + μ·v)): −0.19, −0.19 − 0.1·(1 + 0.9·1.9) = −0.461.
   */
  @Test
  void momentumAndNesterovStepsByHand() {
    double[][] expected = {{-0.1, -0.2}, {-0.1, -0.29}, {-0.19, -0.461}};
    Sgd[] rules = {Sgd.plain(), new Sgd(0.9, false), new Sgd(0.9, true)};
    for (int r = 0; r < rules.length; r++) {
      Sgd rule = (Sgd) rules[r].copy();
      rule.initialise(new boolean[] {true});
      double[] w = {0};
      double[] step = new double[1];
      for (int k = 0; k < 2; k++) {
        rule.step(w, new double[] {1}, 0.1, step);
        assertThat(w[0]).as("%s step %d", rule, k + 1).isCloseTo(expected[r][k], within(1e-15));
      }
    }
  }

  @Test
  void adamwDecaysEveryWeightButTheIntercept() {
    StochasticFunction flat = new Flat(3, 10);
    double[] start = {1, -2, 3};
    Result r =
        new StochasticOptimizer(new Adam(0.9, 0.999, 1e-8, 0.1), 0.1, Decay.none(), 5, true)
            .minimize(
                Problem.of(flat, start)
                    .withRegularization(Regularization.none().excluding(2))
                    .withStopping(epochs(4)));
    double[] expected = start.clone();
    for (int step = 0; step < 4 * 2; step++) {
      for (int i = 0; i < 2; i++) {
        expected[i] -= 0.1 * 0.1 * expected[i];
      }
    }
    assertThat(r.weights()).containsExactly(expected);
    assertThat(r.weights()[2]).isEqualTo(3.0);
    assertThat(expected[0]).isCloseTo(Math.pow(0.99, 8), within(1e-15));
  }

  @Test
  void walksEveryBatchOfEveryEpochInOrder() {
    Flat flat = new Flat(2, 41);
    new StochasticOptimizer(Sgd.plain(), 0.1, Decay.none(), 10, true)
        .minimize(Problem.of(flat, new double[2]).withStopping(epochs(2)));
    assertThat(flat.batches)
        .containsExactly(
            "0/0/5", "0/1/5", "0/2/5", "0/3/5", "0/4/5", "1/0/5", "1/1/5", "1/2/5", "1/3/5",
            "1/4/5");
    // One full evaluation at the start, one per epoch.
    assertThat(flat.fullEvaluations).isEqualTo(3);
    assertThat(new StochasticOptimizer(Sgd.plain(), 0.1, Decay.none(), 20, true).stepsPerEpoch(200))
        .isEqualTo(10);
  }

  @Test
  void withoutFullEvaluationReportsTheMeanBatchLoss() {
    Flat flat = new Flat(2, 40);
    Result r =
        new StochasticOptimizer(Sgd.plain(), 0.1, Decay.none(), 10, false)
            .minimize(Problem.of(flat, new double[2]).withStopping(epochs(3)));
    assertThat(flat.fullEvaluations).isZero();
    // Flat's batch loss is 1 + step: the mean over 4 steps is 2.5.
    assertThat(r.history()).allSatisfy(rec -> assertThat(rec.loss()).isEqualTo(2.5));
    assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
  }

  @Test
  void rejectsAFunctionThatIsNotStochastic() {
    assertThatThrownBy(
            () ->
                new StochasticOptimizer(Adam.defaults(), 0.1, Decay.none(), 10, true)
                    .minimize(Problem.of(Quadratic.example(), new double[4])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot minimize with adam: the function is not a StochasticFunction: "
                + Quadratic.class.getName());
  }

  @Test
  void toStringPrintsTheHyperparameters() {
    assertThat(
            new StochasticOptimizer(new Sgd(0.9, true), 0.01, Decay.exponential(0.1), 64, false)
                .toString())
        .isEqualTo(
            "StochasticOptimizer(rule=Sgd(momentum=0.9, nesterov=true), learning-rate=0.01,"
                + " decay=exponential(0.1), batch-size=64, evaluate-full-objective=false)");
    assertThat(new AdaGrad(1e-6).toString()).isEqualTo("AdaGrad(epsilon=1.0E-6)");
    assertThat(new RmsProp(0.95, 1e-7).toString()).isEqualTo("RmsProp(rho=0.95, epsilon=1.0E-7)");
    assertThat(Adam.defaults().toString())
        .isEqualTo("Adam(beta1=0.9, beta2=0.999, epsilon=1.0E-8)");
    assertThat(new Adam(0.8, 0.99, 1e-7, 0.01).toString())
        .isEqualTo("AdamW(beta1=0.8, beta2=0.99, epsilon=1.0E-7, weight-decay=0.01)");
  }

  @Test
  void invalidHyperparametersAreRejected() {
    assertThatThrownBy(() -> new Sgd(1, false))
        .hasMessage("Invalid momentum: 1.0 (expected a number in [0, 1))");
    assertThatThrownBy(() -> new Sgd(0, true))
        .hasMessage("Invalid Nesterov momentum: momentum is 0 (expected momentum > 0)");
    assertThatThrownBy(() -> new Adam(0.9, 1, 1e-8, 0))
        .hasMessage("Invalid beta2: 1.0 (expected a number in [0, 1))");
    assertThatThrownBy(() -> new StochasticOptimizer(Sgd.plain(), -1, Decay.none(), 1, true))
        .hasMessage("Invalid learning rate: -1.0 (expected a finite number > 0)");
    assertThatThrownBy(() -> new StochasticOptimizer(Sgd.plain(), 1, Decay.none(), 0, true))
        .hasMessage("Invalid batch size: 0 (expected >= 1)");
  }

  /** Zero gradient everywhere; batch loss {@code 1 + step}; records the batches asked for. */
  static final class Flat implements StochasticFunction {
    final int n;
    final long examples;
    final List<String> batches = new ArrayList<>();
    int fullEvaluations;

    Flat(int n, long examples) {
      this.n = n;
      this.examples = examples;
    }

    @Override
    public int dimension() {
      return n;
    }

    @Override
    public long numExamples() {
      return examples;
    }

    @Override
    public double valueAndGradient(double[] w, double[] g) {
      fullEvaluations++;
      java.util.Arrays.fill(g, 0);
      return 1;
    }

    @Override
    public double batchValueAndGradient(double[] w, double[] g, MiniBatch b) {
      batches.add(b.epoch() + "/" + b.step() + "/" + b.stepsPerEpoch());
      java.util.Arrays.fill(g, 0);
      return 1 + b.step();
    }
  }
}

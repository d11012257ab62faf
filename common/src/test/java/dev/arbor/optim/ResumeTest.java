package dev.arbor.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.optim.TestFunctions.LeastSquares;
import dev.arbor.optim.TestFunctions.Quadratic;
import dev.arbor.optim.TestFunctions.Rosenbrock;
import dev.arbor.optim.gd.GradientDescent;
import dev.arbor.optim.gd.GradientDescent.LineSearch;
import dev.arbor.optim.lbfgs.Lbfgs;
import dev.arbor.optim.sgd.AdaGrad;
import dev.arbor.optim.sgd.Adam;
import dev.arbor.optim.sgd.RmsProp;
import dev.arbor.optim.sgd.Sgd;
import dev.arbor.optim.sgd.StochasticOptimizer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoint/resume: a run stopped after the snapshot of iteration {@code k}, resumed from that
 * snapshot's serialized bytes, ends with exactly (bit for bit) the weights, history and state of an
 * uninterrupted run.
 */
class ResumeTest {
  private static final StoppingCriteria RUN =
      StoppingCriteria.defaults().withRelativeTolerance(0).withMaxIterations(25);
  private static final Regularization ELASTIC = Regularization.elasticNet(0.05, 0.5).excluding(4);

  private static Supplier<Problem> leastSquares(Regularization r) {
    return () ->
        Problem.of(LeastSquares.random(120, 4, 0.5, 9), new double[5])
            .withRegularization(r)
            .withStopping(RUN);
  }

  private static StochasticOptimizer stochastic(StepRule rule, double rate) {
    return new StochasticOptimizer(rule, rate, Decay.inverse(0.1), 25, true);
  }

  static Stream<Arguments> cases() {
    Supplier<Problem> quadratic =
        () -> Problem.of(Quadratic.example(), new double[4]).withStopping(RUN);
    Supplier<Problem> rosenbrock =
        () -> Problem.of(new Rosenbrock(10), new Rosenbrock(10).start()).withStopping(RUN);
    return Stream.of(
        Arguments.of(new GradientDescent(0.2, Decay.none(), LineSearch.NONE), quadratic, 10),
        Arguments.of(
            new GradientDescent(2, Decay.inverse(0.1), LineSearch.BACKTRACKING),
            leastSquares(ELASTIC),
            7),
        Arguments.of(new Lbfgs(5), rosenbrock, 12),
        Arguments.of(new Lbfgs(3), leastSquares(Regularization.l1(0.2).excluding(4)), 3),
        Arguments.of(stochastic(new Sgd(0.8, true), 0.01), leastSquares(ELASTIC), 9),
        Arguments.of(stochastic(new AdaGrad(1e-8), 0.3), leastSquares(ELASTIC), 9),
        Arguments.of(stochastic(new RmsProp(0.9, 1e-8), 0.01), leastSquares(ELASTIC), 9),
        Arguments.of(stochastic(Adam.defaults(), 0.05), leastSquares(ELASTIC), 9),
        Arguments.of(stochastic(new Adam(0.9, 0.99, 1e-8, 0.1), 0.05), leastSquares(ELASTIC), 9),
        Arguments.of(
            new StochasticOptimizer(Sgd.plain(), 0.05, Decay.none(), 7, false),
            leastSquares(Regularization.l2(0.1)),
            4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resumedRunEndsBitIdenticalToAnUninterruptedOne(
      Optimizer optimizer, Supplier<Problem> problem, int k) {
    Result uninterrupted = optimizer.minimize(problem.get());
    assertThat(uninterrupted.iterations()).isGreaterThan(k);

    AtomicReference<byte[]> checkpoint = new AtomicReference<>();
    Result interrupted =
        optimizer.minimize(
            problem
                .get()
                .withListener(
                    ctx -> {
                      if (ctx.record().iteration() == k) {
                        checkpoint.set(ctx.snapshot().toBytes());
                        ctx.requestStop("simulated crash");
                      }
                    }));
    assertThat(interrupted.iterations()).isEqualTo(k);

    OptimizerState snapshot = OptimizerState.fromBytes(checkpoint.get());
    assertThat(snapshot.iteration()).isEqualTo(k);
    Result resumed = optimizer.minimize(problem.get().resumingFrom(snapshot));

    assertThat(resumed.weights()).isEqualTo(uninterrupted.weights());
    assertThat(resumed.loss()).isEqualTo(uninterrupted.loss());
    assertThat(resumed.stopReason()).isEqualTo(uninterrupted.stopReason());
    assertThat(resumed.iterations()).isEqualTo(uninterrupted.iterations());
    assertThat(resumed.history())
        .extracting(IterationRecord::loss)
        .containsExactlyElementsOf(
            uninterrupted.history().stream().map(IterationRecord::loss).toList());
    assertThat(resumed.history())
        .extracting(IterationRecord::gradientNorm)
        .containsExactlyElementsOf(
            uninterrupted.history().stream().map(IterationRecord::gradientNorm).toList());
    OptimizerState a = uninterrupted.finalState();
    OptimizerState b = resumed.finalState();
    assertThat(b.vectorNames()).isEqualTo(a.vectorNames());
    for (String name : a.vectorNames()) {
      assertThat(b.vector(name)).as(name).isEqualTo(a.vector(name));
    }
    // Resuming is not trivially equal: the snapshot was taken midway.
    assertThat(snapshot.weights()).isNotEqualTo(uninterrupted.weights());
  }

  @Test
  void resumingFromTheIterationWhereTheRunConvergedStopsAtOnce() {
    Quadratic q = Quadratic.example();
    Problem problem =
        Problem.of(q, new double[4])
            .withStopping(RUN.withMaxIterations(1000).withGradientTolerance(1e-3));
    AtomicReference<OptimizerState> last = new AtomicReference<>();
    Optimizer gd = new GradientDescent(0.1, Decay.none(), LineSearch.NONE);
    Result r = gd.minimize(problem.withListener(ctx -> last.set(ctx.snapshot())));
    assertThat(r.stopReason()).isEqualTo(StopReason.GRADIENT_CONVERGED);
    int before = q.evaluations();
    Result resumed = gd.minimize(problem.resumingFrom(last.get()));
    assertThat(q.evaluations()).isEqualTo(before);
    assertThat(resumed.stopReason()).isEqualTo(StopReason.GRADIENT_CONVERGED);
    assertThat(resumed.iterations()).isEqualTo(r.iterations());
    assertThat(resumed.weights()).isEqualTo(r.weights());
    assertThat(resumed.message()).isEqualTo(r.message());
  }

  @Test
  void resumingWithMoreIterationsContinuesTheRun() {
    Problem problem = Problem.of(Quadratic.example(), new double[4]).withStopping(RUN);
    Optimizer lbfgs = new Lbfgs(4);
    Result ten = lbfgs.minimize(problem.withStopping(RUN.withMaxIterations(3)));
    Result continued =
        lbfgs.minimize(
            problem.withStopping(RUN.withMaxIterations(6)).resumingFrom(ten.finalState()));
    Result six = lbfgs.minimize(problem.withStopping(RUN.withMaxIterations(6)));
    assertThat(continued.weights()).isEqualTo(six.weights());
  }

  @Test
  void aSnapshotOfAnotherOptimizerOrDimensionIsRejected() {
    Problem problem = Problem.of(Quadratic.example(), new double[4]).withStopping(RUN);
    Optimizer gd = new GradientDescent(0.1, Decay.none(), LineSearch.NONE);
    OptimizerState state = gd.minimize(problem).finalState();
    assertThatThrownBy(() -> new Lbfgs(4).minimize(problem.resumingFrom(state)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot resume from snapshot: it was taken by GradientDescent(learning-rate=0.1,"
                + " decay=none, line-search=none), not by Lbfgs(history=4, line-search=strong-wolfe,"
                + " owl-qn when l1 > 0)");
    assertThatThrownBy(() -> Problem.of(new Rosenbrock(3), new double[3]).resumingFrom(state))
        .hasMessage("Cannot resume from snapshot: it has 4 weights but the function has 3");
  }
}

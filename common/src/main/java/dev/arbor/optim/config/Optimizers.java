package dev.arbor.optim.config;

import dev.arbor.optim.Optimizer;
import dev.arbor.optim.StepRule;
import dev.arbor.optim.gd.GradientDescent;
import dev.arbor.optim.lbfgs.Lbfgs;
import dev.arbor.optim.sgd.AdaGrad;
import dev.arbor.optim.sgd.Adam;
import dev.arbor.optim.sgd.RmsProp;
import dev.arbor.optim.sgd.Sgd;
import dev.arbor.optim.sgd.StochasticOptimizer;

/** Builds the optimizer that {@link OptimizerSettings} describe. */
public final class Optimizers {
  private Optimizers() {}

  /**
   * The configured optimizer. Settings are validated when the record is built, so this does not
   * fail.
   */
  public static Optimizer create(OptimizerSettings s) {
    return create(s, 0);
  }

  /**
   * The configured optimizer; mini-batch optimizers run local steps averaged every {@code
   * averageEvery} steps when it is {@code > 0} (see {@link StochasticOptimizer}).
   */
  public static Optimizer create(OptimizerSettings s, int averageEvery) {
    return switch (s.name()) {
      case LBFGS, OWLQN -> new Lbfgs(s.lbfgsHistory());
      case GD ->
          new GradientDescent(
              s.learningRate(),
              s.decay(),
              s.lineSearch() == LineSearchKind.BACKTRACKING
                  ? GradientDescent.LineSearch.BACKTRACKING
                  : GradientDescent.LineSearch.NONE);
      case SGD -> stochastic(s, new Sgd(s.momentum(), s.nesterov()), averageEvery);
      case ADAGRAD -> stochastic(s, new AdaGrad(s.epsilon()), averageEvery);
      case RMSPROP -> stochastic(s, new RmsProp(s.rho(), s.epsilon()), averageEvery);
      case ADAM -> stochastic(s, new Adam(s.beta1(), s.beta2(), s.epsilon(), 0), averageEvery);
      case ADAMW ->
          stochastic(s, new Adam(s.beta1(), s.beta2(), s.epsilon(), s.weightDecay()), averageEvery);
    };
  }

  private static Optimizer stochastic(OptimizerSettings s, StepRule rule, int averageEvery) {
    return new StochasticOptimizer(
        rule, s.learningRate(), s.decay(), s.batchSize(), s.evaluateFullLoss(), averageEvery);
  }
}

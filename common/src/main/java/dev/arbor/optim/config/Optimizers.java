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
    return switch (s.name()) {
      case LBFGS, OWLQN -> new Lbfgs(s.lbfgsHistory());
      case GD ->
          new GradientDescent(
              s.learningRate(),
              s.decay(),
              s.lineSearch() == LineSearchKind.BACKTRACKING
                  ? GradientDescent.LineSearch.BACKTRACKING
                  : GradientDescent.LineSearch.NONE);
      case SGD -> stochastic(s, new Sgd(s.momentum(), s.nesterov()));
      case ADAGRAD -> stochastic(s, new AdaGrad(s.epsilon()));
      case RMSPROP -> stochastic(s, new RmsProp(s.rho(), s.epsilon()));
      case ADAM -> stochastic(s, new Adam(s.beta1(), s.beta2(), s.epsilon(), 0));
      case ADAMW -> stochastic(s, new Adam(s.beta1(), s.beta2(), s.epsilon(), s.weightDecay()));
    };
  }

  private static Optimizer stochastic(OptimizerSettings s, StepRule rule) {
    return new StochasticOptimizer(
        rule, s.learningRate(), s.decay(), s.batchSize(), s.evaluateFullLoss());
  }
}

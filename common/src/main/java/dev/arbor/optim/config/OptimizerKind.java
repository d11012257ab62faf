package dev.arbor.optim.config;

import java.util.Locale;

/** The optimizers {@code train.optimizer.name} can select. */
public enum OptimizerKind {
  LBFGS,
  /** An alias of {@link #LBFGS}, which runs as OWL-QN whenever L1 is on. */
  OWLQN,
  GD,
  SGD,
  ADAGRAD,
  RMSPROP,
  ADAM,
  ADAMW;

  /** Whether it runs mini-batch epochs (needs a {@code StochasticFunction}). */
  public boolean isStochastic() {
    return this == SGD || this == ADAGRAD || this == RMSPROP || this == ADAM || this == ADAMW;
  }

  /** The configuration spelling. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

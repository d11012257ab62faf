package dev.arbor.optim.config;

import dev.arbor.config.ArborConfig;
import dev.arbor.optim.Decay;
import dev.arbor.optim.StoppingCriteria;
import java.time.Duration;

/**
 * The {@code train.optimizer} section of {@code conf/arbor.conf}, resolved (per-optimizer defaults
 * filled in) and validated on construction: a value out of range throws a {@link
 * dev.arbor.ConfigException} naming the key, the value and what is expected. Hyperparameters an
 * optimizer does not use are kept but ignored. {@link Optimizers#create} turns it into an
 * optimizer; {@link #stopping()} gives the stopping criteria for the problem.
 */
public record OptimizerSettings(
    OptimizerKind name,
    double learningRate,
    double momentum,
    boolean nesterov,
    double beta1,
    double beta2,
    double rho,
    double epsilon,
    double weightDecay,
    int batchSize,
    boolean evaluateFullLoss,
    int lbfgsHistory,
    LineSearchKind lineSearch,
    Decay decay,
    StoppingCriteria stopping) {

  public static final String PREFIX = "train.optimizer.";

  public OptimizerSettings {
    check(
        name != null, "name", null, "one of lbfgs, owlqn, gd, sgd, adagrad, rmsprop, adam, adamw");
    check(
        learningRate > 0 && !Double.isInfinite(learningRate),
        "learning-rate",
        learningRate,
        "a finite number > 0");
    check(momentum >= 0 && momentum < 1, "momentum", momentum, "a number in [0, 1)");
    check(
        !(nesterov && momentum == 0 && name == OptimizerKind.SGD),
        "nesterov",
        nesterov,
        "false when " + PREFIX + "momentum = 0");
    check(beta1 >= 0 && beta1 < 1, "beta1", beta1, "a number in [0, 1)");
    check(beta2 >= 0 && beta2 < 1, "beta2", beta2, "a number in [0, 1)");
    check(rho >= 0 && rho < 1, "rho", rho, "a number in [0, 1)");
    check(epsilon > 0 && !Double.isInfinite(epsilon), "epsilon", epsilon, "a finite number > 0");
    check(
        weightDecay >= 0 && !Double.isInfinite(weightDecay),
        "weight-decay",
        weightDecay,
        "a finite number >= 0");
    check(batchSize >= 1, "batch-size", batchSize, "an integer >= 1");
    check(lbfgsHistory >= 1, "lbfgs-history", lbfgsHistory, "an integer >= 1");
    check(decay != null, "decay.type", null, "one of none, inverse, exponential");
    check(stopping != null, "max-iterations", null, "an integer >= 1");
    LineSearchKind[] allowed = allowedLineSearches(name);
    boolean ok = false;
    for (LineSearchKind k : allowed) {
      ok |= k == lineSearch;
    }
    check(
        ok,
        "line-search",
        lineSearch == null ? null : lineSearch.configName(),
        describe(allowed) + " for " + name.configName());
  }

  private static LineSearchKind[] allowedLineSearches(OptimizerKind name) {
    return switch (name) {
      case GD -> new LineSearchKind[] {LineSearchKind.BACKTRACKING, LineSearchKind.NONE};
      case LBFGS, OWLQN -> new LineSearchKind[] {LineSearchKind.STRONG_WOLFE};
      default -> new LineSearchKind[] {LineSearchKind.NONE};
    };
  }

  private static String describe(LineSearchKind[] allowed) {
    StringBuilder b = new StringBuilder(allowed.length == 1 ? "" : "one of ");
    for (int i = 0; i < allowed.length; i++) {
      b.append(i == 0 ? "" : ", ").append(allowed[i].configName());
    }
    return b.toString();
  }

  private static void check(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw ArborConfig.outOfRange(PREFIX + key, value, expected);
    }
  }

  /** These settings with another learning rate (> 0). */
  public OptimizerSettings withLearningRate(double value) {
    return new OptimizerSettings(
        name,
        value,
        momentum,
        nesterov,
        beta1,
        beta2,
        rho,
        epsilon,
        weightDecay,
        batchSize,
        evaluateFullLoss,
        lbfgsHistory,
        lineSearch,
        decay,
        stopping);
  }

  /** The learning rate used when {@code train.optimizer.learning-rate} is null. */
  public static double defaultLearningRate(OptimizerKind name) {
    return switch (name) {
      case GD, LBFGS, OWLQN -> 1.0;
      case SGD, ADAGRAD -> 0.01;
      case RMSPROP, ADAM, ADAMW -> 0.001;
    };
  }

  /** The line search used when {@code train.optimizer.line-search} is null. */
  public static LineSearchKind defaultLineSearch(OptimizerKind name) {
    return allowedLineSearches(name)[0];
  }

  /** Reads, resolves and validates the section. */
  public static OptimizerSettings from(ArborConfig config) {
    OptimizerKind name = config.enumValue(PREFIX + "name", OptimizerKind.class);
    double learningRate =
        config.raw().getIsNull(PREFIX + "learning-rate")
            ? defaultLearningRate(name)
            : config.number(PREFIX + "learning-rate");
    LineSearchKind lineSearch =
        config.raw().getIsNull(PREFIX + "line-search")
            ? defaultLineSearch(name)
            : config.enumValue(PREFIX + "line-search", LineSearchKind.class);
    double seconds = config.number(PREFIX + "max-seconds");
    check(
        seconds >= 0 && seconds <= Long.MAX_VALUE / 1000.0,
        "max-seconds",
        seconds,
        "a finite number >= 0");
    double tolerance = config.number(PREFIX + "tolerance");
    check(
        tolerance >= 0 && !Double.isInfinite(tolerance),
        "tolerance",
        tolerance,
        "a finite number >= 0");
    double gradientTolerance = config.number(PREFIX + "gradient-tolerance");
    check(
        gradientTolerance >= 0 && !Double.isInfinite(gradientTolerance),
        "gradient-tolerance",
        gradientTolerance,
        "a finite number >= 0");
    int maxIterations = config.integer(PREFIX + "max-iterations");
    check(maxIterations >= 1, "max-iterations", maxIterations, "an integer >= 1");
    double decayRate = config.number(PREFIX + "decay.rate");
    check(
        decayRate >= 0 && !Double.isInfinite(decayRate),
        "decay.rate",
        decayRate,
        "a finite number >= 0");
    return new OptimizerSettings(
        name,
        learningRate,
        config.number(PREFIX + "momentum"),
        config.bool(PREFIX + "nesterov"),
        config.number(PREFIX + "beta1"),
        config.number(PREFIX + "beta2"),
        config.number(PREFIX + "rho"),
        config.number(PREFIX + "epsilon"),
        config.number(PREFIX + "weight-decay"),
        config.integer(PREFIX + "batch-size"),
        config.bool(PREFIX + "evaluate-full-loss"),
        config.integer(PREFIX + "lbfgs-history"),
        lineSearch,
        new Decay(config.enumValue(PREFIX + "decay.type", Decay.Type.class), decayRate),
        new StoppingCriteria(
            maxIterations,
            tolerance,
            gradientTolerance,
            Duration.ofMillis(Math.round(seconds * 1000))));
  }
}

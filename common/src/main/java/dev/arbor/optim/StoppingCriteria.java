package dev.arbor.optim;

import java.time.Duration;

/**
 * When an optimization run stops; the first criterion that holds after an iteration wins. A
 * criterion set to zero is off (except {@code maxIterations}, always on).
 *
 * @param maxIterations iterations (full-batch optimizers) or epochs (stochastic optimizers), >= 1
 * @param relativeTolerance stop when {@code |loss[k-1] - loss[k]| / max(|loss[k-1]|, |loss[k]|)} is
 *     at most this; >= 0
 * @param gradientTolerance stop when the Euclidean norm of the gradient of the full objective (the
 *     pseudo-gradient when L1 is on) is at most this; >= 0
 * @param maxDuration wall-clock budget of the whole run, including time spent before a resume;
 *     {@link Duration#ZERO} for none
 */
public record StoppingCriteria(
    int maxIterations, double relativeTolerance, double gradientTolerance, Duration maxDuration) {

  /** A loss above this factor times the initial loss counts as growing (see {@code DIVERGED}). */
  public static final double DIVERGENCE_FACTOR = 1e4;

  /** Consecutive growing iterations after which the run is declared diverged. */
  public static final int DIVERGENCE_PATIENCE = 3;

  public StoppingCriteria {
    if (maxIterations < 1) {
      throw new IllegalArgumentException(
          "Invalid max iterations: " + maxIterations + " (expected >= 1)");
    }
    if (!(relativeTolerance >= 0) || Double.isInfinite(relativeTolerance)) {
      throw new IllegalArgumentException(
          "Invalid relative tolerance: " + relativeTolerance + " (expected a finite number >= 0)");
    }
    if (!(gradientTolerance >= 0) || Double.isInfinite(gradientTolerance)) {
      throw new IllegalArgumentException(
          "Invalid gradient tolerance: " + gradientTolerance + " (expected a finite number >= 0)");
    }
    if (maxDuration == null || maxDuration.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid max duration: " + maxDuration + " (expected a duration >= 0)");
    }
  }

  /** 100 iterations, relative tolerance 1e-6, no gradient tolerance, no time limit. */
  public static StoppingCriteria defaults() {
    return new StoppingCriteria(100, 1e-6, 0, Duration.ZERO);
  }

  public StoppingCriteria withMaxIterations(int value) {
    return new StoppingCriteria(value, relativeTolerance, gradientTolerance, maxDuration);
  }

  public StoppingCriteria withRelativeTolerance(double value) {
    return new StoppingCriteria(maxIterations, value, gradientTolerance, maxDuration);
  }

  public StoppingCriteria withGradientTolerance(double value) {
    return new StoppingCriteria(maxIterations, relativeTolerance, value, maxDuration);
  }

  public StoppingCriteria withMaxDuration(Duration value) {
    return new StoppingCriteria(maxIterations, relativeTolerance, gradientTolerance, value);
  }
}

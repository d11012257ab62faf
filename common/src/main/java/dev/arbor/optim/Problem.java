package dev.arbor.optim;

import java.util.Optional;

/**
 * What to minimize and when to stop: the data term {@code f}, the initial weights, the {@link
 * Regularization} added to {@code f}, the {@link StoppingCriteria}, an {@link IterationListener},
 * and optionally an {@link OptimizerState} to resume from instead of starting fresh. Immutable; the
 * {@code with…} methods return copies.
 *
 * <pre>{@code
 * Problem p = Problem.of(function, new double[function.dimension()])
 *     .withRegularization(Regularization.l2(1e-3).excluding(interceptIndex))
 *     .withStopping(StoppingCriteria.defaults().withMaxIterations(200))
 *     .withListener(ctx -> LOG.info("{}", ctx.record()));
 * }</pre>
 */
public final class Problem {
  private final DifferentiableFunction function;
  private final double[] initialWeights;
  private final Regularization regularization;
  private final StoppingCriteria stopping;
  private final IterationListener listener;
  private final OptimizerState resumeFrom;

  private Problem(
      DifferentiableFunction function,
      double[] initialWeights,
      Regularization regularization,
      StoppingCriteria stopping,
      IterationListener listener,
      OptimizerState resumeFrom) {
    this.function = function;
    this.initialWeights = initialWeights;
    this.regularization = regularization;
    this.stopping = stopping;
    this.listener = listener;
    this.resumeFrom = resumeFrom;
    int n = function.dimension();
    regularization.penalizedMask(n);
    if (resumeFrom != null && resumeFrom.dimension() != n) {
      throw new IllegalArgumentException(
          "Cannot resume from snapshot: it has "
              + resumeFrom.dimension()
              + " weights but the function has "
              + n);
    }
  }

  /**
   * A problem with no regularization, {@link StoppingCriteria#defaults()} and no listener.
   *
   * @param initialWeights the starting point (a warm start, or zeros), length {@code
   *     function.dimension()}, finite; copied
   */
  public static Problem of(DifferentiableFunction function, double[] initialWeights) {
    if (function == null) {
      throw new IllegalArgumentException("Cannot build problem: function is null");
    }
    if (initialWeights.length != function.dimension()) {
      throw new IllegalArgumentException(
          "Cannot build problem: initial weights have length "
              + initialWeights.length
              + " but the function has dimension "
              + function.dimension());
    }
    for (int i = 0; i < initialWeights.length; i++) {
      if (!Double.isFinite(initialWeights[i])) {
        throw new IllegalArgumentException(
            "Cannot build problem: initial weight " + i + " is not finite: " + initialWeights[i]);
      }
    }
    return new Problem(
        function,
        initialWeights.clone(),
        Regularization.none(),
        StoppingCriteria.defaults(),
        IterationListener.NONE,
        null);
  }

  public Problem withRegularization(Regularization value) {
    return new Problem(function, initialWeights, value, stopping, listener, resumeFrom);
  }

  public Problem withStopping(StoppingCriteria value) {
    return new Problem(function, initialWeights, regularization, value, listener, resumeFrom);
  }

  public Problem withListener(IterationListener value) {
    return new Problem(function, initialWeights, regularization, stopping, value, resumeFrom);
  }

  /**
   * A copy that continues from {@code snapshot} (taken by the same optimizer, with the same
   * hyperparameters, on the same function and regularization) instead of the initial weights.
   * Stopping criteria may differ (for example more iterations).
   */
  public Problem resumingFrom(OptimizerState snapshot) {
    return new Problem(function, initialWeights, regularization, stopping, listener, snapshot);
  }

  public DifferentiableFunction function() {
    return function;
  }

  /** A copy of the initial weights (ignored when resuming). */
  public double[] initialWeights() {
    return initialWeights.clone();
  }

  public Regularization regularization() {
    return regularization;
  }

  public StoppingCriteria stopping() {
    return stopping;
  }

  public IterationListener listener() {
    return listener;
  }

  /** The snapshot to resume from, if any. */
  public Optional<OptimizerState> resumeFrom() {
    return Optional.ofNullable(resumeFrom);
  }
}

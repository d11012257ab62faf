package dev.arbor.optim;

/**
 * Called by an optimizer once per iteration (once per epoch for stochastic optimizers), after the
 * update and its measurements, on the optimizer's thread. Not called for an iteration that
 * diverged. The train stage uses it to log, compute a validation metric, stop early and write
 * checkpoints.
 */
@FunctionalInterface
public interface IterationListener {
  /** A listener that does nothing. */
  IterationListener NONE = context -> {};

  /** Observes one completed iteration; may report a validation metric and may ask to stop. */
  void onIteration(IterationContext context);

  /** A listener that calls this one, then {@code next}, with the same context. */
  default IterationListener andThen(IterationListener next) {
    return context -> {
      onIteration(context);
      next.onIteration(context);
    };
  }
}

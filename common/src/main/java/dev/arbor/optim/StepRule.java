package dev.arbor.optim;

/**
 * The per-mini-batch update of a stochastic optimizer (SGD with momentum, AdaGrad, RMSprop, Adam).
 * Lifecycle, in this order: {@link #copy()} a configured prototype, {@link #initialise} (zero
 * state) or {@link #initialise} then {@link #restore} (state from a snapshot), then {@link #step}
 * once per mini-batch, with {@link #save} between steps whenever a snapshot is taken.
 *
 * <p>A rule sees only the gradient of the smooth objective (data term plus the L2 part of the
 * regularization); the L1 part is applied by the optimizer as a proximal step using {@code
 * effectiveStep}. Instances carry mutable state and are confined to one thread; the prototype held
 * by an optimizer is never stepped. {@code toString()} prints the hyperparameters. Serializable, so
 * that a prototype can be shipped to where local steps run ({@link LocalStepFunction}).
 */
public interface StepRule extends java.io.Serializable {
  /** The short configuration name, e.g. {@code "adam"}. */
  String name();

  /**
   * Starts a run over {@code regularized.length} weights with zero state.
   *
   * @param regularized which coordinates are not intercepts (decoupled weight decay applies only to
   *     them)
   */
  void initialise(boolean[] regularized);

  /**
   * Updates {@code weights} in place from one mini-batch gradient.
   *
   * @param gradient the smooth objective's gradient at {@code weights}; not modified
   * @param learningRate the scheduled learning rate of this step, > 0
   * @param effectiveStep receives, per coordinate, the step size the update applied to the gradient
   *     ({@code learningRate} for SGD, {@code learningRate / (sqrt(v) + ε)} for adaptive rules),
   *     which scales the L1 soft-threshold
   */
  void step(double[] weights, double[] gradient, double learningRate, double[] effectiveStep);

  /**
   * The same update as {@link #step}, bit for bit, when no L1 step follows and the effective step
   * sizes are not needed: rules whose update is bound by memory traffic override it to skip writing
   * them. {@code scratch} (same length) may be overwritten.
   */
  default void stepSmooth(
      double[] weights, double[] gradient, double learningRate, double[] scratch) {
    step(weights, gradient, learningRate, scratch);
  }

  /**
   * Writes the rule's state (moments, velocity, step counter) into a snapshot under construction.
   */
  void save(OptimizerState.Builder state);

  /** Reads back what {@link #save} wrote; call after {@link #initialise}. */
  void restore(OptimizerState state);

  /** A new instance with the same hyperparameters and no state. */
  StepRule copy();
}

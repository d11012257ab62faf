package dev.arbor.optim;

import java.util.OptionalDouble;

/**
 * What one iteration (one epoch, for stochastic optimizers) measured. Immutable.
 *
 * @param iteration 1-based number of completed iterations (epochs)
 * @param loss the full objective (data term plus regularization) at the weights after this
 *     iteration; for a stochastic optimizer run without per-epoch evaluation, the mean of the
 *     epoch's mini-batch objectives instead
 * @param gradientNorm Euclidean norm of the full objective's gradient (the pseudo-gradient when L1
 *     is on) at those weights; without per-epoch evaluation, the norm of the mean mini-batch
 *     gradient of the epoch
 * @param stepSize the step (learning rate) used: the accepted line-search step, or the scheduled
 *     learning rate of the iteration (epoch)
 * @param elapsedMillis wall-clock milliseconds since the run started, including time before a
 *     resume
 * @param validationMetric the metric the listener's owner computed on validation data for these
 *     weights, or {@code NaN} when none was reported
 */
public record IterationRecord(
    int iteration,
    double loss,
    double gradientNorm,
    double stepSize,
    long elapsedMillis,
    double validationMetric) {

  /** A record without a validation metric. */
  public static IterationRecord of(
      int iteration, double loss, double gradientNorm, double stepSize, long elapsedMillis) {
    return new IterationRecord(iteration, loss, gradientNorm, stepSize, elapsedMillis, Double.NaN);
  }

  /** The validation metric, when one was reported. */
  public OptionalDouble validation() {
    return Double.isNaN(validationMetric)
        ? OptionalDouble.empty()
        : OptionalDouble.of(validationMetric);
  }

  /** A copy with the validation metric set. */
  public IterationRecord withValidationMetric(double value) {
    return new IterationRecord(iteration, loss, gradientNorm, stepSize, elapsedMillis, value);
  }
}

package dev.arbor.model;

/**
 * One recorded training iteration (epoch for the stochastic optimizers), as kept in the model for
 * the evaluation tables.
 *
 * @param iteration 1-based iteration number
 * @param loss the full training objective after the iteration
 * @param validationMetric the validation metric when computed at this iteration, else NaN
 * @param gradientNorm the (pseudo-)gradient norm after the iteration
 * @param stepSize the step size or learning rate used
 * @param elapsedMillis wall-clock time since training started
 */
public record TrainingStep(
    int iteration,
    double loss,
    double validationMetric,
    double gradientNorm,
    double stepSize,
    long elapsedMillis) {}

package dev.arbor.catalog;

/**
 * One optimizer iteration: a row of the {@code history} table (without the run key).
 *
 * @param candidate which hyperparameter candidate the iteration belongs to (for example {@code
 *     "reg=0.01"}; {@code "final"} for the refit), never null
 * @param iteration iteration number, from 0 or 1 as the optimizer counts
 * @param trainLoss training objective (loss plus regularization)
 * @param validationMetric the validation metric at this iteration, or {@code null} when not
 *     computed
 * @param gradientNorm Euclidean norm of the gradient, or {@code null}
 * @param stepSize step size taken, or {@code null}
 * @param elapsedMs wall-clock milliseconds since the optimizer started
 */
public record HistoryRow(
    String candidate,
    int iteration,
    double trainLoss,
    Double validationMetric,
    Double gradientNorm,
    Double stepSize,
    long elapsedMs) {}

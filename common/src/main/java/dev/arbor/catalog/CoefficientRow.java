package dev.arbor.catalog;

/**
 * One model coefficient: a row of the {@code coefficients} table (without the run key).
 *
 * @param className the class the coefficient belongs to (multiclass), or {@code null}
 * @param feature the feature name as in the prep model, or {@code "(intercept)"}
 * @param weight the coefficient in the original units of the feature (after undoing scaling)
 * @param weightScaled the coefficient as trained, on the standardized feature
 */
public record CoefficientRow(
    String className, String feature, double weight, double weightScaled) {}

package dev.arbor.prep;

/**
 * How one numeric input column is imputed, as fitted on the training split.
 *
 * @param column the input column
 * @param impute the configured method
 * @param imputeValue the value that replaces a missing (or, under the impute policy, non-finite)
 *     value; for {@link ImputeMethod#DROP_ROW} the training mean, used only at scoring time
 * @param missingInTrain rows of the training split where the value was missing
 * @param constant whether the column is constant on the training split (after imputation)
 */
public record NumericColumn(
    String column,
    ImputeMethod impute,
    double imputeValue,
    long missingInTrain,
    boolean constant) {}

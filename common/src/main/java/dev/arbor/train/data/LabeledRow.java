package dev.arbor.train.data;

/**
 * One row for local (single-JVM) evaluation and tests: features, label and instance weight.
 *
 * @param features the feature values in order (not copied)
 * @param label the label (class index for classification)
 * @param weight the instance weight ({@code >= 0})
 */
public record LabeledRow(double[] features, double label, double weight) {}

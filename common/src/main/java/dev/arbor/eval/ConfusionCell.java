package dev.arbor.eval;

/**
 * One cell of a confusion matrix. Cells that no row falls into are present with zero count, so a
 * matrix of K classes always has K² cells.
 *
 * @param actual the true class (label, or index as a string)
 * @param predicted the predicted class (label, or index as a string)
 * @param count number of rows
 * @param weight sum of the rows' weights
 */
public record ConfusionCell(String actual, String predicted, long count, double weight) {}

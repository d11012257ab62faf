package dev.arbor.loss;

import java.io.Serializable;

/**
 * One loss of a linear model: the layout of its weights, which labels it accepts, and a factory of
 * {@link LossAggregator}s. Immutable and serializable (shipped to Spark executors).
 */
public interface LossFunction extends Serializable {
  /** The loss's configuration name ({@code logistic}, {@code multinomial}, ...). */
  String name();

  /** Where the weights sit. */
  WeightLayout layout();

  /**
   * The number of classes a classification loss expects (labels are class indices {@code 0 ..
   * numClasses-1}), or {@code 0} for a regression loss (any finite label).
   */
  int numClasses();

  /** A fresh aggregator evaluating at {@code weights} (not copied; keep it unchanged meanwhile). */
  LossAggregator newAggregator(double[] weights);

  /** Whether {@code label} is valid for this loss. */
  default boolean acceptsLabel(double label) {
    int k = numClasses();
    if (k == 0) {
      return Double.isFinite(label);
    }
    return label >= 0 && label < k && label == Math.rint(label);
  }
}

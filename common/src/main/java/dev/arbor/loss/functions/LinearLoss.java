package dev.arbor.loss.functions;

import dev.arbor.loss.LossFunction;
import dev.arbor.loss.WeightLayout;

/**
 * What every loss of this package shares: its configuration name, its weight layout and the number
 * of classes it accepts. A subclass adds only its {@link dev.arbor.loss.LossAggregator} (the loss
 * of one row) and any parameter of its own.
 */
abstract class LinearLoss implements LossFunction {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final WeightLayout layout;
  private final int numClasses;

  /**
   * @param name the configuration name
   * @param numFeatures the number of features
   * @param numOutputs the number of margins per row (1, or K for a softmax)
   * @param fitIntercept whether the layout has one intercept per output
   * @param numClasses the classes a classification loss expects, {@code 0} for a regression loss
   */
  LinearLoss(String name, int numFeatures, int numOutputs, boolean fitIntercept, int numClasses) {
    this.name = name;
    this.layout =
        fitIntercept
            ? WeightLayout.withIntercept(numFeatures, numOutputs)
            : WeightLayout.withoutIntercept(numFeatures, numOutputs);
    this.numClasses = numClasses;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final WeightLayout layout() {
    return layout;
  }

  @Override
  public final int numClasses() {
    return numClasses;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + layout + "]";
  }
}

package dev.arbor.loss.functions;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.WeightLayout;

/**
 * Squared error for linear regression: {@code ½(m − y)²}, derivative {@code m − y}. The mean over
 * rows is half the MSE. One output.
 */
public final class SquaredLoss implements LossFunction {
  private static final long serialVersionUID = 1L;

  private final WeightLayout layout;

  public SquaredLoss(int numFeatures, boolean fitIntercept) {
    this.layout =
        fitIntercept
            ? WeightLayout.withIntercept(numFeatures, 1)
            : WeightLayout.withoutIntercept(numFeatures, 1);
  }

  @Override
  public String name() {
    return "squared";
  }

  @Override
  public WeightLayout layout() {
    return layout;
  }

  @Override
  public int numClasses() {
    return 0;
  }

  @Override
  public LossAggregator newAggregator(double[] weights) {
    return new Aggregator(layout, weights);
  }

  @Override
  public String toString() {
    return "SquaredLoss[" + layout + "]";
  }

  static final class Aggregator extends LossAggregator {
    private static final long serialVersionUID = 1L;

    Aggregator(WeightLayout layout, double[] weights) {
      super(layout, weights);
    }

    @Override
    protected double rowLoss(double label, double[] margins, double[] derivatives) {
      double r = margins[0] - label;
      derivatives[0] = r;
      return 0.5 * r * r;
    }
  }
}

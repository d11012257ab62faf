package dev.arbor.loss.functions;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.WeightLayout;

/**
 * Squared error for linear regression: {@code ½(m − y)²}, derivative {@code m − y}. The mean over
 * rows is half the MSE. One output.
 */
public final class SquaredLoss extends LinearLoss {
  private static final long serialVersionUID = 1L;

  public SquaredLoss(int numFeatures, boolean fitIntercept) {
    super("squared", numFeatures, 1, fitIntercept, 0);
  }

  @Override
  public LossAggregator newAggregator(double[] weights) {
    return new Aggregator(layout(), weights);
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

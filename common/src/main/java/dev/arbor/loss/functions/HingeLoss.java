package dev.arbor.loss.functions;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.WeightLayout;

/**
 * Hinge loss of a linear SVM. Labels {@code y ∈ {0, 1}} are mapped to {@code s = 2y − 1 ∈ {−1,
 * +1}}; the loss is {@code max(0, 1 − s·m)}. Its subgradient is {@code −s} where {@code s·m < 1}
 * and {@code 0} where {@code s·m ≥ 1}: at the kink {@code s·m = 1} we take {@code 0}, the
 * right-hand derivative (as LIBLINEAR's L1-loss SVM and Spark's {@code HingeAggregator}), so rows
 * exactly on the margin do not move the weights. One output.
 */
public final class HingeLoss extends LinearLoss {
  private static final long serialVersionUID = 1L;

  public HingeLoss(int numFeatures, boolean fitIntercept) {
    super("hinge", numFeatures, 1, fitIntercept, 2);
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
      double s = 2.0 * label - 1.0;
      double slack = 1.0 - s * margins[0];
      if (slack > 0) {
        derivatives[0] = -s;
        return slack;
      }
      derivatives[0] = 0.0;
      return 0.0;
    }
  }
}

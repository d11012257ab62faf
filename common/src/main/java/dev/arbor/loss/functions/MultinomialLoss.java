package dev.arbor.loss.functions;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.WeightLayout;

/**
 * Multinomial (softmax) cross-entropy over {@code K} classes, labels {@code y ∈ {0 … K−1}}: {@code
 * log Σₖ e^{mₖ} − m_y}, with derivatives {@code softmaxₖ(m) − [k = y]}.
 *
 * <p>Weights ({@link WeightLayout} with {@code K} outputs): class {@code k}'s coefficients at
 * {@code k·d … k·d+d−1}, then the {@code K} intercepts at {@code K·d + k}. All {@code K} classes
 * have weights (the over-parameterized form, as Spark MLlib): without regularization the optimum is
 * unique only up to adding one vector to every class; with L2 it is unique.
 */
public final class MultinomialLoss extends LinearLoss {
  private static final long serialVersionUID = 1L;

  public MultinomialLoss(int numFeatures, int numClasses, boolean fitIntercept) {
    super("multinomial", numFeatures, checkClasses(numClasses), fitIntercept, numClasses);
  }

  private static int checkClasses(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException(
          "Invalid number of classes for the multinomial loss: " + numClasses + " (expected >= 2)");
    }
    return numClasses;
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
      int k = margins.length;
      // Shift by the largest margin: every exponent is <= 0, so nothing overflows and the sum is
      // at least 1, so its log is finite.
      double max = margins[0];
      for (int c = 1; c < k; c++) {
        max = Math.max(max, margins[c]);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        double e = Math.exp(margins[c] - max);
        derivatives[c] = e;
        sum += e;
      }
      int y = (int) label;
      for (int c = 0; c < k; c++) {
        derivatives[c] /= sum;
      }
      derivatives[y] -= 1.0;
      return (max - margins[y]) + Math.log(sum);
    }
  }
}

package dev.arbor.loss.functions;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.WeightLayout;

/**
 * Binary logistic loss (log loss) for labels {@code y ∈ {0, 1}} and margin {@code m}: {@code log(1
 * + e^m) − y·m}, with derivative {@code σ(m) − y}. One output.
 */
public final class LogisticLoss extends LinearLoss {
  private static final long serialVersionUID = 1L;

  public LogisticLoss(int numFeatures, boolean fitIntercept) {
    super("logistic", numFeatures, 1, fitIntercept, 2);
  }

  @Override
  public LossAggregator newAggregator(double[] weights) {
    return new Aggregator(layout(), weights);
  }

  /** {@code log(1 + e^m)} without overflow: {@code e^m} overflows for m > 709. */
  static double log1pExp(double m) {
    return m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
  }

  /** {@code 1 / (1 + e^−m)}, evaluating {@code exp} only at non-positive arguments. */
  static double sigmoid(double m) {
    if (m >= 0) {
      return 1.0 / (1.0 + Math.exp(-m));
    }
    double e = Math.exp(m);
    return e / (1.0 + e);
  }

  static final class Aggregator extends LossAggregator {
    private static final long serialVersionUID = 1L;

    Aggregator(WeightLayout layout, double[] weights) {
      super(layout, weights);
    }

    @Override
    protected double rowLoss(double label, double[] margins, double[] derivatives) {
      // One exp for both terms: with e = exp(−|m|) ∈ (0, 1], log(1 + e^m) = max(m, 0) + log1p(e)
      // and σ(m) = 1/(1 + e) for m ≥ 0, e/(1 + e) otherwise; nothing overflows.
      double m = margins[0];
      double e = Math.exp(-Math.abs(m));
      double sigma = m >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      derivatives[0] = sigma - label;
      return Math.max(m, 0.0) + Math.log1p(e) - label * m;
    }
  }
}

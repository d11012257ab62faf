package dev.arbor.loss.functions;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.WeightLayout;

/**
 * Huber loss for robust regression with threshold {@code δ > 0}, on the residual {@code r = m − y}:
 * {@code ½r²} where {@code |r| ≤ δ}, else {@code δ·(|r| − ½δ)}; derivative {@code r} clipped to
 * {@code [−δ, δ]}. Quadratic near zero, linear in the tails, continuously differentiable. This is
 * the plain Huber (1964) loss with a fixed {@code δ} in label units, the same as scikit-learn's
 * {@code SGDRegressor(loss="huber", epsilon=δ)} (not {@code HuberRegressor}, which also fits a
 * scale). One output.
 */
public final class HuberLoss extends LinearLoss {
  private static final long serialVersionUID = 1L;

  private final double delta;

  public HuberLoss(int numFeatures, boolean fitIntercept, double delta) {
    super("huber", numFeatures, 1, fitIntercept, 0);
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException(
          "Invalid Huber delta: " + delta + " (expected a finite number > 0)");
    }
    this.delta = delta;
  }

  /** The threshold between the quadratic and the linear part, in label units. */
  public double delta() {
    return delta;
  }

  @Override
  public LossAggregator newAggregator(double[] weights) {
    return new Aggregator(layout(), weights, delta);
  }

  @Override
  public String toString() {
    return "HuberLoss[delta=" + delta + ", " + layout() + "]";
  }

  static final class Aggregator extends LossAggregator {
    private static final long serialVersionUID = 1L;

    private final double delta;

    Aggregator(WeightLayout layout, double[] weights, double delta) {
      super(layout, weights);
      this.delta = delta;
    }

    @Override
    protected double rowLoss(double label, double[] margins, double[] derivatives) {
      double r = margins[0] - label;
      double a = Math.abs(r);
      if (a <= delta) {
        derivatives[0] = r;
        return 0.5 * r * r;
      }
      derivatives[0] = Math.copySign(delta, r);
      return delta * (a - 0.5 * delta);
    }
  }
}

package dev.arbor.train;

import java.util.Locale;

/**
 * A metric on the validation split, for early stopping ({@code train.early-stopping.metric}) and
 * model selection ({@code train.selection-metric}). All are weighted by the rows' {@code weight}.
 */
public enum ValidationMetric {
  /** The training loss (without regularization) averaged over the validation rows. */
  LOSS(false),
  /**
   * Cross-entropy of the predicted probabilities (classification), probabilities clipped to 1e-15.
   */
  LOG_LOSS(false),
  /** Fraction of rows whose predicted class is the label (classification). */
  ACCURACY(true),
  /** Area under the ROC curve, exact, ties counted half (binary). */
  AUC(true),
  /** Mean squared error (regression). */
  MSE(false),
  /** Root mean squared error (regression). */
  RMSE(false),
  /** Mean absolute error (regression). */
  MAE(false),
  /** Coefficient of determination (regression). */
  R2(true);

  private final boolean higherIsBetter;

  ValidationMetric(boolean higherIsBetter) {
    this.higherIsBetter = higherIsBetter;
  }

  /** Whether larger values are better. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** Whether {@code candidate} is strictly better than {@code incumbent} (NaN is never better). */
  public boolean isBetter(double candidate, double incumbent) {
    if (Double.isNaN(candidate)) {
      return false;
    }
    if (Double.isNaN(incumbent)) {
      return true;
    }
    return higherIsBetter ? candidate > incumbent : candidate < incumbent;
  }

  /**
   * Whether the metric applies to {@code task} ({@code binary}, {@code multiclass}, {@code
   * regression}).
   */
  public boolean appliesTo(String task) {
    return switch (this) {
      case LOSS -> true;
      case LOG_LOSS, ACCURACY -> !task.equals("regression");
      case AUC -> task.equals("binary");
      case MSE, RMSE, MAE, R2 -> task.equals("regression");
    };
  }

  /** The default selection metric of a task. */
  public static ValidationMetric defaultFor(String task) {
    return switch (task) {
      case "binary" -> AUC;
      case "multiclass" -> LOG_LOSS;
      default -> RMSE;
    };
  }

  /** The configuration spelling, e.g. {@code log-loss}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

package dev.arbor.train;

import dev.arbor.config.ArborConfig;
import dev.arbor.eval.MetricSpec;
import dev.arbor.ingest.Task;
import java.util.Locale;
import java.util.Optional;

/**
 * A metric on the validation split that training watches, for early stopping ({@code
 * train.early-stopping.metric}) and model selection ({@code train.selection-metric}). All are
 * weighted by the rows' {@code weight}. Direction and task come from the shared registry ({@link
 * MetricSpec}), the value from the same computation as the {@code metrics} table ({@code
 * dev.arbor.eval.metrics.MetricKernels}); config values may use this enum's spelling ({@code auc},
 * {@code log-loss}) or the registry's ({@code auc_roc}, {@code log_loss}).
 */
public enum ValidationMetric {
  /** The training loss (without regularization) averaged over the validation rows. */
  LOSS(MetricSpec.LOSS),
  /** Cross-entropy of the predicted probabilities (classification), clipped as scikit-learn. */
  LOG_LOSS(MetricSpec.LOG_LOSS),
  /** Fraction of rows whose predicted class is the label (classification). */
  ACCURACY(MetricSpec.ACCURACY),
  /** Area under the ROC curve, exact, ties counted half (binary). */
  AUC(MetricSpec.AUC_ROC),
  /** Mean squared error (regression). */
  MSE(MetricSpec.MSE),
  /** Root mean squared error (regression). */
  RMSE(MetricSpec.RMSE),
  /** Mean absolute error (regression). */
  MAE(MetricSpec.MAE),
  /** Coefficient of determination (regression). */
  R2(MetricSpec.R2);

  private final MetricSpec spec;

  ValidationMetric(MetricSpec spec) {
    this.spec = spec;
  }

  /** The metric in the shared registry. */
  public MetricSpec spec() {
    return spec;
  }

  /** Whether larger values are better. */
  public boolean higherIsBetter() {
    return spec.higherIsBetter();
  }

  /** Whether {@code candidate} is strictly better than {@code incumbent} (NaN is never better). */
  public boolean isBetter(double candidate, double incumbent) {
    return spec.isBetter(candidate, incumbent);
  }

  /** Whether the metric applies to {@code task}. */
  public boolean appliesTo(Task task) {
    return spec.appliesTo(task);
  }

  /** The default selection metric of a task ({@link MetricSpec#defaultFor}). */
  public static ValidationMetric defaultFor(Task task) {
    return of(MetricSpec.defaultFor(task)).orElseThrow();
  }

  /** The training metric computing {@code spec}, if training can compute it. */
  public static Optional<ValidationMetric> of(MetricSpec spec) {
    for (ValidationMetric m : values()) {
      if (m.spec == spec) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The metric a config key names, in this enum's spelling or the registry's.
   *
   * @throws dev.arbor.ConfigException naming the key and the allowed values otherwise
   */
  public static ValidationMetric fromConfig(ArborConfig config, String key) {
    Optional<ValidationMetric> m =
        MetricSpec.byName(config.string(key)).flatMap(ValidationMetric::of);
    return m.orElseGet(() -> config.enumValue(key, ValidationMetric.class));
  }

  /**
   * The configuration spelling, e.g. {@code log-loss}; also the {@code metric} value of the {@code
   * candidates} table.
   */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

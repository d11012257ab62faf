package dev.arbor.eval;

import dev.arbor.ingest.Task;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one registry of model-quality metrics: each metric's name in the {@code metrics} table, the
 * names config files may use for it, its direction and the tasks it applies to. Early stopping and
 * model selection ({@code train.early-stopping.metric}, {@code train.selection-metric}), the
 * evaluation and the promotion gate ({@code promote.metric}) all name metrics through it, so a
 * metric is {@code auc_roc} everywhere and {@code auc} is accepted as an old spelling.
 *
 * <p>Where each is computed: once, in {@code dev.arbor.eval.metrics.MetricKernels} (every metric
 * but {@link #LOSS}, which is the training objective's). The {@code evaluate} stage's evaluators
 * build the {@code metrics} table from those kernels, and training computes the metric it watches
 * ({@code dev.arbor.train.ValidationMetric}) with {@code MetricKernels.compute}, so both give the
 * same value to the bit.
 */
public enum MetricSpec {
  /** The training loss (without regularization) averaged over the rows; training only. */
  LOSS("loss", false, EnumSet.allOf(Task.class)),
  /** Area under the ROC curve. */
  AUC_ROC("auc_roc", true, EnumSet.of(Task.BINARY), "auc"),
  /** Area under the precision-recall curve. */
  AUC_PR("auc_pr", true, EnumSet.of(Task.BINARY)),
  /** Cross-entropy of the predicted probabilities. */
  LOG_LOSS("log_loss", false, EnumSet.of(Task.BINARY, Task.MULTICLASS)),
  /** Mean squared error of the probability of the positive class. */
  BRIER("brier", false, EnumSet.of(Task.BINARY)),
  /** Fraction of rows whose predicted class is the label. */
  ACCURACY("accuracy", true, EnumSet.of(Task.BINARY, Task.MULTICLASS)),
  /** F1 of the positive class at the threshold. */
  F1("f1", true, EnumSet.of(Task.BINARY)),
  /** Precision of the positive class at the threshold. */
  PRECISION("precision", true, EnumSet.of(Task.BINARY)),
  /** Recall of the positive class at the threshold. */
  RECALL("recall", true, EnumSet.of(Task.BINARY)),
  /** Unweighted mean of the per-class F1. */
  F1_MACRO("f1_macro", true, EnumSet.of(Task.MULTICLASS)),
  /** Support-weighted mean of the per-class F1. */
  F1_WEIGHTED("f1_weighted", true, EnumSet.of(Task.MULTICLASS)),
  /** Unweighted mean of the per-class precision. */
  PRECISION_MACRO("precision_macro", true, EnumSet.of(Task.MULTICLASS)),
  /** Unweighted mean of the per-class recall. */
  RECALL_MACRO("recall_macro", true, EnumSet.of(Task.MULTICLASS)),
  /** Root mean squared error. */
  RMSE("rmse", false, EnumSet.of(Task.REGRESSION)),
  /** Mean squared error. */
  MSE("mse", false, EnumSet.of(Task.REGRESSION)),
  /** Mean absolute error. */
  MAE("mae", false, EnumSet.of(Task.REGRESSION)),
  /** Coefficient of determination. */
  R2("r2", true, EnumSet.of(Task.REGRESSION)),
  /** Explained variance. */
  EXPLAINED_VARIANCE("explained_variance", true, EnumSet.of(Task.REGRESSION));

  private final String tableName;
  private final boolean higherIsBetter;
  private final Set<Task> tasks;
  private final List<String> aliases;

  MetricSpec(String tableName, boolean higherIsBetter, Set<Task> tasks, String... aliases) {
    this.tableName = tableName;
    this.higherIsBetter = higherIsBetter;
    this.tasks = tasks;
    this.aliases = List.of(aliases);
  }

  /** The name in the {@code metrics} table, e.g. {@code auc_roc}. */
  public String tableName() {
    return tableName;
  }

  /** Whether larger values are better. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** Whether the metric is defined for {@code task}. */
  public boolean appliesTo(Task task) {
    return tasks.contains(task);
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
   * The metric a config value names: its table name or an old spelling ({@code auc} for {@code
   * auc_roc}), case-insensitive, with {@code -} or {@code _}.
   */
  public static Optional<MetricSpec> byName(String name) {
    String norm = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (MetricSpec m : values()) {
      if (m.tableName.equals(norm) || m.aliases.contains(norm)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The default metric of a task for model selection and the gate: {@code auc_roc} (binary), {@code
   * log_loss} (multiclass), {@code rmse} (regression).
   */
  public static MetricSpec defaultFor(Task task) {
    return switch (task) {
      case BINARY -> AUC_ROC;
      case MULTICLASS -> LOG_LOSS;
      case REGRESSION -> RMSE;
    };
  }

  /** The table-level metrics of {@code task} (every metric but {@link #LOSS}), in table order. */
  public static List<MetricSpec> evaluatedFor(Task task) {
    List<MetricSpec> out = new ArrayList<>();
    for (MetricSpec m : values()) {
      if (m != LOSS && m.appliesTo(task)) {
        out.add(m);
      }
    }
    return out;
  }
}

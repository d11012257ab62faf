package dev.arbor.train.sql;

import static org.apache.spark.sql.functions.col;

import dev.arbor.loss.LossFunction;
import dev.arbor.train.data.ClassWeights;
import dev.arbor.train.pass.GradientSettings;
import dev.arbor.train.pass.TrainingObjectives;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The entry the train stage calls for the sql backend, mirroring {@code TrainingObjectives} of the
 * tree backend: prepared split + settings → cached, validated rows → objective, with the same loss,
 * intercept, class weights and seed.
 *
 * <pre>{@code
 * GradientSettings gs = GradientSettings.from(config);
 * try (SqlObjective f = SqlObjectives.objective(trainSplit, features, classes, gs)) {
 *   int[] intercepts = f.layout().interceptIndices(); // not regularized
 *   // optimizer.minimize(Problem.of(f, new double[f.dimension()]) ...)
 * }
 * }</pre>
 */
public final class SqlObjectives {
  private SqlObjectives() {}

  /**
   * Builds the sql objective of {@code settings.loss()} over {@code split}.
   *
   * @param split the prepared split ({@code row_id}, {@code label}, {@code weight}, DOUBLE
   *     features)
   * @param featureNames the prep model's feature columns, in order
   * @param classes the prep model's classes in index order; empty for regression
   * @param settings the gradient settings (loss, Huber delta, intercept, class weights, seed; block
   *     size, precision and aggregation depth are tree-backend settings and are ignored)
   * @throws dev.arbor.ConfigException when the loss or the class weights do not fit the task
   * @throws dev.arbor.DataValidationException when the split has invalid columns or values
   */
  public static SqlObjective objective(
      Dataset<Row> split,
      List<String> featureNames,
      List<String> classes,
      GradientSettings settings) {
    if (classes.size() == 1) {
      throw new dev.arbor.DataValidationException(
          "Cannot train a classifier: the task has only one class: " + classes);
    }
    int numClasses = classes.size();
    LossFunction loss = TrainingObjectives.loss(settings, featureNames.size(), numClasses);
    ClassWeights cw = TrainingObjectives.classWeights(settings, classes);
    double[] multipliers = null;
    if (numClasses > 0 && cw.mode() != ClassWeights.Mode.NONE) {
      multipliers =
          cw.multipliers(numClasses, cw.needsCounts() ? classCounts(split, numClasses) : null);
    }
    return SqlObjective.create(split, featureNames, loss, multipliers, settings.seed());
  }

  /** Rows per class index (labels outside {@code 0..K-1} are left to the validation). */
  static long[] classCounts(Dataset<Row> split, int numClasses) {
    long[] counts = new long[numClasses];
    for (Row r :
        split.groupBy(col(SqlGradientPass.LABEL)).count().limit(numClasses + 1).collectAsList()) {
      if (r.isNullAt(0)) {
        continue;
      }
      double y = r.getDouble(0);
      if (y >= 0 && y < numClasses && y == Math.rint(y)) {
        counts[(int) y] = r.getLong(1);
      }
    }
    return counts;
  }
}

package dev.arbor.train;

import dev.arbor.ingest.Task;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a training run reads: the prepared splits and what the prep model says about them.
 *
 * @param task what the label is
 * @param classes original label values in class-index order (empty for regression)
 * @param features prepared feature columns, in weight order
 * @param centers per feature, the prep model's center ({@code prepared = (raw − center)/scale})
 * @param scales per feature, the prep model's scale
 * @param train the prepared train split
 * @param validation the prepared validation split (may be empty)
 * @param prepModel where the prep model lives (recorded in the model)
 */
public record TrainInputs(
    Task task,
    List<String> classes,
    List<String> features,
    double[] centers,
    double[] scales,
    Dataset<Row> train,
    Dataset<Row> validation,
    String prepModel) {

  public TrainInputs {
    classes = List.copyOf(classes);
    features = List.copyOf(features);
    if (centers.length != features.size() || scales.length != features.size()) {
      throw new IllegalArgumentException(
          "Invalid train inputs: "
              + centers.length
              + " centers and "
              + scales.length
              + " scales for "
              + features.size()
              + " features");
    }
  }

  /** Inputs with identity scaling (the features are used as given). */
  public static TrainInputs unscaled(
      Task task,
      List<String> classes,
      List<String> features,
      Dataset<Row> train,
      Dataset<Row> validation) {
    double[] ones = new double[features.size()];
    java.util.Arrays.fill(ones, 1.0);
    return new TrainInputs(
        task, classes, features, new double[features.size()], ones, train, validation, "");
  }

  /** The number of classes the losses expect: K for classification, 0 for regression. */
  public int numClasses() {
    return task == Task.REGRESSION ? 0 : classes.size();
  }
}

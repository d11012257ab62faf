package dev.arbor.train.pass;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.Losses;
import dev.arbor.train.data.ClassWeights;
import dev.arbor.train.data.TrainingBlocks;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The entry the train stage calls: prepared split + settings → cached blocks → objective.
 *
 * <pre>{@code
 * GradientSettings gs = GradientSettings.from(config);
 * try (TrainingBlocks blocks =
 *     TrainingObjectives.blocks(trainSplit, prepModel.featureNames(), prepModel.classes(), gs)) {
 *   DistributedObjective f = TrainingObjectives.objective(blocks, gs);
 *   int[] intercepts = f.layout().interceptIndices(); // not regularized
 *   double[] w = new double[f.dimension()];
 *   // optimizer.minimize(f + regularization, w) ...
 * }
 * }</pre>
 *
 * Candidates with other losses reuse the same blocks: {@code objective(blocks,
 * gs.withLoss("hinge"))} (blocks are loss-independent except for class weights, precision and block
 * size).
 */
public final class TrainingObjectives {
  private TrainingObjectives() {}

  /**
   * Builds, caches and materializes the blocks of a prepared split.
   *
   * @param split the prepared split ({@code label}, {@code weight}, DOUBLE features)
   * @param featureNames the prep model's feature columns, in order
   * @param classes the prep model's classes in index order (original label values as strings);
   *     empty for regression
   * @param settings the gradient settings
   * @throws ConfigException when class weights do not fit the task
   * @throws dev.arbor.DataValidationException when the split has invalid columns or values
   */
  public static TrainingBlocks blocks(
      Dataset<Row> split,
      List<String> featureNames,
      List<String> classes,
      GradientSettings settings) {
    if (classes.size() == 1) {
      throw new dev.arbor.DataValidationException(
          "Cannot train a classifier: the task has only one class: " + classes);
    }
    ClassWeights cw = classWeights(settings, classes);
    return TrainingBlocks.build(
        split, featureNames, classes.size(), cw, settings.blockSize(), settings.precision());
  }

  /**
   * The objective of {@code settings.loss()} over {@code blocks}.
   *
   * @throws ConfigException when the loss does not fit the task (e.g. {@code squared} on classes)
   */
  public static DistributedObjective objective(TrainingBlocks blocks, GradientSettings settings) {
    LossFunction loss = loss(settings, blocks.numFeatures(), blocks.numClasses());
    return new DistributedObjective(blocks, loss, settings.aggregationDepth(), settings.seed());
  }

  /** The loss named by the settings for {@code numClasses} (0 = regression). */
  public static LossFunction loss(GradientSettings settings, int numFeatures, int numClasses) {
    try {
      return Losses.create(
          settings.loss(), numFeatures, numClasses, settings.fitIntercept(), settings.huberDelta());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Invalid config value for 'train.loss': "
              + settings.loss()
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  /**
   * The class weights of the settings, explicit keys resolved against {@code classes}: a key that
   * equals a class's original value names that class; otherwise an integer key names a class index.
   */
  public static ClassWeights classWeights(GradientSettings settings, List<String> classes) {
    String mode = settings.classWeights();
    if (classes.isEmpty() && !mode.equals("none")) {
      throw ArborConfig.outOfRange("train.class-weights", mode, "none for a regression task");
    }
    return switch (mode) {
      case "none" -> ClassWeights.none();
      case "balanced" -> ClassWeights.balanced();
      default -> {
        Map<Integer, Double> byIndex = new TreeMap<>();
        for (Map.Entry<String, Double> e : settings.classWeightValues().entrySet()) {
          byIndex.put(classIndex(e.getKey(), classes), e.getValue());
        }
        yield ClassWeights.explicit(byIndex);
      }
    };
  }

  private static int classIndex(String key, List<String> classes) {
    int i = classes.indexOf(key);
    if (i >= 0) {
      return i;
    }
    try {
      int k = Integer.parseInt(key);
      if (k >= 0 && k < classes.size()) {
        return k;
      }
    } catch (NumberFormatException e) {
      // not an index either: reported below
    }
    throw ArborConfig.outOfRange(
        "train.class-weight-values." + key,
        key,
        "a class of " + classes + " or a class index 0 to " + (classes.size() - 1));
  }
}

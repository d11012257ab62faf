package dev.arbor.evaluate;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.eval.EvalSettings;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the {@code evaluate} stage (sections {@code evaluate}, {@code catalog}, {@code
 * model}, {@code output} of {@code conf/arbor.conf}). Immutable.
 *
 * @param modelName the model evaluated ({@code model.name})
 * @param outputRoot root of the stage outputs ({@code output.root})
 * @param metrics the metrics settings (threshold, curve points, calibration bins)
 * @param predictionSplits the splits whose per-row predictions are written to the {@code
 *     predictions} table ({@code evaluate.prediction-splits}), in order
 * @param catalog where the evaluation tables live
 */
public record EvaluateSettings(
    String modelName,
    String outputRoot,
    EvalSettings metrics,
    List<String> predictionSplits,
    CatalogSettings catalog) {

  /** The splits of a prepared run, in the order they are evaluated. */
  public static final List<String> SPLITS = List.of("train", "validation", "test");

  public EvaluateSettings {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(outputRoot, "outputRoot");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(catalog, "catalog");
    predictionSplits = List.copyOf(predictionSplits);
    for (String split : predictionSplits) {
      if (!SPLITS.contains(split)) {
        throw new IllegalArgumentException(
            "Invalid prediction split: " + split + " (expected one of " + SPLITS + ")");
      }
    }
  }

  /** Reads the stage's settings from the resolved configuration. */
  public static EvaluateSettings from(ArborConfig config) {
    List<String> splits = config.strings("evaluate.prediction-splits");
    for (String split : splits) {
      if (!SPLITS.contains(split)) {
        throw ArborConfig.outOfRange(
            "evaluate.prediction-splits", splits, "a list of splits among " + SPLITS);
      }
    }
    return new EvaluateSettings(
        config.string("model.name"),
        config.string("output.root"),
        EvalSettings.from(config),
        splits.stream().distinct().toList(),
        CatalogSettings.from(config));
  }
}

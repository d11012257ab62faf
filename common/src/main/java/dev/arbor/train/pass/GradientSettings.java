package dev.arbor.train.pass;

import dev.arbor.config.ArborConfig;
import dev.arbor.loss.functions.Losses;
import dev.arbor.train.data.Precision;
import java.util.Map;
import java.util.TreeMap;

/**
 * The loss and data-layout settings of the {@code train} stage ({@code train.loss}, {@code
 * train.huber-delta}, {@code train.fit-intercept}, {@code train.class-weights}, {@code
 * train.class-weight-values}, {@code train.block-size}, {@code train.precision}, {@code
 * train.aggregation-depth}, {@code train.seed}; see {@code conf/arbor.conf}). Immutable.
 *
 * @param loss one of {@link Losses#NAMES}
 * @param huberDelta the Huber threshold, {@code > 0}
 * @param fitIntercept whether to fit (unpenalized) intercepts
 * @param classWeights {@code none}, {@code balanced} or {@code explicit}
 * @param classWeightValues for {@code explicit}: class (original value or index) → multiplier
 * @param blockSize rows per block
 * @param precision feature storage precision
 * @param aggregationDepth {@code treeAggregate} depth, {@code 0} = automatic
 * @param seed seed of the mini-batch permutations
 */
public record GradientSettings(
    String loss,
    double huberDelta,
    boolean fitIntercept,
    String classWeights,
    Map<String, Double> classWeightValues,
    int blockSize,
    Precision precision,
    int aggregationDepth,
    long seed) {

  public GradientSettings {
    classWeightValues = Map.copyOf(classWeightValues);
  }

  /** The documented defaults (as in {@code conf/arbor.conf}). */
  public static GradientSettings defaults() {
    return from(ArborConfig.defaults());
  }

  /** Reads and range-checks the keys. @throws ConfigException naming the key and the value */
  public static GradientSettings from(ArborConfig config) {
    String loss = config.oneOf("train.loss", Losses.NAMES.toArray(new String[0]));
    double delta = config.positive("train.huber-delta");
    boolean intercept = config.bool("train.fit-intercept");
    String mode = config.oneOf("train.class-weights", "none", "balanced", "explicit");
    Map<String, Double> values = new TreeMap<>();
    for (Map.Entry<String, String> e : config.stringMap("train.class-weight-values").entrySet()) {
      String key = "train.class-weight-values." + e.getKey();
      double v;
      try {
        v = Double.parseDouble(e.getValue());
      } catch (NumberFormatException ex) {
        throw ArborConfig.outOfRange(key, e.getValue(), "a finite number > 0");
      }
      if (!(v > 0) || Double.isInfinite(v)) {
        throw ArborConfig.outOfRange(key, e.getValue(), "a finite number > 0");
      }
      values.put(e.getKey(), v);
    }
    if (mode.equals("explicit") && values.isEmpty()) {
      throw ArborConfig.outOfRange(
          "train.class-weight-values",
          "{}",
          "at least one class when train.class-weights = explicit");
    }
    if (!mode.equals("explicit") && !values.isEmpty()) {
      throw ArborConfig.outOfRange(
          "train.class-weights", mode, "explicit when train.class-weight-values is set");
    }
    int blockSize = config.intInRange("train.block-size", 1, 1 << 20);
    Precision precision = config.enumValue("train.precision", Precision.class);
    int depth = config.intInRange("train.aggregation-depth", 0, 8);
    long seed = config.longValue("train.seed");
    return new GradientSettings(
        loss, delta, intercept, mode, values, blockSize, precision, depth, seed);
  }

  /** A copy with another loss (model-selection candidates share the blocks). */
  public GradientSettings withLoss(String newLoss) {
    return new GradientSettings(
        newLoss,
        huberDelta,
        fitIntercept,
        classWeights,
        classWeightValues,
        blockSize,
        precision,
        aggregationDepth,
        seed);
  }
}

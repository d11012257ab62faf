package dev.arbor.train.nn;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import dev.arbor.model.NetworkModel;
import dev.arbor.nn.Activation;
import dev.arbor.nn.Architecture;
import dev.arbor.nn.OutputLayer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code train.mlp} section, resolved and validated: the shape of the network family's model
 * and how its mini-batch steps are distributed. The output layer is not configured: it follows the
 * task ({@link NetworkModel#outputLayer}), and {@code train.loss} must name the loss that goes with
 * it.
 *
 * @param hiddenLayers the hidden layers' sizes (each {@code >= 1}; empty: no hidden layer)
 * @param activation the hidden layers' activation
 * @param dropout the probability of dropping a hidden unit while training, in {@code [0, 1)}
 * @param averageEvery local steps per averaging round ({@code 0}: synchronous global mini-batches)
 * @param partitions the shards the training rows are split into ({@code 0}: Spark's default
 *     parallelism)
 */
public record NetworkSettings(
    int[] hiddenLayers, Activation activation, double dropout, int averageEvery, int partitions) {

  /** {@code train.model}: which family trains ({@code linear} or {@code mlp}). */
  public static final String MODEL_KEY = "train.model";

  /** The value of {@link #MODEL_KEY} that selects this family. */
  public static final String MLP = "mlp";

  public NetworkSettings {
    hiddenLayers = hiddenLayers.clone();
  }

  /** Whether the config selects the network family. */
  public static boolean selected(ArborConfig config) {
    return config.oneOf(MODEL_KEY, "linear", MLP).equals(MLP);
  }

  /**
   * Reads {@code train.mlp}.
   *
   * @throws ConfigException naming the key, the value and what is allowed
   */
  public static NetworkSettings from(ArborConfig config) {
    List<String> raw;
    try {
      raw = config.strings("train.mlp.hidden-layers");
    } catch (ConfigException e) {
      throw ArborConfig.outOfRange(
          "train.mlp.hidden-layers",
          config.raw().getValue("train.mlp.hidden-layers").unwrapped(),
          "a list of layer sizes >= 1, e.g. [128]");
    }
    int[] hidden = new int[raw.size()];
    for (int i = 0; i < hidden.length; i++) {
      int size;
      try {
        size = Integer.parseInt(raw.get(i).trim());
      } catch (NumberFormatException e) {
        size = 0;
      }
      if (size < 1) {
        throw ArborConfig.outOfRange(
            "train.mlp.hidden-layers", raw, "a list of layer sizes >= 1, e.g. [128]");
      }
      hidden[i] = size;
    }
    Activation activation;
    try {
      activation = Activation.fromConfig(config.string("train.mlp.activation"));
    } catch (IllegalArgumentException e) {
      throw ArborConfig.outOfRange(
          "train.mlp.activation",
          config.string("train.mlp.activation"),
          "one of relu, leaky-relu, tanh, sigmoid");
    }
    double dropout = config.number("train.mlp.dropout");
    if (!(dropout >= 0 && dropout < 1)) {
      throw ArborConfig.outOfRange("train.mlp.dropout", dropout, "a number in [0, 1)");
    }
    int averageEvery = config.intInRange("train.mlp.average-every", 0, Integer.MAX_VALUE);
    int partitions = config.intInRange("train.mlp.partitions", 0, 100_000);
    return new NetworkSettings(hidden, activation, dropout, averageEvery, partitions);
  }

  /**
   * The architecture for a task, checking that {@code loss} ({@code train.loss}) is the one its
   * output layer minimizes.
   *
   * @throws ConfigException when the loss does not fit the task
   */
  public Architecture architecture(
      int numFeatures, Task task, int numClasses, String loss, double huberDelta) {
    OutputLayer out = checkLoss(task, loss);
    int outputs = out == OutputLayer.SOFTMAX_CROSS_ENTROPY ? numClasses : 1;
    return new Architecture(
        numFeatures, hiddenLayers, activation, outputs, out, huberDelta, dropout);
  }

  /**
   * The output layer of {@code task}, checking that {@code loss} ({@code train.loss}) is the one it
   * minimizes.
   *
   * @throws ConfigException naming {@code train.loss} when it does not fit the task
   */
  public static OutputLayer checkLoss(Task task, String loss) {
    OutputLayer out = NetworkModel.outputLayer(task, loss);
    if (!out.lossName().equals(loss)) {
      String expected =
          switch (task) {
            case BINARY -> "logistic";
            case MULTICLASS -> "multinomial";
            case REGRESSION -> "squared or huber";
          };
      throw new ConfigException(
          "Invalid config value for 'train.loss': "
              + loss
              + " (expected "
              + expected
              + " for an mlp on a "
              + task.name().toLowerCase(Locale.ROOT)
              + " task)");
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkSettings s
        && Arrays.equals(hiddenLayers, s.hiddenLayers)
        && activation == s.activation
        && Double.compare(dropout, s.dropout) == 0
        && averageEvery == s.averageEvery
        && partitions == s.partitions;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hiddenLayers) * 31 + activation.hashCode();
  }

  @Override
  public String toString() {
    return "mlp(hidden-layers="
        + Arrays.toString(hiddenLayers)
        + ", activation="
        + activation.configName()
        + ", dropout="
        + dropout
        + ", average-every="
        + averageEvery
        + ", partitions="
        + partitions
        + ")";
  }
}

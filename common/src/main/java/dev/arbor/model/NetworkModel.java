package dev.arbor.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.ingest.Task;
import dev.arbor.nn.Activation;
import dev.arbor.nn.Architecture;
import dev.arbor.nn.OutputLayer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A trained multilayer perceptron: the {@link Model} of the {@value #FAMILY} family, scored with a
 * partition function ({@link NetworkScoring}). The network acts on the prepared features; its shape
 * is {@link #architecture()} and its weights are laid out as {@link Architecture} says.
 *
 * @param format version of the JSON layout ({@value #FORMAT})
 * @param name the model name
 * @param runDate the logical run date
 * @param task what the label is
 * @param loss the output layer's loss ({@code multinomial}, {@code logistic}, {@code squared},
 *     {@code huber})
 * @param classes original label values in class-index order (empty for regression)
 * @param features prepared feature column names, in input order
 * @param hiddenLayers the hidden layers' sizes
 * @param activation the hidden layers' activation ({@code relu}, …)
 * @param huberDelta {@code δ} of the Huber loss
 * @param dropout the training dropout probability (inference never drops)
 * @param weights every weight and bias, in {@link Architecture}'s layout
 * @param centers per feature, the prep model's center (0 when unscaled)
 * @param scales per feature, the prep model's scale (1 when unscaled)
 * @param threshold binary decision threshold on the score
 * @param prepModel location of the prep model the features come from
 * @param config the resolved configuration
 * @param dataFingerprint SHA-256 of the prepared training split's content
 * @param optimizer the optimizer's {@code toString()}
 * @param stopReason why training stopped
 * @param trainObjective the final regularized training objective
 * @param history per-epoch records
 * @param candidates model-selection candidates
 * @param versions software versions (arbor, spark, java, blas)
 */
public record NetworkModel(
    int format,
    String name,
    LocalDate runDate,
    Task task,
    String loss,
    List<String> classes,
    List<String> features,
    int[] hiddenLayers,
    String activation,
    double huberDelta,
    double dropout,
    double[] weights,
    double[] centers,
    double[] scales,
    double threshold,
    String prepModel,
    JsonNode config,
    String dataFingerprint,
    String optimizer,
    String stopReason,
    double trainObjective,
    List<TrainingStep> history,
    List<CandidateResult> candidates,
    Map<String, String> versions)
    implements Model {

  /** The family name, written as {@code family} in {@code model.json}. */
  public static final String FAMILY = "mlp";

  /** The JSON layout version this code writes and reads. */
  public static final int FORMAT = 1;

  public NetworkModel {
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "Invalid model format: " + format + " (expected " + FORMAT + ")");
    }
    if (task == null || runDate == null) {
      throw new IllegalArgumentException(
          "Invalid model: task " + task + " and run date " + runDate + " (expected both)");
    }
    classes = List.copyOf(classes);
    features = List.copyOf(features);
    hiddenLayers = hiddenLayers.clone();
    history = List.copyOf(history);
    candidates = List.copyOf(candidates);
    versions = Map.copyOf(versions);
    Architecture arch =
        architectureOf(
            task, loss, classes, features, hiddenLayers, activation, huberDelta, dropout);
    if (centers.length != features.size() || scales.length != features.size()) {
      throw new IllegalArgumentException(
          "Invalid model: "
              + centers.length
              + " centers and "
              + scales.length
              + " scales for "
              + features.size()
              + " features");
    }
    if (weights.length != arch.dimension()) {
      throw new IllegalArgumentException(
          "Invalid model: "
              + weights.length
              + " weights for "
              + arch.describe()
              + " (expected "
              + arch.dimension()
              + ")");
    }
  }

  /** A model of {@code weights} with no training record yet (see {@link #withTraining}). */
  public static NetworkModel of(
      String name,
      LocalDate runDate,
      Task task,
      String loss,
      List<String> classes,
      List<String> features,
      Architecture arch,
      double[] weights,
      double[] centers,
      double[] scales) {
    return new NetworkModel(
        FORMAT,
        name,
        runDate,
        task,
        loss,
        classes,
        features,
        arch.hiddenSizes(),
        arch.activation().configName(),
        arch.huberDelta(),
        arch.dropout(),
        weights,
        centers,
        scales,
        0.5,
        "",
        null,
        "",
        "",
        "",
        Double.NaN,
        List.of(),
        List.of(),
        Map.of());
  }

  /** This model with what its run records about the training. */
  public NetworkModel withTraining(
      String prepModel,
      JsonNode config,
      String dataFingerprint,
      String optimizer,
      String stopReason,
      double trainObjective,
      List<TrainingStep> history,
      List<CandidateResult> candidates,
      Map<String, String> versions) {
    return new NetworkModel(
        format,
        name,
        runDate,
        task,
        loss,
        classes,
        features,
        hiddenLayers,
        activation,
        huberDelta,
        dropout,
        weights,
        centers,
        scales,
        threshold,
        prepModel,
        config,
        dataFingerprint,
        optimizer,
        stopReason,
        trainObjective,
        history,
        candidates,
        versions);
  }

  /**
   * The weights moved into another prepared space (a warm start on today's prep model): the first
   * layer acts on {@code (raw − center)/scale}, so {@code W_raw = W/scale} and {@code b_raw = b − Σ
   * W·center/scale}, then {@code W' = W_raw·scale'} and {@code b' = b_raw + Σ W_raw·center'}. The
   * other layers do not see the features and stay as they are.
   */
  public double[] weightsIn(double[] newCenters, double[] newScales) {
    Architecture arch = architecture();
    double[] w = weights.clone();
    int d = arch.numInputs();
    int units = arch.size(1);
    int wOff = arch.weightOffset(0);
    int bOff = arch.biasOffset(0);
    for (int j = 0; j < units; j++) {
      double b = weights[bOff + j];
      for (int i = 0; i < d; i++) {
        double raw = weights[wOff + j * d + i] / scales[i];
        b += raw * (newCenters[i] - centers[i]);
        w[wOff + j * d + i] = raw * newScales[i];
      }
      w[bOff + j] = b;
    }
    return w;
  }

  /** The output layer a task and loss give ({@code train.loss} names the regression loss). */
  public static OutputLayer outputLayer(Task task, String loss) {
    return switch (task) {
      case MULTICLASS -> OutputLayer.SOFTMAX_CROSS_ENTROPY;
      case BINARY -> OutputLayer.SIGMOID_LOG_LOSS;
      case REGRESSION ->
          "huber".equals(loss) ? OutputLayer.IDENTITY_HUBER : OutputLayer.IDENTITY_SQUARED;
    };
  }

  private static Architecture architectureOf(
      Task task,
      String loss,
      List<String> classes,
      List<String> features,
      int[] hidden,
      String activation,
      double huberDelta,
      double dropout) {
    OutputLayer out = outputLayer(task, loss);
    int outputs = out == OutputLayer.SOFTMAX_CROSS_ENTROPY ? classes.size() : 1;
    return new Architecture(
        features.size(),
        hidden,
        Activation.fromConfig(activation),
        outputs,
        out,
        huberDelta,
        dropout);
  }

  /** The network's shape. */
  public Architecture architecture() {
    return architectureOf(
        task, loss, classes, features, hiddenLayers, activation, huberDelta, dropout);
  }

  @Override
  @JsonProperty("family")
  public String family() {
    return FAMILY;
  }

  @Override
  public String configJson() {
    return config == null || config.isNull() ? "" : config.toString();
  }

  /** SHA-256 of the features, the architecture and every weight. */
  @Override
  public String weightsFingerprint() {
    String text =
        features
            + "|"
            + architecture().describe()
            + "|"
            + loss
            + "|"
            + java.util.Arrays.toString(weights);
    return "sha256:"
        + DataFingerprint.sha256Hex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A partition function over blocks of rows: see {@link NetworkScoring}. */
  @Override
  public Dataset<Row> score(Dataset<Row> prepared, double threshold) {
    return NetworkScoring.score(prepared, this, threshold);
  }

  /**
   * Per layer ({@code group} = {@code layer 1 (784 → 128 relu)}): the number of weights and biases,
   * the L2 norm, mean absolute value and largest absolute value of its weight matrix, and the L2
   * norm of its biases. A network has no per-feature coefficient, so {@code value} and {@code
   * trainedValue} are equal.
   */
  @Override
  public List<ParameterRow> parameterRows() {
    Architecture arch = architecture();
    List<ParameterRow> out = new ArrayList<>();
    for (int l = 0; l < arch.numLayers(); l++) {
      int in = arch.size(l);
      int units = arch.size(l + 1);
      String kind =
          l + 1 < arch.numLayers()
              ? arch.activation().configName()
              : arch.output().activationName();
      String group = String.format(Locale.ROOT, "layer %d (%d → %d %s)", l + 1, in, units, kind);
      double sumSq = 0;
      double sumAbs = 0;
      double maxAbs = 0;
      for (int i = arch.weightOffset(l); i < arch.biasOffset(l); i++) {
        double a = Math.abs(weights[i]);
        sumSq += a * a;
        sumAbs += a;
        maxAbs = Math.max(maxAbs, a);
      }
      double biasSq = 0;
      for (int j = 0; j < units; j++) {
        double b = weights[arch.biasOffset(l) + j];
        biasSq += b * b;
      }
      int n = in * units;
      add(out, group, "parameters", n + units);
      add(out, group, "weight_l2_norm", Math.sqrt(sumSq));
      add(out, group, "weight_mean_abs", sumAbs / n);
      add(out, group, "weight_max_abs", maxAbs);
      add(out, group, "bias_l2_norm", Math.sqrt(biasSq));
    }
    return out;
  }

  private static void add(List<ParameterRow> out, String group, String name, double value) {
    out.add(new ParameterRow(group, name, value, value));
  }
}

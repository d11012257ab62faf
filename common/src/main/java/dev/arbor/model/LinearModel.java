package dev.arbor.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.ingest.Task;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A trained linear model: the {@link Model} of the {@value Model#LINEAR} family, scored with Column
 * expressions ({@link Scoring}).
 *
 * <p>Weights are kept in two spaces. {@link #coefficients}/{@link #intercepts} act on the prepared
 * features (what the optimizer fitted; scoring of prepared splits uses them). {@link
 * #originalCoefficients}/{@link #originalIntercepts} act on the original units of each feature,
 * mapped back through the prep model's scaling {@code prepared = (raw − center) / scale}: {@code
 * w_raw = w / scale} and {@code b_raw = b − Σ w·center / scale}. Output {@code k} (one output for
 * binary and regression, one per class for multiclass) has margin {@code intercepts[k] + Σ_j
 * coefficients[k][j]·x_j}.
 *
 * @param format version of the JSON layout ({@value #FORMAT})
 * @param name the model name ({@code model.name})
 * @param runDate the logical run date ({@code YYYY-MM-DD} in the file)
 * @param task what the label is ({@code binary}, {@code multiclass} or {@code regression} in the
 *     file)
 * @param loss the loss name ({@code logistic}, {@code multinomial}, {@code squared}, …)
 * @param classes original label values in class-index order (empty for regression)
 * @param features prepared feature column names, in weight order
 * @param coefficients {@code K × d} weights on the prepared features
 * @param intercepts {@code K} intercepts on the prepared features (0 when not fitted)
 * @param fitIntercept whether intercepts were fitted
 * @param centers per feature, the prep model's center (0 when unscaled)
 * @param scales per feature, the prep model's scale (1 when unscaled)
 * @param originalCoefficients {@code K × d} weights on the original units
 * @param originalIntercepts {@code K} intercepts on the original units
 * @param threshold binary decision threshold on the score
 * @param prepModel location of the prep model the features come from
 * @param config the resolved configuration ({@code ArborConfig.canonicalJson()})
 * @param dataFingerprint SHA-256 of the prepared training split's content (see {@code
 *     DataFingerprint})
 * @param optimizer the optimizer's {@code toString()}, or {@code normal-equations}
 * @param stopReason why training stopped
 * @param trainObjective the final regularized training objective
 * @param history per-iteration records
 * @param candidates model-selection candidates (one entry, selected, without a grid)
 * @param versions software versions (arbor, spark, java)
 */
public record LinearModel(
    int format,
    String name,
    LocalDate runDate,
    Task task,
    String loss,
    List<String> classes,
    List<String> features,
    double[][] coefficients,
    double[] intercepts,
    boolean fitIntercept,
    double[] centers,
    double[] scales,
    double[][] originalCoefficients,
    double[] originalIntercepts,
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

  /** The JSON layout version this code writes and reads. */
  public static final int FORMAT = 1;

  public LinearModel {
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "Invalid model format: " + format + " (expected " + FORMAT + ")");
    }
    if (task == null || runDate == null) {
      throw new IllegalArgumentException(
          "Invalid model: task " + task + " and run date " + runDate + " (expected both)");
    }
    int k = coefficients.length;
    int d = features.size();
    int expectedOutputs = task == Task.MULTICLASS ? classes.size() : 1;
    if (k != expectedOutputs || intercepts.length != k) {
      throw new IllegalArgumentException(
          "Invalid model: "
              + k
              + " coefficient rows and "
              + intercepts.length
              + " intercepts (expected "
              + expectedOutputs
              + " for task "
              + task
              + ")");
    }
    for (double[] row : coefficients) {
      if (row.length != d) {
        throw new IllegalArgumentException(
            "Invalid model: a coefficient row has "
                + row.length
                + " weights for "
                + d
                + " features");
      }
    }
    if (centers.length != d || scales.length != d) {
      throw new IllegalArgumentException(
          "Invalid model: "
              + centers.length
              + " centers and "
              + scales.length
              + " scales for "
              + d
              + " features");
    }
    classes = List.copyOf(classes);
    features = List.copyOf(features);
    history = List.copyOf(history);
    candidates = List.copyOf(candidates);
    versions = Map.copyOf(versions);
  }

  /** {@value Model#LINEAR}, written as {@code family} in {@code model.json}. */
  @Override
  @JsonProperty("family")
  public String family() {
    return LINEAR;
  }

  @Override
  public String configJson() {
    return config == null || config.isNull() ? "" : config.toString();
  }

  /** Column expressions: see {@link Scoring}. */
  @Override
  public Dataset<Row> score(Dataset<Row> prepared, double threshold) {
    return Scoring.score(prepared, this, threshold);
  }

  /** Coefficients in original units and as trained; intercepts as {@code (intercept)}. */
  @Override
  public List<ParameterRow> parameterRows() {
    List<ParameterRow> out = new ArrayList<>();
    boolean perClass = task == Task.MULTICLASS;
    for (int k = 0; k < numOutputs(); k++) {
      String className = perClass ? classes.get(k) : null;
      if (fitIntercept) {
        out.add(new ParameterRow(className, "(intercept)", originalIntercepts[k], intercepts[k]));
      }
      for (int j = 0; j < features.size(); j++) {
        out.add(
            new ParameterRow(
                className, features.get(j), originalCoefficients[k][j], coefficients[k][j]));
      }
    }
    return out;
  }

  /** SHA-256 of the features, coefficients and intercepts (prepared space). */
  @Override
  public String weightsFingerprint() {
    String text =
        features
            + "|"
            + java.util.Arrays.deepToString(coefficients)
            + "|"
            + java.util.Arrays.toString(intercepts);
    return "sha256:"
        + DataFingerprint.sha256Hex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The number of outputs (margins) K. */
  public int numOutputs() {
    return coefficients.length;
  }

  /**
   * Maps weights on prepared features back to original units (see the class comment).
   *
   * @return {@code [K][d+1]}: coefficients then the intercept in the last column
   */
  public static double[][] toOriginalSpace(
      double[][] coefficients, double[] intercepts, double[] centers, double[] scales) {
    int d = centers.length;
    double[][] out = new double[coefficients.length][d + 1];
    for (int k = 0; k < coefficients.length; k++) {
      double b = intercepts[k];
      for (int j = 0; j < d; j++) {
        double w = coefficients[k][j] / scales[j];
        out[k][j] = w;
        b -= w * centers[j];
      }
      out[k][d] = b;
    }
    return out;
  }

  /** Starts a model from weights on the prepared features. */
  public static Builder builder(String name, LocalDate runDate, Task task, String loss) {
    return new Builder(name, runDate, task, loss);
  }

  /** Collects the parts of a model; {@link #build()} derives the original-space weights. */
  public static final class Builder {
    private final String name;
    private final LocalDate runDate;
    private final Task task;
    private final String loss;
    private List<String> classes = List.of();
    private List<String> features = List.of();
    private double[][] coefficients = new double[0][];
    private double[] intercepts = new double[0];
    private boolean fitIntercept = true;
    private double[] centers;
    private double[] scales;
    private double threshold = 0.5;
    private String prepModel = "";
    private JsonNode config = com.fasterxml.jackson.databind.node.NullNode.getInstance();
    private String dataFingerprint = "";
    private String optimizer = "";
    private String stopReason = "";
    private double trainObjective = Double.NaN;
    private List<TrainingStep> history = List.of();
    private List<CandidateResult> candidates = List.of();
    private Map<String, String> versions = Map.of();

    private Builder(String name, LocalDate runDate, Task task, String loss) {
      this.name = name;
      this.runDate = runDate;
      this.task = task;
      this.loss = loss;
    }

    public Builder classes(List<String> value) {
      this.classes = value;
      return this;
    }

    /**
     * The fitted weights on the prepared features.
     *
     * @param featureNames the prepared feature names, in weight order
     * @param coefficientRows {@code K × d}
     * @param interceptValues {@code K} (zeros when no intercept was fitted)
     */
    public Builder weights(
        List<String> featureNames,
        double[][] coefficientRows,
        double[] interceptValues,
        boolean withIntercept) {
      this.features = featureNames;
      this.coefficients = coefficientRows;
      this.intercepts = interceptValues;
      this.fitIntercept = withIntercept;
      return this;
    }

    /** The prep model's scaling, {@code prepared = (raw − center) / scale}; default identity. */
    public Builder scaling(double[] featureCenters, double[] featureScales) {
      this.centers = featureCenters;
      this.scales = featureScales;
      return this;
    }

    public Builder threshold(double value) {
      this.threshold = value;
      return this;
    }

    public Builder prepModel(String value) {
      this.prepModel = value;
      return this;
    }

    public Builder config(JsonNode value) {
      this.config = value;
      return this;
    }

    public Builder dataFingerprint(String value) {
      this.dataFingerprint = value;
      return this;
    }

    public Builder training(
        String optimizerName, String stop, double objective, List<TrainingStep> steps) {
      this.optimizer = optimizerName;
      this.stopReason = stop;
      this.trainObjective = objective;
      this.history = steps;
      return this;
    }

    public Builder candidates(List<CandidateResult> value) {
      this.candidates = value;
      return this;
    }

    public Builder versions(Map<String, String> value) {
      this.versions = value;
      return this;
    }

    public LinearModel build() {
      int d = features.size();
      double[] c = centers != null ? centers : new double[d];
      double[] sc = scales;
      if (sc == null) {
        sc = new double[d];
        java.util.Arrays.fill(sc, 1.0);
      }
      double[][] original = toOriginalSpace(coefficients, intercepts, c, sc);
      double[][] originalCoefficients = new double[original.length][];
      double[] originalIntercepts = new double[original.length];
      for (int k = 0; k < original.length; k++) {
        originalCoefficients[k] = java.util.Arrays.copyOf(original[k], d);
        originalIntercepts[k] = original[k][d];
      }
      return new LinearModel(
          FORMAT,
          name,
          runDate,
          task,
          loss,
          classes,
          features,
          coefficients,
          intercepts,
          fitIntercept,
          c,
          sc,
          originalCoefficients,
          originalIntercepts,
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
  }
}

package dev.arbor.model;

import dev.arbor.ingest.Task;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A trained model of some family: the artifact the {@code train} stage writes ({@link ModelStore})
 * and the only view of it the {@code evaluate}, {@code promote}, {@code score} and {@code report}
 * stages have. A family (linear: {@link LinearModel}; others plug in beside it) implements this
 * contract and registers its reader in {@link ModelStore}; no stage branches on the family.
 *
 * <p>Call order: a model is built once by its family's trainer (or read by {@link
 * ModelStore#read}); afterwards it is immutable. {@link #score} may be called any number of times,
 * from any thread that owns the Spark session, and only builds a lazy plan. Implementations must be
 * immutable and therefore thread-safe; {@link #score} must not collect data to the driver.
 *
 * <p>What the evaluation tables take from a model: {@link #history} (the {@code history} table),
 * {@link #candidates} (the {@code candidates} table and the candidate rows of {@code history}),
 * {@link #parameterRows} (the {@code coefficients} table), {@link #configJson} and {@link
 * #dataFingerprint} (the run id). The metrics come from the Predictions {@link #score} returns.
 */
public interface Model {
  /** The family name of linear models; a {@code model.json} without {@code family} is linear. */
  String LINEAR = "linear";

  /** The family name, written as {@code family} in {@code model.json} (e.g. {@code linear}). */
  String family();

  /** The model name ({@code model.name}). */
  String name();

  /** The logical run date the model was trained for. */
  LocalDate runDate();

  /** What the label is. */
  Task task();

  /** Original label values in class-index order (empty for regression). */
  List<String> classes();

  /** Prepared feature column names the model reads, in the order it was fitted on. */
  List<String> features();

  /** The binary decision threshold on the score that {@link #score(Dataset)} applies. */
  double threshold();

  /** Location of the prep model the features come from ({@code ""} when unknown). */
  String prepModel();

  /** The training configuration as JSON text, or {@code ""} when the model has none (run ids). */
  String configJson();

  /** SHA-256 of the prepared training split's content (see {@link DataFingerprint}). */
  String dataFingerprint();

  /** How the weights were found (the optimizer's description, e.g. {@code lbfgs(m=10)}). */
  String optimizer();

  /** Why training stopped (e.g. {@code CONVERGED}, {@code CLOSED_FORM}). */
  String stopReason();

  /** The regularized training objective of the kept weights. */
  double trainObjective();

  /** Per-iteration (per-epoch) records of the kept fit. */
  List<TrainingStep> history();

  /** Model-selection candidates (one entry, selected, without a grid). */
  List<CandidateResult> candidates();

  /** Software versions the model was trained with (arbor, spark, java). */
  Map<String, String> versions();

  /**
   * What makes two models of the family the same model: a fingerprint ({@code sha256:<hex>}) of the
   * features and every fitted weight (the run id is not enough: it changes with settings that leave
   * the weights alone). The gate's rejection memory matches models by it.
   */
  String weightsFingerprint();

  /**
   * The model's rows for the {@code coefficients} table: a linear model gives one row per (class,
   * feature) and intercept; a family without per-feature weights summarizes its parameters (e.g.
   * one row per layer and statistic, {@code group} naming the layer).
   */
  List<ParameterRow> parameterRows();

  /**
   * Scores prepared rows into the Predictions contract: {@code row_id}, {@code label}, {@code
   * weight} (those present in the input), {@code prediction}, and {@code score} = P(label = 1) for
   * binary or {@code prob_0 … prob_{K−1}} for multiclass. Implementations may use Column
   * expressions (RAPIDS-eligible) or a partition function; the result is a lazy plan.
   *
   * @param prepared rows with the model's {@link #features} as DOUBLE columns
   * @param threshold the binary decision threshold (ignored for other tasks)
   * @throws dev.arbor.DataValidationException when a feature column is missing (see {@link
   *     Scoring#requireFeatures})
   */
  Dataset<Row> score(Dataset<Row> prepared, double threshold);

  /** Scores prepared rows with the model's own {@link #threshold}. */
  default Dataset<Row> score(Dataset<Row> prepared) {
    return score(prepared, threshold());
  }

  /**
   * One row a model contributes to the {@code coefficients} table.
   *
   * @param group the class (multiclass linear), a layer name, or {@code null}
   * @param name the feature name, {@code (intercept)}, or a statistic's name
   * @param value the value in the original units of the feature (what a user reads)
   * @param trainedValue the value as trained (on the prepared feature)
   */
  record ParameterRow(String group, String name, double value, double trainedValue) {}
}

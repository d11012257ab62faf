package dev.arbor.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructType;

/**
 * The evaluation tables, schema version {@value #SCHEMA_VERSION}. Every table starts with {@code
 * model}, {@code run_date}, {@code run_id} and is partitioned by {@code run_date} and {@code model}
 * (identity transforms). Column comments are stored in the Iceberg schema ({@code DESCRIBE}).
 */
public enum TableDefinitions {
  RUNS(
      "One row per run (model and run date): what ran, on which data and configuration, how long"
          + " and how it ended; written last by evaluate, so a succeeded run has all its rows.",
      col("task", "STRING", "binary, multiclass or regression"),
      col(
          "status",
          "STRING",
          "succeeded (evaluation committed), failed (a stage failed, see message) or running"
              + " (prepare or train done, evaluation not yet written)"),
      col("started_at", "TIMESTAMP", "when the run started (UTC)"),
      col("finished_at", "TIMESTAMP", "when the run ended (UTC)"),
      col("config_json", "STRING", "resolved configuration, canonical JSON, secrets redacted"),
      col(
          "data_fingerprint",
          "STRING",
          "hash identifying the input data (the train split's fingerprint, from the model)"),
      col("rows_train", "BIGINT", "rows in the train split"),
      col("rows_validation", "BIGINT", "rows in the validation split"),
      col("rows_test", "BIGINT", "rows in the test split"),
      col("rows_rejected", "BIGINT", "rows rejected by prepare's data validation"),
      col("prepare_ms", "BIGINT", "prepare stage duration, milliseconds"),
      col("train_ms", "BIGINT", "train stage duration, milliseconds"),
      col("evaluate_ms", "BIGINT", "evaluate stage duration, milliseconds"),
      col("arbor_version", "STRING", "Arbor version that produced the run"),
      col("spark_version", "STRING", "Spark version that produced the run"),
      col("iceberg_version", "STRING", "Iceberg version that produced the run"),
      col(
          "message",
          "STRING",
          "error message of a failed run (<stage>: <error> when written by the stage ledger),"
              + " or a note"),
      col(
          "stages",
          "MAP<STRING, STRUCT<status: STRING, input_fingerprint: STRING, config_hash: STRING,"
              + " output_fingerprint: STRING, started_at: TIMESTAMP, finished_at: TIMESTAMP,"
              + " duration_ms: BIGINT, message: STRING>>",
          "stage name to its recorded outcome (the stage ledger); added in schema version 2")),
  METRICS(
      "Metrics in long format: one row per split and metric (and class for per-class metrics).",
      col("split", "STRING", "train, validation or test"),
      col("metric", "STRING", "metric name, e.g. auc_roc, f1, log_loss, rmse"),
      col("value", "DOUBLE", "metric value"),
      col(
          "threshold",
          "DOUBLE",
          "decision threshold of a threshold metric (the value is at it); null otherwise"),
      col("class", "STRING", "class of a per-class metric; null for overall metrics")),
  CURVES(
      "ROC, precision-recall and calibration curves of binary classifiers, point by point.",
      col("split", "STRING", "train, validation or test"),
      col("curve", "STRING", "roc, pr or calibration"),
      col("seq", "INT", "point order along the curve, from 0"),
      col(
          "x",
          "DOUBLE",
          "roc: false-positive rate; pr: recall; calibration: mean predicted probability in"
              + " the bin"),
      col(
          "y",
          "DOUBLE",
          "roc: true-positive rate; pr: precision; calibration: observed positive rate in the"
              + " bin"),
      col(
          "threshold",
          "DOUBLE",
          "roc/pr: score threshold of the point (Infinity for the first point, where nothing"
              + " is positive); calibration: upper edge of the bin"),
      col(
          "count",
          "BIGINT",
          "roc/pr: rows predicted positive at the threshold; calibration: rows in the bin")),
  CONFUSION(
      "Confusion matrices (binary: at evaluate.threshold); every cell, zeros included.",
      col("split", "STRING", "train, validation or test"),
      col("actual", "STRING", "true class (label, or class index)"),
      col("predicted", "STRING", "predicted class (label, or class index)"),
      col("count", "BIGINT", "number of rows"),
      col("weight", "DOUBLE", "sum of the rows' weights")),
  HISTORY(
      "Training history: one row per optimizer iteration of the kept model, and with several"
          + " candidates one summary row per candidate at its last iteration.",
      col(
          "candidate",
          "STRING",
          "final for the kept model's iterations; a candidate's summary row:"
              + " candidate-<index>[*] key=value,... (* = selected)"),
      col("iteration", "INT", "iteration number; a candidate row: its last iteration"),
      col(
          "train_loss",
          "DOUBLE",
          "training objective (loss plus regularization); a candidate row: its final one"),
      col(
          "validation_metric",
          "DOUBLE",
          "validation metric at this iteration, if computed; a candidate row: its selection"
              + " score"),
      col("gradient_norm", "DOUBLE", "Euclidean norm of the gradient; null in a candidate row"),
      col("step_size", "DOUBLE", "step size taken; null in a candidate row"),
      col(
          "elapsed_ms",
          "BIGINT",
          "milliseconds since the optimizer started; 0 in a candidate row")),
  COEFFICIENTS(
      "Model coefficients, per class for multiclass models.",
      col("class", "STRING", "class of the coefficient (multiclass); null otherwise"),
      col("feature", "STRING", "feature name as in the prep model, or (intercept)"),
      col("weight", "DOUBLE", "coefficient in the original units of the feature"),
      col("weight_scaled", "DOUBLE", "coefficient on the standardized feature, as trained")),
  PREDICTIONS(
      "Predictions per row (the test split; other splits when configured).",
      col("split", "STRING", "train, validation or test"),
      col("row_id", "STRING", "row identifier (the configured id column, or generated)"),
      col("label", "DOUBLE", "true label (class index for classification)"),
      col(
          "score",
          "DOUBLE",
          "binary: P(label = 1); multiclass: probability of the predicted class; regression: null"),
      col("prediction", "DOUBLE", "predicted value or class index"),
      col(
          "probabilities",
          "ARRAY<DOUBLE>",
          "multiclass: P(class k) for every class index k, so log loss and any other metric can"
              + " be recomputed; binary and regression: null; added in schema version 3")),
  CANDIDATES(
      "Model-selection candidates: per candidate one row with fold null (its score on the"
          + " validation split, or the mean over the folds), and under train.cv-folds one row per"
          + " fold.",
      col(
          "candidate_index",
          "INT",
          "position of the candidate (in train.candidates or the expanded train.grid), from 0"),
      col(
          "candidate",
          "STRING",
          "named by its settings, sorted keys without train., e.g."
              + " loss=hinge,regularization.strength=0.1; base without overrides"),
      col(
          "settings_json",
          "STRING",
          "the candidate's config overrides as a JSON object, e.g. {\"train.loss\":\"hinge\"}"),
      col("fold", "INT", "cross-validation fold, from 0; null: validation split or fold mean"),
      col(
          "metric",
          "STRING",
          "selection metric (train.selection-metric), e.g. auc, log-loss, rmse"),
      col(
          "score",
          "DOUBLE",
          "the metric's value; null when it could not be computed (e.g. no validation rows)"),
      col("selected", "BOOLEAN", "whether this candidate became the model")),
  PROMOTIONS(
      "Promotion gate decisions, one row per run that went through the gate: the run's model"
          + " (challenger) against the promoted one (champion).",
      col("metric", "STRING", "gate metric, e.g. auc_roc (test split)"),
      col(
          "challenger_score",
          "DOUBLE",
          "the run's test score by the metric (null when the run had none)"),
      col("champion_run_date", "DATE", "run date of the champion; null when there was none"),
      col("champion_run_id", "STRING", "run id of the champion; null when there was none"),
      col(
          "champion_score",
          "DOUBLE",
          "the champion's score on this run's test split; null when not compared"),
      col("tolerance", "DOUBLE", "largest allowed drop, in the metric's units"),
      col("decision", "STRING", "promoted, rejected or first"),
      col(
          "reason",
          "STRING",
          "why, e.g. test auc_roc 0.5000 vs champion 0.8130 (2024-03-02, run r-...): worse by"
              + " 0.3130 beyond tolerance 0.01"));

  /**
   * Version of the table layout written by this code, stored as {@value #VERSION_PROPERTY}. Version
   * 2 added {@code runs.stages}, version 3 {@code predictions.probabilities}; a table of an older
   * version is upgraded in place when opened (columns added at the end, see {@link
   * #FIRST_UPGRADABLE_VERSION}).
   */
  public static final int SCHEMA_VERSION = 3;

  /** The oldest layout version that {@code EvaluationTables.open} upgrades in place. */
  public static final int FIRST_UPGRADABLE_VERSION = 1;

  /** Table property holding the schema version. */
  public static final String VERSION_PROPERTY = "arbor.schema-version";

  /** A column: name, Spark SQL type, comment. */
  public record Column(String name, String type, String comment) {}

  /** The key columns every table starts with (a method: enum constructors run first). */
  static List<Column> keyColumns() {
    return List.of(
        col("model", "STRING", "model name (partition)"),
        col("run_date", "DATE", "logical run date (partition)"),
        col("run_id", "STRING", "id of the run attempt that wrote the row"));
  }

  private final String comment;
  private final List<Column> columns;

  TableDefinitions(String comment, Column... own) {
    this.comment = comment;
    List<Column> all = new ArrayList<>(keyColumns());
    all.addAll(List.of(own));
    this.columns = List.copyOf(all);
  }

  private static Column col(String name, String type, String comment) {
    return new Column(name, type, comment);
  }

  /** The table name: {@code runs}, {@code metrics}, ... */
  public String tableName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What the table holds. */
  public String comment() {
    return comment;
  }

  /** All columns, key columns first. */
  public List<Column> columns() {
    return columns;
  }

  /** The Spark schema of the rows written (every column nullable). */
  public StructType schema() {
    return StructType.fromDDL(
        columns.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", ")));
  }

  /** {@code CREATE TABLE IF NOT EXISTS} for the table under {@code qualifiedName}. */
  public String createStatement(String qualifiedName) {
    String cols =
        columns.stream()
            .map(c -> "  `" + c.name() + "` " + c.type() + " COMMENT '" + quote(c.comment()) + "'")
            .collect(Collectors.joining(",\n"));
    return "CREATE TABLE IF NOT EXISTS "
        + qualifiedName
        + " (\n"
        + cols
        + "\n) USING iceberg\nPARTITIONED BY (run_date, model)\nCOMMENT '"
        + quote(comment)
        + "'\nTBLPROPERTIES (\n  'format-version' = '2',\n  '"
        + VERSION_PROPERTY
        + "' = '"
        + SCHEMA_VERSION
        + "',\n  'commit.retry.num-retries' = '20',\n  'commit.retry.min-wait-ms' = '50')";
  }

  private static String quote(String text) {
    return text.replace("\\", "\\\\").replace("'", "\\'");
  }
}

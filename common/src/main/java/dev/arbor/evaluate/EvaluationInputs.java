package dev.arbor.evaluate;

import dev.arbor.catalog.CandidateRow;
import dev.arbor.catalog.CoefficientRow;
import dev.arbor.catalog.HistoryRow;
import dev.arbor.ingest.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Everything one evaluation reads, however it was loaded (see {@link RunArtifacts}). Immutable (the
 * frames are lazy Spark plans).
 *
 * @param task {@code binary}, {@code multiclass} or {@code regression}
 * @param classes original class values in class-index order (empty for regression)
 * @param predictions split name ({@code train}, {@code validation}, {@code test}) to its
 *     Predictions frame, in evaluation order; binary frames scored at the configured threshold
 * @param history the training history rows (every candidate's)
 * @param candidates the model-selection candidates' scores
 * @param coefficients the model's coefficients, intercepts included
 * @param configJson the resolved configuration as canonical JSON (secrets redacted)
 * @param dataFingerprint the fingerprint of the training data
 * @param counts row counts of the prepare stage
 * @param prepareMs duration of the prepare stage, or {@code null} when unknown
 * @param trainMs duration of the train stage, or {@code null} when unknown
 */
public record EvaluationInputs(
    Task task,
    List<String> classes,
    Map<String, Dataset<Row>> predictions,
    List<HistoryRow> history,
    List<CandidateRow> candidates,
    List<CoefficientRow> coefficients,
    String configJson,
    String dataFingerprint,
    RowCounts counts,
    Long prepareMs,
    Long trainMs) {

  /**
   * Row counts of a prepared run (any may be {@code null} when unknown).
   *
   * @param train rows in the train split
   * @param validation rows in the validation split
   * @param test rows in the test split
   * @param rejected input rows rejected by validation
   */
  public record RowCounts(Long train, Long validation, Long test, Long rejected) {
    /** Nothing known. */
    public static final RowCounts UNKNOWN = new RowCounts(null, null, null, null);
  }

  public EvaluationInputs {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(counts, "counts");
    classes = List.copyOf(classes);
    predictions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(predictions));
    history = List.copyOf(history);
    candidates = List.copyOf(candidates);
    coefficients = List.copyOf(coefficients);
  }

  /** A copy with the stage durations measured by the caller (the {@code pipeline} command). */
  public EvaluationInputs withTimings(Long prepare, Long train) {
    return new EvaluationInputs(
        task,
        classes,
        predictions,
        history,
        candidates,
        coefficients,
        configJson,
        dataFingerprint,
        counts,
        prepare != null ? prepare : prepareMs,
        train != null ? train : trainMs);
  }
}

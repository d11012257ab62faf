package dev.arbor.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.ingest.Task;
import dev.arbor.model.CandidateResult;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a run records in its model besides the fitted weights, for any family ({@link
 * CandidateFitter#model}): built by {@link Trainer} once the selection is done.
 *
 * @param name {@code model.name}
 * @param runDate the run date
 * @param task what the label is
 * @param classes label values in class-index order (empty for regression)
 * @param features prepared feature columns, in weight order
 * @param centers per feature, the prep model's center
 * @param scales per feature, the prep model's scale
 * @param prepModel where the prep model lives
 * @param config the resolved configuration ({@link TrainingSpec#config()})
 * @param dataFingerprint the train split's fingerprint
 * @param candidates every candidate's result, the chosen one marked selected
 * @param versions software versions (arbor, spark, java)
 */
public record ModelMetadata(
    String name,
    LocalDate runDate,
    Task task,
    List<String> classes,
    List<String> features,
    double[] centers,
    double[] scales,
    String prepModel,
    JsonNode config,
    String dataFingerprint,
    List<CandidateResult> candidates,
    Map<String, String> versions) {}

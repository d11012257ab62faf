package dev.arbor.model;

import java.util.List;
import java.util.Map;

/**
 * One candidate of a model selection: its settings and how it scored.
 *
 * @param index 0-based position in {@code train.candidates}
 * @param overrides the candidate's config overrides ({@code key -> value} as written), empty for
 *     the base settings
 * @param metric the selection metric's name
 * @param score the metric on the validation split, or the fold-size-weighted mean over the folds
 *     with cross-validation
 * @param foldScores the metric per fold (empty without cross-validation)
 * @param trainObjective the final training objective
 * @param iterations iterations (epochs) run
 * @param selected whether this candidate became the model
 */
public record CandidateResult(
    int index,
    Map<String, String> overrides,
    String metric,
    double score,
    List<Double> foldScores,
    double trainObjective,
    int iterations,
    boolean selected) {}

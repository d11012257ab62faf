package dev.arbor.catalog;

/**
 * One score of a model-selection candidate: a row of the {@code candidates} table (without the run
 * key).
 *
 * @param index the candidate's 0-based position (in {@code train.candidates} or the expanded {@code
 *     train.grid})
 * @param candidate the candidate named by its settings, e.g. {@code
 *     loss=hinge,regularization.strength=0.1} ({@code base} without overrides)
 * @param settingsJson the candidate's config overrides as a JSON object, keys sorted
 * @param fold the cross-validation fold the score is on (from 0), or {@code null} for the score on
 *     the validation split or the fold-size-weighted mean over the folds
 * @param metric the selection metric's name
 * @param score the score, or {@code null} when it could not be computed
 * @param selected whether the candidate became the model
 */
public record CandidateRow(
    int index,
    String candidate,
    String settingsJson,
    Integer fold,
    String metric,
    Double score,
    boolean selected) {}

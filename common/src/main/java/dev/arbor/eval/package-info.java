/**
 * Model evaluation contracts: the value types a metrics computation returns ({@link
 * dev.arbor.eval.Evaluation}: {@link dev.arbor.eval.Metric}s in long format, {@link
 * dev.arbor.eval.Curve}s, {@link dev.arbor.eval.ConfusionCell}s), the {@link
 * dev.arbor.eval.Evaluator} interface, the column names of the Predictions contract ({@link
 * dev.arbor.eval.PredictionColumns}) and the evaluation settings ({@link
 * dev.arbor.eval.EvalSettings}, section {@code evaluate} of {@code conf/arbor.conf}).
 *
 * <p>The implementations, which compute every metric with RAPIDS-eligible DataFrame operations, are
 * in {@code dev.arbor.eval.metrics}; the Iceberg tables that store the results are in {@code
 * dev.arbor.catalog}.
 *
 * <p>Conventions shared by every evaluator (they are also those of the golden test, see {@code
 * scripts/golden/eval_metrics_golden.py}):
 *
 * <ul>
 *   <li>Every metric that scikit-learn computes with {@code sample_weight} is weighted by the
 *       {@code weight} column (accuracy, precision, recall, F1, confusion matrix, AUC-ROC, average
 *       precision, log loss, Brier score, MSE, MAE, R², explained variance, positive rates); the
 *       calibration bins are not (scikit-learn's {@code calibration_curve} has no weights): they
 *       count rows.
 *   <li>Binary: a row is predicted positive when {@code score >= threshold}.
 *   <li>Probabilities are clipped to {@code [eps, 1 - eps]} with {@code eps = 2^-52} (the machine
 *       epsilon of a double, scikit-learn's {@code eps="auto"}) before the log loss, then each row
 *       is renormalized to sum to one, exactly as {@code sklearn.metrics.log_loss}.
 *   <li>A ratio whose denominator is zero (precision without predicted positives, ...) is 0, like
 *       scikit-learn's {@code zero_division=0}.
 * </ul>
 */
package dev.arbor.eval;

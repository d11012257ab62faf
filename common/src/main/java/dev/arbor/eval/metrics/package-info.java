/**
 * The evaluators of {@code dev.arbor.eval}: binary ({@link
 * dev.arbor.eval.metrics.BinaryEvaluator}), multiclass ({@link
 * dev.arbor.eval.metrics.MulticlassEvaluator}) and regression ({@link
 * dev.arbor.eval.metrics.RegressionEvaluator}), created through {@link
 * dev.arbor.eval.metrics.Evaluators}, and {@link dev.arbor.eval.metrics.MetricKernels}: the one
 * computation of each metric, which the evaluators build on and training calls for the one metric
 * it watches (early stopping, model selection).
 *
 * <p>Every metric is computed by a handful of Spark jobs built from plain Column expressions,
 * aggregations and ordered window functions (no UDFs), so the RAPIDS Accelerator can run them; the
 * driver only combines sums. Exact AUC-ROC and average precision follow scikit-learn: rows are
 * grouped by distinct score, true/false-positive weights are accumulated in descending score order
 * and integrated by trapezoids (ROC) or steps (average precision), so tied scores form one point.
 * The cumulative sums run in one ordered window over the distinct scores (one partition): the cost
 * is one sort of the distinct scores, not of the rows.
 */
package dev.arbor.eval.metrics;

/**
 * Loss functions of linear models as pure-Java, serializable aggregators (no Spark here).
 *
 * <p>A {@link dev.arbor.loss.LossFunction} describes one loss (its {@link
 * dev.arbor.loss.WeightLayout weight layout}, which labels it accepts) and creates a {@link
 * dev.arbor.loss.LossAggregator} for given weights. The aggregator folds {@link
 * dev.arbor.loss.Block blocks} of rows into a weight sum, a loss sum and a gradient sum, and merges
 * with other aggregators; the objective is the weighted mean {@code Σ wᵢ·lossᵢ / Σ wᵢ}. The Spark
 * gradient pass ({@code dev.arbor.train.pass}) runs aggregators in every partition and combines
 * them; the optimizers ({@code dev.arbor.optim}) never see this package. Implementations live in
 * {@code dev.arbor.loss.functions}. Regularization is not a loss: the optimizer side adds it on the
 * driver.
 */
package dev.arbor.loss;

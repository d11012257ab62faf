/**
 * The training split as the gradient pass reads it: {@link dev.arbor.train.data.TrainingBlocks}
 * converts a prepared split ({@code Dataset<Row>} with DOUBLE feature columns, {@code label} and
 * {@code weight}) once into per-partition {@link dev.arbor.loss.Block blocks} of dense primitive
 * arrays (float32 or float64 features, see {@link dev.arbor.train.data.Precision}), applies {@link
 * dev.arbor.train.data.ClassWeights class weights} to the instance weights, caches them (memory,
 * spilling to disk) and logs their size. {@link dev.arbor.train.data.BlockBuilder} is the pure-Java
 * row-to-block step shared with local (single-JVM) evaluation. The pass over the blocks lives in
 * {@code dev.arbor.train.pass}.
 */
package dev.arbor.train.data;

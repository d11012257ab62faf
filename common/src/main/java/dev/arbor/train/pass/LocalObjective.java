package dev.arbor.train.pass;

import dev.arbor.loss.Block;
import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.LossFunction;
import dev.arbor.optim.StochasticFunction;
import dev.arbor.train.data.BlockBuilder;
import dev.arbor.train.data.LabeledRow;
import dev.arbor.train.data.Precision;
import java.util.ArrayList;
import java.util.List;

/**
 * The same objective as {@link DistributedObjective}, folded in this JVM over plain rows: for
 * tests, the "distributed equals local" check and small problems. Rows are split into "partitions"
 * exactly as given, each folded in order by the same code as a Spark partition, and combined along
 * the same {@link FixedTreeSum} — so with the same partition contents, precision and depth the
 * result is bit-identical to the distributed one.
 *
 * <p>Class weights are not applied here: pass rows whose weights already include them.
 * Single-threaded; not thread-safe.
 */
public final class LocalObjective implements StochasticFunction {
  private final LossFunction loss;
  private final List<List<Block>> partitions;
  private final int[] levelSizes;
  private final long seed;
  private final long numExamples;

  private LocalObjective(
      LossFunction loss, List<List<Block>> partitions, int depth, long seed, long numExamples) {
    this.loss = loss;
    this.partitions = partitions;
    this.levelSizes = FixedTreeSum.levelSizes(partitions.size(), depth);
    this.seed = seed;
    this.numExamples = numExamples;
  }

  /** One partition holding {@code rows}. */
  public static LocalObjective of(
      LossFunction loss, List<LabeledRow> rows, Precision precision, long seed) {
    return ofPartitions(loss, List.of(rows), precision, 1, seed);
  }

  /**
   * Rows already split into partitions (partition {@code p} is {@code partitions.get(p)}).
   *
   * @param depth the aggregation tree depth ({@code >= 1}; {@link
   *     DistributedObjective#defaultDepth} to match a distributed objective built with depth 0)
   */
  public static LocalObjective ofPartitions(
      LossFunction loss,
      List<List<LabeledRow>> partitions,
      Precision precision,
      int depth,
      long seed) {
    int d = loss.layout().numFeatures();
    List<List<Block>> blocks = new ArrayList<>();
    long n = 0;
    for (List<LabeledRow> rows : partitions) {
      for (LabeledRow r : rows) {
        if (!loss.acceptsLabel(r.label())) {
          throw new IllegalArgumentException(
              "Invalid label for the " + loss.name() + " loss: " + r.label());
        }
      }
      blocks.add(BlockBuilder.blocksOf(rows, d, PartitionFold.BATCH_CHUNK_ROWS, precision));
      n += rows.size();
    }
    return new LocalObjective(loss, blocks, depth, seed, n);
  }

  @Override
  public int dimension() {
    return loss.layout().dimension();
  }

  @Override
  public long numExamples() {
    return numExamples;
  }

  @Override
  public double valueAndGradient(double[] weights, double[] gradient) {
    LossAggregator agg = aggregate(weights);
    agg.gradient(gradient);
    return agg.loss();
  }

  @Override
  public double batchValueAndGradient(double[] weights, double[] gradient, MiniBatch batch) {
    LossAggregator agg = aggregateBatch(weights, batch);
    agg.gradient(gradient);
    return agg.loss();
  }

  /** The summed aggregator over all rows. */
  public LossAggregator aggregate(double[] weights) {
    FixedTreeSum<LossAggregator> sum = FixedTreeSum.ofLosses(levelSizes);
    for (int p = 0; p < partitions.size(); p++) {
      sum.add(p, PartitionFold.full(loss, weights, partitions.get(p).iterator()));
    }
    return sum.result();
  }

  /** The summed aggregator over one mini-batch. */
  public LossAggregator aggregateBatch(double[] weights, MiniBatch batch) {
    FixedTreeSum<LossAggregator> sum = FixedTreeSum.ofLosses(levelSizes);
    for (int p = 0; p < partitions.size(); p++) {
      sum.add(p, PartitionFold.batch(loss, weights, partitions.get(p).iterator(), seed, batch, p));
    }
    return sum.result();
  }
}

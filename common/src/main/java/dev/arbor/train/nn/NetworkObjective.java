package dev.arbor.train.nn;

import dev.arbor.loss.Block;
import dev.arbor.nn.Architecture;
import dev.arbor.nn.Blas;
import dev.arbor.nn.NetworkGradient;
import dev.arbor.optim.LocalStepFunction;
import dev.arbor.optim.RuleState;
import dev.arbor.train.data.TrainingBlocks;
import dev.arbor.train.pass.DistributedObjective;
import dev.arbor.train.pass.FixedTreeSum;
import dev.arbor.train.pass.PartitionFold;
import dev.arbor.train.pass.RowPermutation;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network's training objective {@code f(w) = Σ wᵢ·loss(xᵢ, yᵢ; w) / Σ wᵢ} over cached {@link
 * TrainingBlocks}: full-batch and global mini-batch evaluations take one Spark job each (broadcast
 * the weights, fold each partition into a {@link NetworkGradient}, combine along a {@link
 * FixedTreeSum} with {@code treeAggregate}), and {@link #localSteps} runs a round of local steps on
 * every partition in one job. Regularization is added by the optimizer, as for the linear family.
 *
 * <p>Deterministic: the same blocks, partitioning and inputs give bit-identical results on every
 * call, re-run and task retry. Call from one driver thread; not thread-safe.
 */
public final class NetworkObjective implements LocalStepFunction {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkObjective.class);

  private final TrainingBlocks data;
  private final Architecture arch;
  private final int depth;
  private final long seed;
  private final int[] levelSizes;

  /**
   * @param data the cached blocks (not owned)
   * @param arch the network; its inputs must match the blocks' features
   * @param aggregationDepth {@code treeAggregate} depth {@code >= 1}, or 0 for the default
   * @param seed the seed of the mini-batch permutations and dropout masks
   */
  public NetworkObjective(TrainingBlocks data, Architecture arch, int aggregationDepth, long seed) {
    if (arch.numInputs() != data.numFeatures()) {
      throw new IllegalArgumentException(
          "Cannot build the network objective: the network has "
              + arch.numInputs()
              + " inputs but the blocks have "
              + data.numFeatures()
              + " features");
    }
    this.data = data;
    this.arch = arch;
    this.depth =
        aggregationDepth == 0
            ? DistributedObjective.defaultDepth(data.numPartitions())
            : aggregationDepth;
    this.seed = seed;
    this.levelSizes = FixedTreeSum.levelSizes(data.numPartitions(), depth);
    LOG.info(
        "Network objective: {} over {} rows in {} partitions, treeAggregate depth {}, BLAS {}",
        arch,
        data.numRows(),
        data.numPartitions(),
        depth,
        Blas.implementation());
  }

  public Architecture architecture() {
    return arch;
  }

  @Override
  public int dimension() {
    return arch.dimension();
  }

  @Override
  public long numExamples() {
    return data.numRows();
  }

  @Override
  public double valueAndGradient(double[] weights, double[] gradient) {
    Architecture a = arch;
    NetworkGradient sum =
        aggregate(
            weights,
            (w, p, blocks) -> {
              NetworkGradient g = new NetworkGradient(a, w);
              blocks.forEachRemaining(g::add);
              return g;
            });
    sum.gradient(gradient);
    return sum.loss();
  }

  @Override
  public double batchValueAndGradient(double[] weights, double[] gradient, MiniBatch batch) {
    Architecture a = arch;
    long s = seed;
    long epoch = batch.epoch();
    int step = batch.step();
    int steps = batch.stepsPerEpoch();
    NetworkGradient sum =
        aggregate(
            weights,
            (w, p, blocks) -> {
              ShardRows rows = new ShardRows(blocks, a.numInputs());
              NetworkGradient g = new NetworkGradient(a, w);
              long n = rows.numRows();
              long from = PartitionFold.sliceStart(n, step, steps);
              long to = PartitionFold.sliceStart(n, step + 1, steps);
              if (to > from) {
                int count = (int) (to - from);
                double[] x = new double[count * a.numInputs()];
                double[] labels = new double[count];
                double[] rowWeights = new double[count];
                RowPermutation perm = new RowPermutation(s, epoch, p, n);
                for (int q = 0; q < count; q++) {
                  rows.copy(perm.apply(from + q), x, labels, rowWeights, q);
                }
                g.add(Block.ofFloat64(a.numInputs(), x, labels, rowWeights));
              }
              return g;
            });
    if (!(sum.weightSum() > 0)) {
      throw new IllegalStateException(
          "Cannot evaluate mini-batch " + batch + ": it holds no rows with positive weight");
    }
    sum.gradient(gradient);
    return sum.loss();
  }

  /**
   * {@code ceil(rows / batchSize)}: as many steps per epoch as synchronous training over global
   * mini-batches of {@code batchSize} rows, each shard's step taking its share of a global batch
   * (about {@code batchSize · shardRows / rows} rows), so the batch size means the same with any
   * number of shards.
   */
  @Override
  public int localStepsPerEpoch(int batchSize) {
    long steps = (data.numRows() + batchSize - 1) / batchSize;
    if (steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Cannot run local steps: " + data.numRows() + " rows in batches of " + batchSize);
    }
    return (int) Math.max(1, steps);
  }

  @Override
  public int shards() {
    return data.numPartitions();
  }

  @Override
  public Round localSteps(RoundRequest request) {
    long started = System.nanoTime();
    JavaRDD<Block> blocks = data.rdd();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(blocks.context());
    // Java-serialized: Kryo cannot build records; the bytes are read once per task.
    Broadcast<byte[]> br = jsc.broadcast(JavaBytes.of(request));
    Architecture a = arch;
    long s = seed;
    boolean single = shards() == 1;
    boolean fail = DistributedObjective.failTaskOnce(jsc);
    try {
      Function2<Integer, Iterator<Block>, Iterator<Indexed<ShardSteps.Partial>>> f =
          (p, it) -> {
            DistributedObjective.failIfFirstAttempt(fail, p);
            RoundRequest r = JavaBytes.read(br.value(), RoundRequest.class);
            ShardRows rows = new ShardRows(it, a.numInputs());
            return Collections.singletonList(
                    new Indexed<>(p, ShardSteps.run(a, rows, p, s, r, r.weights(), !single)))
                .iterator();
          };
      ShardSteps.Partial sum =
          blocks
              .mapPartitionsWithIndex(f, false)
              .treeAggregate(
                  new FixedTreeSum<ShardSteps.Partial>(levelSizes, ShardSteps.Partial::merge),
                  (acc, part) -> acc.add(part.partition, part.value),
                  FixedTreeSum::merge,
                  depth)
              .result();
      int n = arch.dimension();
      if (!(sum.weightSum > 0)) {
        throw new IllegalStateException(
            "Cannot run local steps "
                + request.firstStep()
                + "–"
                + (request.firstStep() + request.steps() - 1)
                + " of epoch "
                + request.epoch()
                + ": no partition holds rows with positive weight");
      }
      double scale = 1 / sum.weightSum;
      double[] w = new double[n];
      double[] g = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = single ? sum.weightedWeights[i] : sum.weightedWeights[i] * scale;
        g[i] = sum.gradientSum[i] * scale;
      }
      RuleState state = single ? sum.weightedState : sum.weightedState.scaleVectors(scale);
      LOG.debug(
          "Local steps {}+{} of epoch {}: {} ms",
          request.firstStep(),
          request.steps(),
          request.epoch(),
          (System.nanoTime() - started) / 1_000_000);
      return new Round(w, state, sum.lossSum * scale, g);
    } finally {
      br.destroy();
    }
  }

  private interface Fold extends Serializable {
    NetworkGradient apply(double[] weights, int partition, Iterator<Block> blocks);
  }

  private NetworkGradient aggregate(double[] weights, Fold fold) {
    if (weights.length != dimension()) {
      throw new IllegalArgumentException(
          "Cannot evaluate the network objective: expected "
              + dimension()
              + " weights but got: "
              + weights.length);
    }
    JavaRDD<Block> blocks = data.rdd();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<double[]> bw = jsc.broadcast(weights.clone());
    boolean fail = DistributedObjective.failTaskOnce(jsc);
    try {
      Function2<Integer, Iterator<Block>, Iterator<Indexed<NetworkGradient>>> f =
          (p, it) -> {
            DistributedObjective.failIfFirstAttempt(fail, p);
            return Collections.singletonList(new Indexed<>(p, fold.apply(bw.value(), p, it)))
                .iterator();
          };
      return blocks
          .mapPartitionsWithIndex(f, false)
          .treeAggregate(
              new FixedTreeSum<NetworkGradient>(levelSizes, NetworkGradient::merge),
              (acc, part) -> acc.add(part.partition, part.value),
              FixedTreeSum::merge,
              depth)
          .result();
    } finally {
      bw.destroy();
    }
  }

  /** One partition's partial result, tagged with its partition index. */
  static final class Indexed<T extends Serializable> implements Serializable {
    private static final long serialVersionUID = 1L;
    final int partition;
    final T value;

    Indexed(int partition, T value) {
      this.partition = partition;
      this.value = value;
    }
  }
}

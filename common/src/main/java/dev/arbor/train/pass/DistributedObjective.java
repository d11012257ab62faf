package dev.arbor.train.pass;

import dev.arbor.loss.Block;
import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.WeightLayout;
import dev.arbor.optim.StochasticFunction;
import dev.arbor.train.data.TrainingBlocks;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training objective {@code f(w) = Σ wᵢ·loss(xᵢ, yᵢ; w) / Σ wᵢ} over cached {@link
 * TrainingBlocks}, evaluated with one Spark job per call: broadcast the weights, fold each
 * partition's blocks into a {@link LossAggregator}, combine the partitions with {@code
 * treeAggregate} along a {@link FixedTreeSum}, destroy the broadcast.
 *
 * <p>Deterministic: the same blocks, partitioning, depth and weights give bit-identical values and
 * gradients on every call, re-run and task retry (the per-partition fold is sequential over the
 * cached rows; the combination follows a fixed tree, not task completion order). Regularization is
 * not included: the optimizer side adds it on the driver (see {@link #layout()} for which weights
 * are intercepts).
 *
 * <p>Call from one driver thread (optimizers do); not thread-safe. Calls fail once the blocks are
 * closed.
 */
public final class DistributedObjective implements StochasticFunction {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedObjective.class);

  /** Partition counts above this use a two-level tree by default. */
  static final int FLAT_AGGREGATION_MAX_PARTITIONS = 16;

  /**
   * TEST ONLY, off by default: {@code spark.arbor.test.fail-gradient-task-once = N} (N >= 1) makes
   * the first attempt of partition 0's task of the N-th gradient pass of this driver JVM throw, so
   * fault tests can check that Spark's task retry (a master such as {@code local[2,4]}) leaves the
   * result bit-identical. Never set it in production.
   */
  public static final String FAIL_TASK_ONCE_KEY = "spark.arbor.test.fail-gradient-task-once";

  /** Gradient passes run by this driver JVM (counts only while the fault hook is set). */
  private static final AtomicLong PASSES = new AtomicLong();

  /** A test-only hook run at the start of every partition's task. */
  interface PartitionHook extends Serializable {
    void beforePartition(int partition);
  }

  private final TrainingBlocks data;
  private final LossFunction loss;
  private final int depth;
  private final long seed;
  private final int[] levelSizes;
  private PartitionHook hook;
  private Broadcast<double[]> lastBroadcast;

  /**
   * @param data the cached blocks (not owned: closing them is the caller's job)
   * @param loss the loss; its feature count and number of classes must match the blocks
   * @param aggregationDepth {@code treeAggregate} depth {@code >= 1}, or {@code 0} for the default
   *     ({@link #defaultDepth})
   * @param seed the seed of the mini-batch permutations
   */
  public DistributedObjective(
      TrainingBlocks data, LossFunction loss, int aggregationDepth, long seed) {
    if (loss.layout().numFeatures() != data.numFeatures()) {
      throw new IllegalArgumentException(
          "Cannot build the objective: the loss expects "
              + loss.layout().numFeatures()
              + " features but the blocks have: "
              + data.numFeatures());
    }
    if (loss.numClasses() != data.numClasses()) {
      throw new IllegalArgumentException(
          "Cannot build the objective: the "
              + loss.name()
              + " loss expects "
              + loss.numClasses()
              + " classes but the blocks were built for: "
              + data.numClasses());
    }
    if (aggregationDepth < 0) {
      throw new IllegalArgumentException(
          "Invalid aggregation depth: " + aggregationDepth + " (expected 0 for auto, or >= 1)");
    }
    this.data = data;
    this.loss = loss;
    this.depth = aggregationDepth == 0 ? defaultDepth(data.numPartitions()) : aggregationDepth;
    this.seed = seed;
    this.levelSizes = FixedTreeSum.levelSizes(data.numPartitions(), depth);
    LOG.info(
        "Objective: {} over {} rows in {} partitions, treeAggregate depth {} (tree levels {})",
        loss,
        data.numRows(),
        data.numPartitions(),
        depth,
        java.util.Arrays.toString(levelSizes));
  }

  /**
   * The default {@code treeAggregate} depth: 1 (all partials to the driver) up to {@value
   * #FLAT_AGGREGATION_MAX_PARTITIONS} partitions, where an extra shuffle stage costs more than it
   * saves; 2 above, so the driver receives about {@code √partitions} partials instead of all.
   */
  public static int defaultDepth(int numPartitions) {
    return numPartitions > FLAT_AGGREGATION_MAX_PARTITIONS ? 2 : 1;
  }

  @Override
  public int dimension() {
    return loss.layout().dimension();
  }

  /** Where the weights sit; {@link WeightLayout#isIntercept} tells regularization what to skip. */
  public WeightLayout layout() {
    return loss.layout();
  }

  public LossFunction loss() {
    return loss;
  }

  /** The {@code treeAggregate} depth in use. */
  public int aggregationDepth() {
    return depth;
  }

  @Override
  public long numExamples() {
    return data.numRows();
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
    if (!(agg.weightSum() > 0)) {
      throw new IllegalStateException(
          "Cannot evaluate mini-batch "
              + batch
              + ": it holds no rows with positive weight ("
              + agg.rowCount()
              + " rows over "
              + data.numPartitions()
              + " partitions); use fewer steps per epoch");
    }
    agg.gradient(gradient);
    return agg.loss();
  }

  /** The summed aggregator over all rows (weight, loss and gradient sums). */
  public LossAggregator aggregate(double[] weights) {
    LossFunction f = loss;
    return run(weights, "full", (w, p, blocks) -> PartitionFold.full(f, w, blocks));
  }

  /** The summed aggregator over the rows of one mini-batch. */
  public LossAggregator aggregateBatch(double[] weights, MiniBatch batch) {
    LossFunction f = loss;
    long s = seed;
    // MiniBatch is not Serializable: the closure carries its three numbers.
    long epoch = batch.epoch();
    int step = batch.step();
    int steps = batch.stepsPerEpoch();
    return run(
        weights,
        "batch " + batch,
        (w, p, blocks) ->
            PartitionFold.batch(f, w, blocks, s, new MiniBatch(epoch, step, steps), p));
  }

  private interface Fold extends Serializable {
    LossAggregator apply(double[] weights, int partition, Iterator<Block> blocks);
  }

  private LossAggregator run(double[] weights, String what, Fold fold) {
    if (weights.length != dimension()) {
      throw new IllegalArgumentException(
          "Cannot evaluate the objective: expected "
              + dimension()
              + " weights but got: "
              + weights.length);
    }
    long started = System.nanoTime();
    JavaRDD<Block> blocks = data.rdd();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<double[]> bw = jsc.broadcast(weights.clone());
    try {
      JavaRDD<IndexedPartial> partials =
          blocks.mapPartitionsWithIndex(
              partitionFunction(bw, fold, hook, failTaskOnce(jsc)), false);
      FixedTreeSum<LossAggregator> sum =
          partials.treeAggregate(
              FixedTreeSum.ofLosses(levelSizes),
              (acc, partial) -> acc.add(partial.partition, partial.aggregator),
              FixedTreeSum::merge,
              depth);
      LossAggregator result = sum.result();
      LOG.debug(
          "Gradient pass ({}): {} rows, weight {}, in {} ms",
          what,
          result.rowCount(),
          result.weightSum(),
          (System.nanoTime() - started) / 1_000_000);
      return result;
    } finally {
      bw.destroy();
      lastBroadcast = bw;
    }
  }

  /**
   * Whether this pass is the one {@link #FAIL_TASK_ONCE_KEY} names (counted on the driver, over
   * every distributed pass of this JVM, whichever model family runs it).
   */
  public static boolean failTaskOnce(JavaSparkContext jsc) {
    long target = jsc.getConf().getLong(FAIL_TASK_ONCE_KEY, 0);
    if (target <= 0) {
      return false;
    }
    boolean fail = PASSES.incrementAndGet() == target;
    if (fail) {
      LOG.warn(
          "Test hook {} = {}: the first attempt of partition 0 of this gradient pass will fail",
          FAIL_TASK_ONCE_KEY,
          target);
    }
    return fail;
  }

  /** Built in a static method so the closure captures only what it needs, never {@code this}. */
  private static Function2<Integer, Iterator<Block>, Iterator<IndexedPartial>> partitionFunction(
      Broadcast<double[]> bw, Fold fold, PartitionHook hook, boolean failFirstAttempt) {
    return (partition, it) -> {
      if (hook != null) {
        hook.beforePartition(partition);
      }
      failIfFirstAttempt(failFirstAttempt, partition);
      LossAggregator agg = fold.apply(bw.value(), partition, it);
      return Collections.singletonList(new IndexedPartial(partition, agg)).iterator();
    };
  }

  /**
   * In a task of a pass that {@link #failTaskOnce} chose: throws in the first attempt of partition
   * 0.
   */
  public static void failIfFirstAttempt(boolean failPass, int partition) {
    if (failPass && partition == 0 && TaskContext.get().attemptNumber() == 0) {
      throw new IllegalStateException(
          "Injected failure of the first attempt of gradient task 0 (" + FAIL_TASK_ONCE_KEY + ")");
    }
  }

  /** Test only: run {@code hook} at the start of every partition task. */
  void setPartitionHook(PartitionHook hook) {
    this.hook = hook;
  }

  /** Test only: the broadcast of the last call (destroyed by then). */
  Broadcast<double[]> lastBroadcast() {
    return lastBroadcast;
  }

  /** One partition's partial sum, tagged with its partition index. */
  static final class IndexedPartial implements Serializable {
    private static final long serialVersionUID = 1L;
    final int partition;
    final LossAggregator aggregator;

    IndexedPartial(int partition, LossAggregator aggregator) {
      this.partition = partition;
      this.aggregator = aggregator;
    }
  }
}

package dev.arbor.train.pass;

import dev.arbor.loss.LossAggregator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums per-partition partial results ({@link LossAggregator}s, or any mergeable partial) along a
 * fixed tree, whatever the order in which they arrive, so that the floating-point result depends
 * only on the partition count and the depth.
 *
 * <p>Why: {@code treeAggregate} merges partial results in task-completion order, and floating-point
 * addition is not associative, so a plain merge gives results that vary in the last bits from call
 * to call. Here every partial is a node {@code (level, index)}; level 0 holds partition {@code p}
 * at index {@code p}. Node {@code r} of level {@code L+1} is the sum, in increasing index order, of
 * the level-{@code L} nodes {@code c} with {@code c mod n_{L+1} = r}; it is formed as soon as all
 * of them are present (and never earlier). The nodes of the top level are summed in index order by
 * {@link #result()}. The level sizes {@code n_L} are those {@code treeAggregate} uses for the same
 * partition count and depth ({@link #levelSizes}), so each intermediate reducer receives exactly
 * the children of its nodes and collapses them there; correctness does not depend on that match,
 * only memory does.
 *
 * <p>Usable as {@code treeAggregate}'s zero value with {@link #add} as sequence operation and
 * {@link #merge} as combine operation. Not thread-safe.
 */
public final class FixedTreeSum<T extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Adds the second partial into the first and returns the first (e.g. {@code
   * LossAggregator::merge}).
   */
  public interface Merge<T> extends Serializable {
    T into(T accumulator, T other);
  }

  private final int[] levelSizes;
  private final Merge<T> merge;
  private final TreeMap<Long, T> nodes = new TreeMap<>();

  /** An empty sum over {@code levelSizes[0]} partitions. */
  public FixedTreeSum(int[] levelSizes, Merge<T> merge) {
    this.levelSizes = levelSizes.clone();
    this.merge = merge;
  }

  /** An empty sum of {@link LossAggregator}s over {@code levelSizes[0]} partitions. */
  static FixedTreeSum<LossAggregator> ofLosses(int[] levelSizes) {
    return new FixedTreeSum<>(levelSizes, LossAggregator::merge);
  }

  /**
   * The node counts per level for {@code numPartitions} and {@code depth}, mirroring Spark's {@code
   * RDD.treeAggregate}: {@code scale = max(ceil(n^(1/depth)), 2)}, and a new level of {@code n /
   * scale} nodes while {@code n > scale + ceil(n / scale)}.
   */
  public static int[] levelSizes(int numPartitions, int depth) {
    if (numPartitions < 1 || depth < 1) {
      throw new IllegalArgumentException(
          "Invalid aggregation tree: " + numPartitions + " partitions, depth " + depth);
    }
    List<Integer> sizes = new ArrayList<>();
    int n = numPartitions;
    sizes.add(n);
    int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
    while (n > scale + Math.ceil((double) n / scale)) {
      n /= scale;
      sizes.add(n);
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Adds the partial of partition {@code partition}. Returns {@code this}. */
  public FixedTreeSum<T> add(int partition, T partial) {
    insert(0, partition, partial);
    return this;
  }

  /** Moves every node of {@code other} into this sum. Returns {@code this}. */
  public FixedTreeSum<T> merge(FixedTreeSum<T> other) {
    if (!java.util.Arrays.equals(levelSizes, other.levelSizes)) {
      throw new IllegalArgumentException("Cannot merge sums over different aggregation trees");
    }
    for (Map.Entry<Long, T> e : other.nodes.entrySet()) {
      long key = e.getKey();
      insert((int) (key >>> 32), (int) key, e.getValue());
    }
    return this;
  }

  /** The sum of all partitions; every partition must have been added. */
  public T result() {
    int top = levelSizes.length - 1;
    int count = levelSizes[top];
    if (nodes.size() != count) {
      throw new IllegalStateException(
          "Cannot finish the aggregation: expected "
              + count
              + " top-level partial sums but have "
              + nodes.size()
              + ": "
              + nodes.keySet());
    }
    T acc = node(top, 0);
    for (int i = 1; i < count; i++) {
      acc = merge.into(acc, node(top, i));
    }
    return acc;
  }

  private T node(int level, int index) {
    T a = nodes.get(key(level, index));
    if (a == null) {
      throw new IllegalStateException(
          "Cannot finish the aggregation: partial sum missing at level "
              + level
              + " index "
              + index);
    }
    return a;
  }

  private void insert(int level, int index, T partial) {
    if (index < 0 || index >= levelSizes[level]) {
      throw new IllegalArgumentException(
          "Invalid partial sum index " + index + " at level " + level);
    }
    if (nodes.putIfAbsent(key(level, index), partial) != null) {
      throw new IllegalStateException(
          "Cannot add a partial sum twice: level " + level + " index " + index);
    }
    if (level == levelSizes.length - 1) {
      return;
    }
    int parents = levelSizes[level + 1];
    int parent = index % parents;
    int size = levelSizes[level];
    for (int c = parent; c < size; c += parents) {
      if (!nodes.containsKey(key(level, c))) {
        return;
      }
    }
    T acc = nodes.remove(key(level, parent));
    for (int c = parent + parents; c < size; c += parents) {
      acc = merge.into(acc, nodes.remove(key(level, c)));
    }
    insert(level + 1, parent, acc);
  }

  private static long key(int level, int index) {
    return ((long) level << 32) | index;
  }
}

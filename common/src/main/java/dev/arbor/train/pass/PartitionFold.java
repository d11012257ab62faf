package dev.arbor.train.pass;

import dev.arbor.loss.Block;
import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.LossFunction;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.train.data.BlockBuilder;
import dev.arbor.train.data.Precision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What one partition contributes to an evaluation, in pure Java: shared by the Spark pass and the
 * local fold so both add the same rows in the same order.
 *
 * <p>The aggregator adds rows one at a time in order, so block boundaries never change a result:
 * only the row order does.
 */
public final class PartitionFold {
  /** Rows per gathered mini-batch block. */
  static final int BATCH_CHUNK_ROWS = 4096;

  private PartitionFold() {}

  /** Folds every row of the partition, block by block, in order. */
  static LossAggregator full(LossFunction loss, double[] weights, Iterator<Block> blocks) {
    LossAggregator agg = loss.newAggregator(weights);
    while (blocks.hasNext()) {
      agg.add(blocks.next());
    }
    return agg;
  }

  /**
   * Folds the rows of mini-batch {@code batch} in this partition: with {@code n} rows and the
   * permutation {@code π} of (seed, epoch, partition), the rows {@code π(q)} for positions {@code q
   * ∈ [⌊s·n/S⌋, ⌊(s+1)·n/S⌋)}, in increasing {@code q}. The slices of one epoch partition the rows,
   * so each row is used exactly once per epoch. Reads only those rows (copied into small blocks of
   * the same precision), so the cost is proportional to the batch size.
   */
  static LossAggregator batch(
      LossFunction loss,
      double[] weights,
      Iterator<Block> blockIterator,
      long seed,
      MiniBatch batch,
      int partition) {
    LossAggregator agg = loss.newAggregator(weights);
    List<Block> blocks = new ArrayList<>();
    blockIterator.forEachRemaining(blocks::add);
    long[] starts = new long[blocks.size() + 1];
    for (int b = 0; b < blocks.size(); b++) {
      starts[b + 1] = starts[b] + blocks.get(b).numRows();
    }
    long n = starts[blocks.size()];
    long from = sliceStart(n, batch.step(), batch.stepsPerEpoch());
    long to = sliceStart(n, batch.step() + 1, batch.stepsPerEpoch());
    if (from == to) {
      return agg;
    }
    Block first = blocks.get(0);
    BlockBuilder gather =
        new BlockBuilder(
            first.numFeatures(),
            (int) Math.min(to - from, BATCH_CHUNK_ROWS),
            first.isFloat32() ? Precision.FLOAT32 : Precision.FLOAT64);
    RowPermutation perm = new RowPermutation(seed, batch.epoch(), partition, n);
    for (long q = from; q < to; q++) {
      long row = perm.apply(q);
      int b = blockOf(starts, row);
      Block full = gather.copyRow(blocks.get(b), (int) (row - starts[b]));
      if (full != null) {
        agg.add(full);
      }
    }
    Block rest = gather.finish();
    if (rest != null) {
      agg.add(rest);
    }
    return agg;
  }

  /** The first position of slice {@code step} of {@code steps} over {@code n} rows. */
  public static long sliceStart(long n, int step, int steps) {
    return Math.multiplyExact(n, (long) step) / steps;
  }

  /** The block holding row {@code row}: the last {@code b} with {@code starts[b] <= row}. */
  private static int blockOf(long[] starts, long row) {
    int i = Arrays.binarySearch(starts, 0, starts.length - 1, row);
    if (i >= 0) {
      // Empty blocks never occur, so starts are strictly increasing and the match is unique.
      return i;
    }
    return -i - 2;
  }
}

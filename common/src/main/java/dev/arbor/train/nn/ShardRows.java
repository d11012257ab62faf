package dev.arbor.train.nn;

import dev.arbor.loss.Block;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** One partition's cached blocks with random access to their rows (for permuted mini-batches). */
final class ShardRows {
  private final List<Block> blocks = new ArrayList<>();
  private final long[] starts;
  private final int numFeatures;

  ShardRows(Iterator<Block> it, int numFeatures) {
    it.forEachRemaining(blocks::add);
    this.starts = new long[blocks.size() + 1];
    for (int b = 0; b < blocks.size(); b++) {
      starts[b + 1] = starts[b] + blocks.get(b).numRows();
    }
    this.numFeatures = numFeatures;
  }

  long numRows() {
    return starts[blocks.size()];
  }

  List<Block> blocks() {
    return blocks;
  }

  /**
   * Copies row {@code row} (0-based over the partition) into {@code x} at row {@code at}, its label
   * and weight into {@code labels[at]} and {@code weights[at]}; returns the weight.
   */
  double copy(long row, double[] x, double[] labels, double[] weights, int at) {
    int b = blockOf(row);
    Block block = blocks.get(b);
    int i = (int) (row - starts[b]);
    int d = numFeatures;
    int src = i * d;
    int dst = at * d;
    if (block.isFloat32()) {
      float[] f = block.features32();
      for (int j = 0; j < d; j++) {
        x[dst + j] = f[src + j];
      }
    } else {
      System.arraycopy(block.features64(), src, x, dst, d);
    }
    labels[at] = block.labels()[i];
    weights[at] = block.weights()[i];
    return weights[at];
  }

  private int blockOf(long row) {
    int i = Arrays.binarySearch(starts, 0, starts.length - 1, row);
    return i >= 0 ? i : -i - 2;
  }
}

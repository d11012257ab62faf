package dev.arbor.nn;

import dev.arbor.loss.Block;

/** Copies rows of a {@link Block} into a dense float64 row-major matrix (the BLAS input). */
final class Rows {
  private Rows() {}

  /** Copies rows {@code [from, from + rows)} of {@code block} to the start of {@code out}. */
  static void copy(Block block, int from, int rows, double[] out) {
    int d = block.numFeatures();
    int start = from * d;
    int length = rows * d;
    if (block.isFloat32()) {
      float[] f = block.features32();
      for (int i = 0; i < length; i++) {
        out[i] = f[start + i];
      }
    } else {
      System.arraycopy(block.features64(), start, out, 0, length);
    }
  }
}

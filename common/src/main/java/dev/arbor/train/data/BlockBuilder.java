package dev.arbor.train.data;

import dev.arbor.loss.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs rows, in the order given, into {@link Block}s of {@code blockSize} rows (the last one may
 * be shorter). Pure Java: the Spark conversion and local evaluation share it, so both see the same
 * blocks for the same rows. Not thread-safe.
 *
 * <p>Use: {@link #setFeature} for each feature of the current row, then {@link #endRow}; it returns
 * a full block when one is complete. {@link #finish} returns the remainder.
 */
public final class BlockBuilder {
  private final int numFeatures;
  private final int blockSize;
  private final Precision precision;
  private float[] f32;
  private double[] f64;
  private double[] labels;
  private double[] weights;
  private int rows;

  public BlockBuilder(int numFeatures, int blockSize, Precision precision) {
    if (numFeatures < 0 || blockSize < 1) {
      throw new IllegalArgumentException(
          "Invalid block builder: " + numFeatures + " features, block size " + blockSize);
    }
    this.numFeatures = numFeatures;
    this.blockSize = blockSize;
    this.precision = precision;
    allocate();
  }

  private void allocate() {
    int n = blockSize * numFeatures;
    f32 = precision == Precision.FLOAT32 ? new float[n] : null;
    f64 = precision == Precision.FLOAT64 ? new double[n] : null;
    labels = new double[blockSize];
    weights = new double[blockSize];
    rows = 0;
  }

  /** Sets feature {@code j} of the current row (rounded to float for float32 storage). */
  public void setFeature(int j, double value) {
    int at = rows * numFeatures + j;
    if (f32 != null) {
      f32[at] = (float) value;
    } else {
      f64[at] = value;
    }
  }

  /** Completes the current row; returns the block it completes, else {@code null}. */
  public Block endRow(double label, double weight) {
    labels[rows] = label;
    weights[rows] = weight;
    rows++;
    return rows == blockSize ? emit() : null;
  }

  /**
   * Appends row {@code i} of {@code source} (same feature count and precision) as stored, with no
   * rounding; returns the block it completes, else {@code null}.
   */
  public Block copyRow(Block source, int i) {
    int from = i * numFeatures;
    int to = rows * numFeatures;
    if (f32 != null) {
      System.arraycopy(source.features32(), from, f32, to, numFeatures);
    } else {
      System.arraycopy(source.features64(), from, f64, to, numFeatures);
    }
    return endRow(source.labels()[i], source.weights()[i]);
  }

  /** Adds one row; returns the block it completes, else {@code null}. */
  public Block add(double[] features, double label, double weight) {
    if (features.length != numFeatures) {
      throw new IllegalArgumentException(
          "Cannot add a row: expected " + numFeatures + " features but got: " + features.length);
    }
    for (int j = 0; j < numFeatures; j++) {
      setFeature(j, features[j]);
    }
    return endRow(label, weight);
  }

  /**
   * The rows added since the last block, as a (shorter) block; {@code null} when there are none.
   */
  public Block finish() {
    if (rows == 0) {
      return null;
    }
    int n = rows;
    int len = n * numFeatures;
    Block b =
        f32 != null
            ? Block.ofFloat32(
                numFeatures,
                java.util.Arrays.copyOf(f32, len),
                java.util.Arrays.copyOf(labels, n),
                java.util.Arrays.copyOf(weights, n))
            : Block.ofFloat64(
                numFeatures,
                java.util.Arrays.copyOf(f64, len),
                java.util.Arrays.copyOf(labels, n),
                java.util.Arrays.copyOf(weights, n));
    allocate();
    return b;
  }

  private Block emit() {
    Block b =
        f32 != null
            ? Block.ofFloat32(numFeatures, f32, labels, weights)
            : Block.ofFloat64(numFeatures, f64, labels, weights);
    allocate();
    return b;
  }

  /** Packs {@code rows} into blocks, in order. */
  public static List<Block> blocksOf(
      List<LabeledRow> rows, int numFeatures, int blockSize, Precision precision) {
    BlockBuilder builder = new BlockBuilder(numFeatures, blockSize, precision);
    List<Block> out = new ArrayList<>();
    for (LabeledRow r : rows) {
      Block b = builder.add(r.features(), r.label(), r.weight());
      if (b != null) {
        out.add(b);
      }
    }
    Block last = builder.finish();
    if (last != null) {
      out.add(last);
    }
    return out;
  }
}

package dev.arbor.loss.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JDK Vector API kernel: four double lanes (256 bits) hold the four partial sums of a dot
 * product, so it follows the arithmetic contract of {@link LinearKernel} lane for lane and matches
 * {@link ScalarKernel} bit for bit; float32 features are loaded four at a time and widened in
 * registers. The lane count is fixed (not the CPU's preferred width) so that a wider CPU gives the
 * same bits.
 *
 * <p>Compiled on its own with {@code --add-modules jdk.incubator.vector} (see {@code
 * common/pom.xml}) and only ever loaded reflectively by {@link LinearKernel}, so nothing else needs
 * the incubator module.
 */
final class VectorKernel extends LinearKernel {
  private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
  private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;

  /**
   * @throws IllegalStateException when the CPU has no 256-bit vectors (the API would emulate them)
   */
  VectorKernel() {
    int bits = DoubleVector.SPECIES_PREFERRED.vectorBitSize();
    if (bits < 256) {
      throw new IllegalStateException(
          "Cannot use the Vector API kernel: this CPU's vectors have " + bits + " bits (need 256)");
    }
  }

  @Override
  public String description() {
    return "Vector API (jdk.incubator.vector, 4 double lanes; CPU preferred "
        + DoubleVector.SPECIES_PREFERRED.vectorBitSize()
        + " bits)";
  }

  /** Four float32 features from {@code x[at]}, widened to double. */
  private static DoubleVector widen(float[] x, int at) {
    return (DoubleVector) FloatVector.fromArray(F4, x, at).convertShape(VectorOperators.F2D, D4, 0);
  }

  @Override
  public double dot(float[] x, int xOff, double[] w, int wOff, int n) {
    DoubleVector acc = DoubleVector.zero(D4);
    int bound = n & ~3;
    for (int j = 0; j < bound; j += 4) {
      acc = acc.add(widen(x, xOff + j).mul(DoubleVector.fromArray(D4, w, wOff + j)));
    }
    return finishTail(acc, x, xOff, w, wOff, bound, n);
  }

  @Override
  public double dot(double[] x, int xOff, double[] w, int wOff, int n) {
    DoubleVector acc = DoubleVector.zero(D4);
    int bound = n & ~3;
    for (int j = 0; j < bound; j += 4) {
      acc =
          acc.add(
              DoubleVector.fromArray(D4, x, xOff + j).mul(DoubleVector.fromArray(D4, w, wOff + j)));
    }
    return finishTail(acc, x, xOff, w, wOff, bound, n);
  }

  /** Adds the products past {@code from} to lane 0 in order, then reduces. */
  private static double finishTail(
      DoubleVector acc, float[] x, int xOff, double[] w, int wOff, int from, int n) {
    double s0 = acc.lane(0);
    for (int j = from; j < n; j++) {
      s0 += x[xOff + j] * w[wOff + j];
    }
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  private static double finishTail(
      DoubleVector acc, double[] x, int xOff, double[] w, int wOff, int from, int n) {
    double s0 = acc.lane(0);
    for (int j = from; j < n; j++) {
      s0 += x[xOff + j] * w[wOff + j];
    }
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  @Override
  public void dot4(float[] x, int xOff, int stride, double[] w, int wOff, int n, double[] out) {
    int o1 = xOff + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    DoubleVector a0 = DoubleVector.zero(D4);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    int bound = n & ~3;
    for (int j = 0; j < bound; j += 4) {
      DoubleVector wv = DoubleVector.fromArray(D4, w, wOff + j);
      a0 = a0.add(widen(x, xOff + j).mul(wv));
      a1 = a1.add(widen(x, o1 + j).mul(wv));
      a2 = a2.add(widen(x, o2 + j).mul(wv));
      a3 = a3.add(widen(x, o3 + j).mul(wv));
    }
    out[0] = finishTail(a0, x, xOff, w, wOff, bound, n);
    out[1] = finishTail(a1, x, o1, w, wOff, bound, n);
    out[2] = finishTail(a2, x, o2, w, wOff, bound, n);
    out[3] = finishTail(a3, x, o3, w, wOff, bound, n);
  }

  @Override
  public void dot4(double[] x, int xOff, int stride, double[] w, int wOff, int n, double[] out) {
    int o1 = xOff + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    DoubleVector a0 = DoubleVector.zero(D4);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    int bound = n & ~3;
    for (int j = 0; j < bound; j += 4) {
      DoubleVector wv = DoubleVector.fromArray(D4, w, wOff + j);
      a0 = a0.add(DoubleVector.fromArray(D4, x, xOff + j).mul(wv));
      a1 = a1.add(DoubleVector.fromArray(D4, x, o1 + j).mul(wv));
      a2 = a2.add(DoubleVector.fromArray(D4, x, o2 + j).mul(wv));
      a3 = a3.add(DoubleVector.fromArray(D4, x, o3 + j).mul(wv));
    }
    out[0] = finishTail(a0, x, xOff, w, wOff, bound, n);
    out[1] = finishTail(a1, x, o1, w, wOff, bound, n);
    out[2] = finishTail(a2, x, o2, w, wOff, bound, n);
    out[3] = finishTail(a3, x, o3, w, wOff, bound, n);
  }

  @Override
  public void axpy(double a, float[] x, int xOff, double[] y, int yOff, int n) {
    int bound = n & ~3;
    int j = 0;
    for (; j < bound; j += 4) {
      DoubleVector.fromArray(D4, y, yOff + j).add(widen(x, xOff + j).mul(a)).intoArray(y, yOff + j);
    }
    for (; j < n; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }

  @Override
  public void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
    int bound = n & ~3;
    int j = 0;
    for (; j < bound; j += 4) {
      DoubleVector.fromArray(D4, y, yOff + j)
          .add(DoubleVector.fromArray(D4, x, xOff + j).mul(a))
          .intoArray(y, yOff + j);
    }
    for (; j < n; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }

  @Override
  public void axpy4(
      double a0,
      double a1,
      double a2,
      double a3,
      float[] x,
      int xOff,
      int stride,
      double[] y,
      int yOff,
      int n) {
    int o1 = xOff + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    int bound = n & ~3;
    int j = 0;
    for (; j < bound; j += 4) {
      DoubleVector v = DoubleVector.fromArray(D4, y, yOff + j);
      v = v.add(widen(x, xOff + j).mul(a0));
      v = v.add(widen(x, o1 + j).mul(a1));
      v = v.add(widen(x, o2 + j).mul(a2));
      v = v.add(widen(x, o3 + j).mul(a3));
      v.intoArray(y, yOff + j);
    }
    for (; j < n; j++) {
      double v = y[yOff + j];
      v += a0 * x[xOff + j];
      v += a1 * x[o1 + j];
      v += a2 * x[o2 + j];
      v += a3 * x[o3 + j];
      y[yOff + j] = v;
    }
  }

  @Override
  public void axpy4(
      double a0,
      double a1,
      double a2,
      double a3,
      double[] x,
      int xOff,
      int stride,
      double[] y,
      int yOff,
      int n) {
    int o1 = xOff + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    int bound = n & ~3;
    int j = 0;
    for (; j < bound; j += 4) {
      DoubleVector v = DoubleVector.fromArray(D4, y, yOff + j);
      v = v.add(DoubleVector.fromArray(D4, x, xOff + j).mul(a0));
      v = v.add(DoubleVector.fromArray(D4, x, o1 + j).mul(a1));
      v = v.add(DoubleVector.fromArray(D4, x, o2 + j).mul(a2));
      v = v.add(DoubleVector.fromArray(D4, x, o3 + j).mul(a3));
      v.intoArray(y, yOff + j);
    }
    for (; j < n; j++) {
      double v = y[yOff + j];
      v += a0 * x[xOff + j];
      v += a1 * x[o1 + j];
      v += a2 * x[o2 + j];
      v += a3 * x[o3 + j];
      y[yOff + j] = v;
    }
  }

  @Override
  public float readSum(float[] x, int from, int to) {
    FloatVector s0 = FloatVector.zero(F8);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int j = from;
    for (; j + 32 <= to; j += 32) {
      s0 = s0.add(FloatVector.fromArray(F8, x, j));
      s1 = s1.add(FloatVector.fromArray(F8, x, j + 8));
      s2 = s2.add(FloatVector.fromArray(F8, x, j + 16));
      s3 = s3.add(FloatVector.fromArray(F8, x, j + 24));
    }
    float[] lanes = s0.add(s1).add(s2.add(s3)).toArray();
    float s = 0;
    for (float v : lanes) {
      s += v;
    }
    for (; j < to; j++) {
      s += x[j];
    }
    return s;
  }

  @Override
  public double readSum(double[] x, int from, int to) {
    DoubleVector s0 = DoubleVector.zero(D4);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    int j = from;
    for (; j + 16 <= to; j += 16) {
      s0 = s0.add(DoubleVector.fromArray(D4, x, j));
      s1 = s1.add(DoubleVector.fromArray(D4, x, j + 4));
      s2 = s2.add(DoubleVector.fromArray(D4, x, j + 8));
      s3 = s3.add(DoubleVector.fromArray(D4, x, j + 12));
    }
    DoubleVector all = s0.add(s1).add(s2.add(s3));
    double s = (all.lane(0) + all.lane(1)) + (all.lane(2) + all.lane(3));
    for (; j < to; j++) {
      s += x[j];
    }
    return s;
  }
}

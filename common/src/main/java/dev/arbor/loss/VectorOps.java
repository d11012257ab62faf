package dev.arbor.loss;

/**
 * The two inner loops of every linear loss: a dot product (four independent accumulators, summed in
 * a fixed order, so the JIT can pipeline the additions while results stay deterministic) and {@code
 * y += a·x}. Features may be float32; arithmetic is always double.
 */
final class VectorOps {
  private VectorOps() {}

  static double dot(float[] x, int xOff, double[] w, int wOff, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += x[xOff + j] * w[wOff + j];
      s1 += x[xOff + j + 1] * w[wOff + j + 1];
      s2 += x[xOff + j + 2] * w[wOff + j + 2];
      s3 += x[xOff + j + 3] * w[wOff + j + 3];
    }
    for (; j < n; j++) {
      s0 += x[xOff + j] * w[wOff + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  static double dot(double[] x, int xOff, double[] w, int wOff, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += x[xOff + j] * w[wOff + j];
      s1 += x[xOff + j + 1] * w[wOff + j + 1];
      s2 += x[xOff + j + 2] * w[wOff + j + 2];
      s3 += x[xOff + j + 3] * w[wOff + j + 3];
    }
    for (; j < n; j++) {
      s0 += x[xOff + j] * w[wOff + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  static void axpy(double a, float[] x, int xOff, double[] y, int yOff, int n) {
    for (int j = 0; j < n; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }

  static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
    for (int j = 0; j < n; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }
}

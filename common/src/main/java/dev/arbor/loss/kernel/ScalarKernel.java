package dev.arbor.loss.kernel;

/**
 * The plain Java kernel: four independent partial sums per dot product (so the JIT can pipeline the
 * additions), per the arithmetic contract of {@link LinearKernel}. Runs everywhere; the reference
 * the Vector API kernel must match bit for bit.
 */
final class ScalarKernel extends LinearKernel {
  static final ScalarKernel INSTANCE = new ScalarKernel();

  private ScalarKernel() {}

  @Override
  public String description() {
    return "scalar (plain Java)";
  }

  @Override
  public double dot(float[] x, int xOff, double[] w, int wOff, int n) {
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

  @Override
  public double dot(double[] x, int xOff, double[] w, int wOff, int n) {
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

  @Override
  public void dot4(float[] x, int xOff, int stride, double[] w, int wOff, int n, double[] out) {
    for (int r = 0; r < 4; r++) {
      out[r] = dot(x, xOff + r * stride, w, wOff, n);
    }
  }

  @Override
  public void dot4(double[] x, int xOff, int stride, double[] w, int wOff, int n, double[] out) {
    for (int r = 0; r < 4; r++) {
      out[r] = dot(x, xOff + r * stride, w, wOff, n);
    }
  }

  @Override
  public void axpy(double a, float[] x, int xOff, double[] y, int yOff, int n) {
    for (int j = 0; j < n; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }

  @Override
  public void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
    for (int j = 0; j < n; j++) {
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
    for (int j = 0; j < n; j++) {
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
    for (int j = 0; j < n; j++) {
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
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = from;
    for (; j + 3 < to; j += 4) {
      s0 += x[j];
      s1 += x[j + 1];
      s2 += x[j + 2];
      s3 += x[j + 3];
    }
    for (; j < to; j++) {
      s0 += x[j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public double readSum(double[] x, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = from;
    for (; j + 3 < to; j += 4) {
      s0 += x[j];
      s1 += x[j + 1];
      s2 += x[j + 2];
      s3 += x[j + 3];
    }
    for (; j < to; j++) {
      s0 += x[j];
    }
    return (s0 + s1) + (s2 + s3);
  }
}

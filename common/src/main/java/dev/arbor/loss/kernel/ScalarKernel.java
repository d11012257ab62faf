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
    // Four rows at once, each with its own four partial sums: 16 independent chains (and one
    // load of w for four rows), each summed exactly as in dot().
    int o1 = xOff + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    double b0 = 0;
    double b1 = 0;
    double b2 = 0;
    double b3 = 0;
    double c0 = 0;
    double c1 = 0;
    double c2 = 0;
    double c3 = 0;
    double d0 = 0;
    double d1 = 0;
    double d2 = 0;
    double d3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      double w0 = w[wOff + j];
      double w1 = w[wOff + j + 1];
      double w2 = w[wOff + j + 2];
      double w3 = w[wOff + j + 3];
      a0 += x[xOff + j] * w0;
      a1 += x[xOff + j + 1] * w1;
      a2 += x[xOff + j + 2] * w2;
      a3 += x[xOff + j + 3] * w3;
      b0 += x[o1 + j] * w0;
      b1 += x[o1 + j + 1] * w1;
      b2 += x[o1 + j + 2] * w2;
      b3 += x[o1 + j + 3] * w3;
      c0 += x[o2 + j] * w0;
      c1 += x[o2 + j + 1] * w1;
      c2 += x[o2 + j + 2] * w2;
      c3 += x[o2 + j + 3] * w3;
      d0 += x[o3 + j] * w0;
      d1 += x[o3 + j + 1] * w1;
      d2 += x[o3 + j + 2] * w2;
      d3 += x[o3 + j + 3] * w3;
    }
    for (; j < n; j++) {
      double wj = w[wOff + j];
      a0 += x[xOff + j] * wj;
      b0 += x[o1 + j] * wj;
      c0 += x[o2 + j] * wj;
      d0 += x[o3 + j] * wj;
    }
    out[0] = (a0 + a1) + (a2 + a3);
    out[1] = (b0 + b1) + (b2 + b3);
    out[2] = (c0 + c1) + (c2 + c3);
    out[3] = (d0 + d1) + (d2 + d3);
  }

  @Override
  public void dot4(double[] x, int xOff, int stride, double[] w, int wOff, int n, double[] out) {
    // Four rows at once, each with its own four partial sums: 16 independent chains (and one
    // load of w for four rows), each summed exactly as in dot().
    int o1 = xOff + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    double b0 = 0;
    double b1 = 0;
    double b2 = 0;
    double b3 = 0;
    double c0 = 0;
    double c1 = 0;
    double c2 = 0;
    double c3 = 0;
    double d0 = 0;
    double d1 = 0;
    double d2 = 0;
    double d3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      double w0 = w[wOff + j];
      double w1 = w[wOff + j + 1];
      double w2 = w[wOff + j + 2];
      double w3 = w[wOff + j + 3];
      a0 += x[xOff + j] * w0;
      a1 += x[xOff + j + 1] * w1;
      a2 += x[xOff + j + 2] * w2;
      a3 += x[xOff + j + 3] * w3;
      b0 += x[o1 + j] * w0;
      b1 += x[o1 + j + 1] * w1;
      b2 += x[o1 + j + 2] * w2;
      b3 += x[o1 + j + 3] * w3;
      c0 += x[o2 + j] * w0;
      c1 += x[o2 + j + 1] * w1;
      c2 += x[o2 + j + 2] * w2;
      c3 += x[o2 + j + 3] * w3;
      d0 += x[o3 + j] * w0;
      d1 += x[o3 + j + 1] * w1;
      d2 += x[o3 + j + 2] * w2;
      d3 += x[o3 + j + 3] * w3;
    }
    for (; j < n; j++) {
      double wj = w[wOff + j];
      a0 += x[xOff + j] * wj;
      b0 += x[o1 + j] * wj;
      c0 += x[o2 + j] * wj;
      d0 += x[o3 + j] * wj;
    }
    out[0] = (a0 + a1) + (a2 + a3);
    out[1] = (b0 + b1) + (b2 + b3);
    out[2] = (c0 + c1) + (c2 + c3);
    out[3] = (d0 + d1) + (d2 + d3);
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

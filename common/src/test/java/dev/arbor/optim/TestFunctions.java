package dev.arbor.optim;

import java.util.Random;

/** Analytic test problems with known minima, and the tools to check them. */
public final class TestFunctions {
  private TestFunctions() {}

  /** {@code f(w) = ½ (w − c)ᵀ A (w − c)}: minimum 0 at {@code c}. */
  public static final class Quadratic implements DifferentiableFunction {
    final double[][] a;
    final double[] c;
    int evaluations;

    public Quadratic(double[][] a, double[] c) {
      this.a = a;
      this.c = c;
    }

    /** A fixed, well-conditioned 4-D example: eigenvalues between about 0.6 and 5.4. */
    public static Quadratic example() {
      return new Quadratic(
          new double[][] {
            {4, 1, 0, 0.5},
            {1, 3, 0.5, 0},
            {0, 0.5, 2, 0.3},
            {0.5, 0, 0.3, 1}
          },
          new double[] {1.5, -2, 0.25, 3});
    }

    /** The minimizer {@code c} (a copy). */
    public double[] minimum() {
      return c.clone();
    }

    /** Calls of {@link #valueAndGradient} so far. */
    public int evaluations() {
      return evaluations;
    }

    @Override
    public int dimension() {
      return c.length;
    }

    @Override
    public double valueAndGradient(double[] w, double[] g) {
      evaluations++;
      int n = c.length;
      double v = 0;
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += a[i][j] * (w[j] - c[j]);
        }
        g[i] = s;
        v += 0.5 * (w[i] - c[i]) * s;
      }
      return v;
    }
  }

  /** The extended Rosenbrock function {@code Σ 100(x[i+1] − x[i]²)² + (1 − x[i])²}: min 0 at 1. */
  public static final class Rosenbrock implements DifferentiableFunction {
    private final int n;

    public Rosenbrock(int n) {
      this.n = n;
    }

    @Override
    public int dimension() {
      return n;
    }

    @Override
    public double valueAndGradient(double[] x, double[] g) {
      java.util.Arrays.fill(g, 0);
      double v = 0;
      for (int i = 0; i < n - 1; i++) {
        double t = x[i + 1] - x[i] * x[i];
        double u = 1 - x[i];
        v += 100 * t * t + u * u;
        g[i] += -400 * x[i] * t - 2 * u;
        g[i + 1] += 200 * t;
      }
      return v;
    }

    /** The classic start (−1.2, 1, −1.2, 1, …). */
    public double[] start() {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = i % 2 == 0 ? -1.2 : 1;
      }
      return x;
    }
  }

  /**
   * Least squares {@code f(w) = 1/(2N) Σ (x_i·w − y_i)²} as a {@link StochasticFunction}: batch
   * {@code s} of epoch {@code e} is slice {@code s} of a permutation of the rows drawn from a
   * {@link Random} seeded with the epoch (deterministic, as the contract requires).
   */
  public static final class LeastSquares implements StochasticFunction {
    final double[][] x;
    final double[] y;

    public LeastSquares(double[][] x, double[] y) {
      this.x = x;
      this.y = y;
    }

    /**
     * {@code rows} examples of {@code features} standard-normal features plus a last column of ones
     * (the intercept), labels {@code x·β + 0.5 + noise·N(0,1)}.
     */
    public static LeastSquares random(int rows, int features, double noise, long seed) {
      Random r = new Random(seed);
      double[][] x = new double[rows][features + 1];
      double[] y = new double[rows];
      for (int i = 0; i < rows; i++) {
        double t = 0.5;
        for (int j = 0; j < features; j++) {
          x[i][j] = r.nextGaussian();
          t += x[i][j] * (j + 1) * (j % 2 == 0 ? 1 : -1) * 0.5;
        }
        x[i][features] = 1;
        y[i] = t + noise * r.nextGaussian();
      }
      return new LeastSquares(x, y);
    }

    @Override
    public int dimension() {
      return x[0].length;
    }

    /** The mean of the labels. */
    public double meanLabel() {
      double s = 0;
      for (double v : y) {
        s += v;
      }
      return s / y.length;
    }

    @Override
    public long numExamples() {
      return y.length;
    }

    @Override
    public double valueAndGradient(double[] w, double[] g) {
      int[] all = new int[y.length];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return over(all, 0, all.length, w, g);
    }

    @Override
    public double batchValueAndGradient(double[] w, double[] g, MiniBatch batch) {
      int[] perm = permutation(batch.epoch());
      int size = (y.length + batch.stepsPerEpoch() - 1) / batch.stepsPerEpoch();
      int from = batch.step() * size;
      return over(perm, from, Math.min(y.length, from + size), w, g);
    }

    private int[] permutation(long epoch) {
      Random r = new Random(1000 + epoch);
      int[] p = new int[y.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = i;
      }
      for (int i = p.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      return p;
    }

    private double over(int[] rows, int from, int to, double[] w, double[] g) {
      java.util.Arrays.fill(g, 0);
      double v = 0;
      int count = to - from;
      for (int k = from; k < to; k++) {
        double[] xi = x[rows[k]];
        double r = -y[rows[k]];
        for (int j = 0; j < w.length; j++) {
          r += xi[j] * w[j];
        }
        v += 0.5 * r * r;
        for (int j = 0; j < w.length; j++) {
          g[j] += r * xi[j];
        }
      }
      for (int j = 0; j < w.length; j++) {
        g[j] /= count;
      }
      return v / count;
    }

    /**
     * The exact minimizer of {@code f + λ/2·Σ_{j≠intercept} w_j²}: the normal equations {@code
     * (XᵀX/N + λ·D) w = Xᵀy/N}, {@code D} the identity without the intercept, solved by Gaussian
     * elimination with partial pivoting.
     */
    public double[] solve(double lambda, int intercept) {
      int d = dimension();
      int nrows = y.length;
      double[][] m = new double[d][d + 1];
      for (int i = 0; i < nrows; i++) {
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            m[a][b] += x[i][a] * x[i][b] / nrows;
          }
          m[a][d] += x[i][a] * y[i] / nrows;
        }
      }
      for (int a = 0; a < d; a++) {
        if (a != intercept) {
          m[a][a] += lambda;
        }
      }
      return gauss(m);
    }
  }

  /** Solves the augmented system {@code m = [A | b]} in place. */
  static double[] gauss(double[][] m) {
    int d = m.length;
    for (int col = 0; col < d; col++) {
      int pivot = col;
      for (int r = col + 1; r < d; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      for (int r = col + 1; r < d; r++) {
        double f = m[r][col] / m[col][col];
        for (int c = col; c <= d; c++) {
          m[r][c] -= f * m[col][c];
        }
      }
    }
    double[] w = new double[d];
    for (int r = d - 1; r >= 0; r--) {
      double s = m[r][d];
      for (int c = r + 1; c < d; c++) {
        s -= m[r][c] * w[c];
      }
      w[r] = s / m[r][r];
    }
    return w;
  }

  /**
   * Lasso on an orthogonal design: 16 rows, an intercept column of ones (index 0) and 7 feature
   * columns taken from a 16×16 Sylvester–Hadamard matrix, so {@code XᵀX/N = I}. The minimizer of
   * {@code 1/(2N)‖y − Xw‖² + λ‖w_{1..7}‖₁} is then {@code w_0 = mean(y)} and {@code w_j = soft(z_j,
   * λ)} with {@code z = Xᵀy/N} (see {@link #lassoSolution}).
   */
  public static LeastSquares orthogonalDesign() {
    int rows = 16;
    int[] columns = {0, 1, 2, 3, 5, 6, 9, 12};
    double[][] x = new double[rows][columns.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < columns.length; j++) {
        x[i][j] = Integer.bitCount(i & columns[j]) % 2 == 0 ? 1 : -1;
      }
    }
    double[] beta = {2, 3, -1.5, 0.2, -0.1, 0.8, 0.05, -2};
    Random r = new Random(7);
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < beta.length; j++) {
        y[i] += x[i][j] * beta[j];
      }
      y[i] += 0.1 * r.nextGaussian();
    }
    return new LeastSquares(x, y);
  }

  /** The closed-form lasso solution on {@link #orthogonalDesign()}: soft-thresholded {@code z}. */
  public static double[] lassoSolution(LeastSquares f, double lambda) {
    int d = f.dimension();
    int nrows = f.y.length;
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      double z = 0;
      for (int i = 0; i < nrows; i++) {
        z += f.x[i][j] * f.y[i] / nrows;
      }
      w[j] = j == 0 ? z : Math.signum(z) * Math.max(Math.abs(z) - lambda, 0);
    }
    return w;
  }

  /** Central finite differences of {@code f} at {@code w}, step {@code h}. */
  public static double[] numericGradient(DifferentiableFunction f, double[] w, double h) {
    double[] g = new double[w.length];
    double[] scratch = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      double[] p = w.clone();
      double[] m = w.clone();
      p[i] += h;
      m[i] -= h;
      g[i] = (f.valueAndGradient(p, scratch) - f.valueAndGradient(m, scratch)) / (2 * h);
    }
    return g;
  }
}

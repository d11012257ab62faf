package dev.arbor.train.lsq;

import java.util.Arrays;

/**
 * Closed-form weighted least squares (optionally ridge) from an {@link RFactor}: the driver-side
 * half of the "normal equations" solver. No Spark here.
 *
 * <p>Problem: minimize {@code (1/W) Σ w_i ½ (y_i - b - x_iᵀβ)² + ½ λ ‖β‖²} (intercept {@code b}
 * unpenalized; without an intercept {@code b = 0}). This is the normal equation {@code (XᵀWX + λW
 * I) β = XᵀWy}, solved without forming {@code XᵀWX}:
 *
 * <ol>
 *   <li>With an intercept the factor is already centred; without one the row {@code sqrt(W)·m} is
 *       rotated back in. Ridge adds the rows {@code sqrt(λW)·e_j}.
 *   <li>Columns are scaled to unit norm (constant columns, whose column of R is exactly 0, get
 *       coefficient 0).
 *   <li>Back substitution on the scaled triangle when its smallest diagonal is above {@value
 *       #BACK_SUBSTITUTION_MIN_DIAGONAL}; otherwise a one-sided Jacobi SVD of the triangle
 *       (Hestenes) with singular values below {@code k·ε·σmax} treated as 0, which gives the
 *       minimum-norm solution in the scaled space for collinear features (e.g. a complete one-hot
 *       group next to the intercept).
 * </ol>
 *
 * <p>Accuracy: the relative error of β is about {@code κ·ε} where κ is the condition number of the
 * centred, column-scaled design (ε = 2.2e-16), against {@code κ²·ε} for a Cholesky solve of the
 * Gram matrix. Measured on NIST StRD (see {@code LeastSquaresSolverTest}): Norris, Longley and
 * Wampler1 certified coefficients to 12.8, 12.0 and 9.2 significant digits (the least accurate
 * coefficient of each).
 */
public final class LeastSquares {
  /** Smallest diagonal of the unit-column triangle that back substitution accepts. */
  public static final double BACK_SUBSTITUTION_MIN_DIAGONAL = 1e-10;

  private static final double EPS = Math.ulp(1.0);
  private static final int MAX_SWEEPS = 60;

  private LeastSquares() {}

  /** How the triangular system was solved. */
  public enum Method {
    BACK_SUBSTITUTION,
    SVD
  }

  /**
   * A least-squares solution.
   *
   * @param coefficients β, one per feature
   * @param intercept b (0 without an intercept)
   * @param rank the numerical rank of the (scaled) design used
   * @param method how the triangle was solved
   * @param objective the minimized objective {@code (1/W)·½·RSS + ½λ‖β‖²}
   * @param weightSum W
   * @param count the number of rows with a positive weight
   */
  public record Solution(
      double[] coefficients,
      double intercept,
      int rank,
      Method method,
      double objective,
      double weightSum,
      long count) {}

  /**
   * Solves the problem accumulated in {@code factor} (whose last column is the response).
   *
   * @param factor the accumulated rows; not modified
   * @param fitIntercept whether to fit an unpenalized intercept
   * @param l2 λ ≥ 0, the ridge strength on the mean-loss scale
   * @throws IllegalArgumentException when the factor is empty or λ is invalid
   */
  public static Solution solve(RFactor factor, boolean fitIntercept, double l2) {
    if (factor.weightSum() <= 0) {
      throw new IllegalArgumentException(
          "Cannot solve least squares: no rows with a positive weight: " + factor);
    }
    if (!(l2 >= 0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("Invalid L2 strength: " + l2 + " (expected finite >= 0)");
    }
    int d = factor.dim();
    int p = d - 1;
    RFactor f = factor.copy();
    double w = f.weightSum();
    double[] mean = f.mean();
    if (!fitIntercept) {
      double root = Math.sqrt(w);
      double[] row = new double[d];
      for (int j = 0; j < d; j++) {
        row[j] = root * mean[j];
      }
      f.rotateIn(row);
    }
    if (l2 > 0) {
      double root = Math.sqrt(l2 * w);
      for (int j = 0; j < p; j++) {
        double[] row = new double[d];
        row[j] = root;
        f.rotateIn(row);
      }
    }
    // Columns of R that are exactly zero are constant (or absent) features: coefficient 0.
    int[] kept = new int[p];
    double[] scale = new double[p];
    int k = 0;
    for (int j = 0; j < p; j++) {
      double s = 0;
      for (int i = 0; i <= j; i++) {
        s += f.get(i, j) * f.get(i, j);
      }
      if (s > 0) {
        scale[k] = Math.sqrt(s);
        kept[k++] = j;
      }
    }
    // The scaled triangle restricted to the kept rows/columns is still upper triangular: a zero
    // column j also has an all-zero row j (no rotated row ever had a non-zero entry there).
    double[][] cols = new double[k][k];
    double[] z = new double[k];
    double minDiag = Double.POSITIVE_INFINITY;
    for (int b = 0; b < k; b++) {
      for (int a = 0; a <= b; a++) {
        cols[b][a] = f.get(kept[a], kept[b]) / scale[b];
      }
      z[b] = f.get(kept[b], p);
      minDiag = Math.min(minDiag, Math.abs(cols[b][b]));
    }
    double[] scaled;
    Method method;
    int rank;
    if (k == 0) {
      scaled = new double[0];
      method = Method.BACK_SUBSTITUTION;
      rank = 0;
    } else if (minDiag >= BACK_SUBSTITUTION_MIN_DIAGONAL) {
      scaled = backSubstitute(cols, z);
      method = Method.BACK_SUBSTITUTION;
      rank = k;
    } else {
      int[] rankOut = new int[1];
      scaled = jacobiSvdSolve(cols, z, rankOut);
      method = Method.SVD;
      rank = rankOut[0];
    }
    double[] beta = new double[p];
    for (int b = 0; b < k; b++) {
      beta[kept[b]] = scaled[b] / scale[b];
    }
    double intercept = 0;
    if (fitIntercept) {
      intercept = mean[p];
      for (int j = 0; j < p; j++) {
        intercept -= mean[j] * beta[j];
      }
    }
    double objective = objective(f, beta, l2, w);
    return new Solution(beta, intercept, rank, method, objective, w, f.count());
  }

  /** {@code ½‖R_xx β - z‖²/W + ρ²/(2W) + ½λ‖β‖²} (ridge rows already inside R). */
  private static double objective(RFactor f, double[] beta, double l2, double w) {
    int p = beta.length;
    double sum = 0;
    for (int i = 0; i <= p; i++) {
      double ri = -f.get(i, p);
      for (int j = i; j < p; j++) {
        ri += f.get(i, j) * beta[j];
      }
      sum += ri * ri;
    }
    // ‖R·[β; -1]‖² already contains the ridge rows' λW‖β‖², so this is 2W times the objective.
    return sum / (2 * w);
  }

  static double[] backSubstitute(double[][] cols, double[] z) {
    int k = z.length;
    double[] x = z.clone();
    for (int i = k - 1; i >= 0; i--) {
      x[i] /= cols[i][i];
      for (int a = 0; a < i; a++) {
        x[a] -= cols[i][a] * x[i];
      }
    }
    return x;
  }

  /**
   * Minimum-norm solution of {@code A x ≈ z} by one-sided Jacobi SVD ({@code cols[j]} is column j
   * of A; overwritten).
   */
  static double[] jacobiSvdSolve(double[][] cols, double[] z, int[] rankOut) {
    int k = z.length;
    double[][] v = new double[k][k];
    for (int j = 0; j < k; j++) {
      v[j][j] = 1;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      boolean rotated = false;
      for (int i = 0; i < k - 1; i++) {
        for (int j = i + 1; j < k; j++) {
          double alpha = dot(cols[i], cols[i]);
          double beta = dot(cols[j], cols[j]);
          double gamma = dot(cols[i], cols[j]);
          if (gamma == 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double s = c * t;
          rotate(cols[i], cols[j], c, s);
          rotate(v[i], v[j], c, s);
        }
      }
      if (!rotated) {
        break;
      }
    }
    double[] sigma = new double[k];
    double max = 0;
    for (int j = 0; j < k; j++) {
      sigma[j] = Math.sqrt(dot(cols[j], cols[j]));
      max = Math.max(max, sigma[j]);
    }
    double cutoff = k * EPS * max;
    double[] x = new double[k];
    int rank = 0;
    for (int j = 0; j < k; j++) {
      if (sigma[j] <= cutoff) {
        continue;
      }
      rank++;
      // U_j = cols[j]/σ_j, so the component is (U_jᵀz)/σ_j = (cols[j]ᵀz)/σ_j².
      double coef = dot(cols[j], z) / (sigma[j] * sigma[j]);
      for (int a = 0; a < k; a++) {
        x[a] += coef * v[j][a];
      }
    }
    rankOut[0] = rank;
    return x;
  }

  private static void rotate(double[] a, double[] b, double c, double s) {
    for (int r = 0; r < a.length; r++) {
      double ar = a[r];
      double br = b[r];
      a[r] = c * ar - s * br;
      b[r] = s * ar + c * br;
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int r = 0; r < a.length; r++) {
      s += a[r] * b[r];
    }
    return s;
  }

  /** For logs: a short description. */
  public static String describe(Solution s) {
    return "Solution[rank="
        + s.rank()
        + ", method="
        + s.method()
        + ", objective="
        + s.objective()
        + ", intercept="
        + s.intercept()
        + ", coefficients="
        + Arrays.toString(s.coefficients())
        + "]";
  }
}

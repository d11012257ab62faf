package dev.arbor.train.lsq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The driver-side math, without Spark. */
class LeastSquaresTest {
  private static RFactor factor(double[][] x, double[] y, double[] w) {
    RFactor f = new RFactor(x[0].length + 1);
    for (int i = 0; i < y.length; i++) {
      double[] v = new double[x[0].length + 1];
      System.arraycopy(x[i], 0, v, 0, x[0].length);
      v[x[0].length] = y[i];
      f.add(v, w[i]);
    }
    return f;
  }

  @Test
  void simpleLineByHand() {
    // y = 1 + 2x exactly: x = 0, 1, 2.
    LeastSquares.Solution s =
        LeastSquares.solve(
            factor(new double[][] {{0}, {1}, {2}}, new double[] {1, 3, 5}, new double[] {1, 1, 1}),
            true,
            0);
    assertThat(s.coefficients()[0]).isCloseTo(2, within(1e-14));
    assertThat(s.intercept()).isCloseTo(1, within(1e-14));
    assertThat(s.objective()).isCloseTo(0, within(1e-28));
    assertThat(s.method()).isEqualTo(LeastSquares.Method.BACK_SUBSTITUTION);
  }

  @Test
  void noInterceptAndRidgeByHand() {
    // Without intercept on x = (1, 2), y = (1, 3): beta = Σxy / Σx² = 7/5.
    RFactor f = factor(new double[][] {{1}, {2}}, new double[] {1, 3}, new double[] {1, 1});
    assertThat(LeastSquares.solve(f, false, 0).coefficients()[0]).isCloseTo(1.4, within(1e-15));
    // Ridge, mean scale: minimize (1/2)·½Σ(y - βx)² + ½λβ² => β = Σxy / (Σx² + λW) = 7 / (5 + 2λ).
    assertThat(LeastSquares.solve(f, false, 0.5).coefficients()[0])
        .isCloseTo(7.0 / 6.0, within(1e-15));
    double beta = 7.0 / 6.0;
    double expected =
        0.5 * 0.5 * (Math.pow(1 - beta, 2) + Math.pow(3 - 2 * beta, 2)) + 0.25 * beta * beta;
    assertThat(LeastSquares.solve(f, false, 0.5).objective()).isCloseTo(expected, within(1e-15));
  }

  @Test
  void weightsEqualDuplicatedRowsAndMergeEqualsSequential() {
    Random rnd = new Random(7);
    int n = 50;
    double[][] x = new double[n][3];
    double[] y = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = rnd.nextGaussian() * (j + 1) + 10;
      }
      y[i] = 2 * x[i][0] - x[i][1] + 0.5 * x[i][2] + rnd.nextGaussian();
      w[i] = 1 + rnd.nextInt(3);
    }
    LeastSquares.Solution weighted = LeastSquares.solve(factor(x, y, w), true, 0.01);
    // Duplicate each row w_i times with weight 1.
    int total = 0;
    for (double wi : w) {
      total += (int) wi;
    }
    double[][] dx = new double[total][];
    double[] dy = new double[total];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < (int) w[i]; c++) {
        dx[k] = x[i];
        dy[k++] = y[i];
      }
    }
    double[] ones = new double[total];
    java.util.Arrays.fill(ones, 1);
    LeastSquares.Solution duplicated = LeastSquares.solve(factor(dx, dy, ones), true, 0.01);
    for (int j = 0; j < 3; j++) {
      assertThat(weighted.coefficients()[j]).isCloseTo(duplicated.coefficients()[j], within(1e-12));
    }
    // Split into two halves, merge, compare with the sequential factor.
    RFactor a = new RFactor(4);
    RFactor b = new RFactor(4);
    for (int i = 0; i < n; i++) {
      double[] v = {x[i][0], x[i][1], x[i][2], y[i]};
      (i < 20 ? a : b).add(v, w[i]);
    }
    RFactor merged = a.copy();
    merged.merge(b);
    LeastSquares.Solution m = LeastSquares.solve(merged, true, 0.01);
    for (int j = 0; j < 3; j++) {
      assertThat(m.coefficients()[j]).isCloseTo(weighted.coefficients()[j], within(1e-12));
    }
    assertThat(m.intercept()).isCloseTo(weighted.intercept(), within(1e-11));
    assertThat(merged.weightSum()).isEqualTo(factor(x, y, w).weightSum());
    // Merging an empty factor is the identity.
    RFactor same = merged.copy();
    same.merge(new RFactor(4));
    assertThat(LeastSquares.solve(same, true, 0.01).coefficients()).isEqualTo(m.coefficients());
  }

  @Test
  void constantAndCollinearColumnsGetMinimumNormSolution() {
    // Column 2 is constant (coefficient 0); columns 0 and 1 are identical (collinear).
    int n = 20;
    double[][] x = new double[n][3];
    double[] y = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = i;
      x[i][1] = i;
      x[i][2] = 4;
      y[i] = 3 + 2 * i;
      w[i] = 1;
    }
    LeastSquares.Solution s = LeastSquares.solve(factor(x, y, w), true, 0);
    assertThat(s.method()).isEqualTo(LeastSquares.Method.SVD);
    assertThat(s.rank()).isEqualTo(1);
    assertThat(s.coefficients()[0]).isCloseTo(1, within(1e-12));
    assertThat(s.coefficients()[1]).isCloseTo(1, within(1e-12));
    assertThat(s.coefficients()[2]).isEqualTo(0);
    assertThat(s.intercept()).isCloseTo(3, within(1e-11));
  }
}

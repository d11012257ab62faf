package dev.arbor.loss.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every kernel against the scalar one-row loops, bit for bit, over lengths that exercise the 4-wide
 * body and every tail length, at offsets and strides that are not multiples of 4.
 */
class LinearKernelTest {
  private static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 100, 101, 103};
  private static final LinearKernel SCALAR = LinearKernel.scalar();

  /**
   * The kernels to check: the scalar one (its four-row loops against its one-row loops) and the
   * Vector API one when this JVM has it.
   */
  private static List<LinearKernel> kernels() {
    List<LinearKernel> out = new ArrayList<>();
    out.add(SCALAR);
    LinearKernel.vector().ifPresent(out::add);
    return out;
  }

  @Test
  void theSelectedKernelIsTheVectorOneWhenItIsAvailable() {
    assertThat(LinearKernel.current()).isSameAs(LinearKernel.vector().orElse(SCALAR));
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector"))
        .as("surefire's argLine (spark.jvm.flags in the root pom) adds the module")
        .isPresent();
  }

  @Test
  void selectionNamesTheKernelCurrentSelectsAndAForcedScalar() {
    assertThat(LinearKernel.selection()).isEqualTo(LinearKernel.current().description());
    String before = System.getProperty(LinearKernel.PROPERTY);
    System.setProperty(LinearKernel.PROPERTY, "scalar");
    try {
      assertThat(LinearKernel.selection())
          .isEqualTo(SCALAR.description() + " (forced by -Darbor.kernel=scalar)");
    } finally {
      if (before == null) {
        System.clearProperty(LinearKernel.PROPERTY);
      } else {
        System.setProperty(LinearKernel.PROPERTY, before);
      }
    }
  }

  @Test
  void dotProductsAreBitIdenticalToTheScalarReference() {
    Random rnd = new Random(1);
    for (LinearKernel kernel : kernels()) {
      for (int n : LENGTHS) {
        int stride = n + 3;
        float[] x32 = floats(rnd, 5 + 4 * stride);
        double[] x64 = doubles(rnd, 5 + 4 * stride);
        double[] w = doubles(rnd, n + 2);
        double[] out32 = new double[4];
        double[] out64 = new double[4];
        kernel.dot4(x32, 5, stride, w, 2, n, out32);
        kernel.dot4(x64, 5, stride, w, 2, n, out64);
        for (int r = 0; r < 4; r++) {
          int off = 5 + r * stride;
          String what = kernel + " n=" + n + " row " + r;
          assertBits(out32[r], SCALAR.dot(x32, off, w, 2, n), what);
          assertBits(out64[r], SCALAR.dot(x64, off, w, 2, n), what);
          assertBits(kernel.dot(x32, off, w, 2, n), SCALAR.dot(x32, off, w, 2, n), what);
          assertBits(kernel.dot(x64, off, w, 2, n), SCALAR.dot(x64, off, w, 2, n), what);
        }
      }
    }
  }

  @Test
  void fourRowUpdatesEqualFourOneRowUpdatesInOrder() {
    Random rnd = new Random(2);
    for (LinearKernel kernel : kernels()) {
      for (int n : LENGTHS) {
        int stride = n + 1;
        float[] x32 = floats(rnd, 3 + 4 * stride);
        double[] x64 = doubles(rnd, 3 + 4 * stride);
        double[] a = doubles(rnd, 4);
        double[] y = doubles(rnd, n + 6);
        double[] got32 = y.clone();
        double[] got64 = y.clone();
        double[] want32 = y.clone();
        double[] want64 = y.clone();
        kernel.axpy4(a[0], a[1], a[2], a[3], x32, 3, stride, got32, 6, n);
        kernel.axpy4(a[0], a[1], a[2], a[3], x64, 3, stride, got64, 6, n);
        for (int r = 0; r < 4; r++) {
          SCALAR.axpy(a[r], x32, 3 + r * stride, want32, 6, n);
          SCALAR.axpy(a[r], x64, 3 + r * stride, want64, 6, n);
        }
        assertThat(got32).as(kernel + " n=" + n).containsExactly(want32);
        assertThat(got64).as(kernel + " n=" + n).containsExactly(want64);

        double[] one32 = y.clone();
        double[] one64 = y.clone();
        double[] ref32 = y.clone();
        double[] ref64 = y.clone();
        kernel.axpy(a[0], x32, 3, one32, 6, n);
        kernel.axpy(a[0], x64, 3, one64, 6, n);
        SCALAR.axpy(a[0], x32, 3, ref32, 6, n);
        SCALAR.axpy(a[0], x64, 3, ref64, 6, n);
        assertThat(one32).as(kernel + " n=" + n).containsExactly(ref32);
        assertThat(one64).as(kernel + " n=" + n).containsExactly(ref64);
        // nothing outside [6, 6 + n) is written
        assertThat(got32[5]).isEqualTo(y[5]);
      }
    }
  }

  @Test
  void readSumAddsEveryElementOfTheRange() {
    float[] x = new float[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 7;
    }
    double want = 0;
    for (int i = 3; i < 998; i++) {
      want += x[i];
    }
    for (LinearKernel kernel : kernels()) {
      assertThat((double) kernel.readSum(x, 3, 998)).as(kernel.toString()).isEqualTo(want);
    }
  }

  @Test
  void theVectorKernelMatchesOnExtremeValues() {
    assumeTrue(LinearKernel.vector().isPresent(), "no Vector API kernel in this JVM");
    LinearKernel vector = LinearKernel.vector().get();
    // Overflow, cancellation and signed zeros must round exactly as in the scalar loops.
    double[] w = {1e308, -1e308, 1e-300, -0.0, 3, 1e16, -1e16, 1, 0.1};
    double[] x = {10, 10, 1e-300, -0.0, Double.MIN_VALUE, 1, 1, 1e-16, 0.3};
    for (int n = 1; n <= 9; n++) {
      assertBits(vector.dot(x, 0, w, 0, n), SCALAR.dot(x, 0, w, 0, n), "extremes n=" + n);
      assertBits(vector.dot(w, 0, x, 0, n), SCALAR.dot(w, 0, x, 0, n), "extremes n=" + n);
    }
  }

  private static void assertBits(double got, double want, String what) {
    assertThat(Double.doubleToRawLongBits(got))
        .as(what + ": " + got + " vs " + want)
        .isEqualTo(Double.doubleToRawLongBits(want));
  }

  /** Values over many magnitudes and signs, so that rounding differences would show. */
  private static float[] floats(Random rnd, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(13) - 6));
    }
    return out;
  }

  private static double[] doubles(Random rnd, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(13) - 6);
    }
    return out;
  }
}

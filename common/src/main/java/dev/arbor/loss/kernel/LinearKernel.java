package dev.arbor.loss.kernel;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dense inner loops of a linear loss over row-major feature arrays: the dot product of a row
 * with a weight vector and {@code y += a·x}, for one row or four rows at a time (four rows share
 * the loads of {@code w} or {@code y} and give the CPU four independent dependency chains).
 *
 * <p><b>Arithmetic contract</b> (what makes every implementation bit-identical): features are
 * widened to double; a dot product over {@code n} elements keeps four partial sums, partial {@code
 * l} adding {@code x[j]·w[j]} for {@code j ≡ l (mod 4)}, {@code j < n − n mod 4}, in increasing
 * {@code j}; the last {@code n mod 4} products are added to partial 0; the result is {@code (s0 +
 * s1) + (s2 + s3)}. Products and sums are separately rounded (never fused). {@code axpy4} updates
 * each {@code y[j]} as {@code (((y + a0·x0) + a1·x1) + a2·x2) + a3·x3}, exactly as four {@code
 * axpy} calls in row order. So a four-row call equals four one-row calls, bit for bit.
 *
 * <p>Stateless and thread-safe. {@link #current()} is the implementation of this JVM, chosen once
 * (and logged): {@code -Darbor.kernel=scalar} forces the plain Java one.
 */
public abstract class LinearKernel {
  private static final Logger LOG = LoggerFactory.getLogger(LinearKernel.class);

  /** The system property that forces a kernel: {@code scalar}, or {@code auto} (the default). */
  public static final String PROPERTY = "arbor.kernel";

  LinearKernel() {}

  /** The kernel of this JVM: the Vector API one when available, else the scalar one. */
  public static LinearKernel current() {
    return Selected.KERNEL;
  }

  /** The plain Java kernel (always available). */
  public static LinearKernel scalar() {
    return ScalarKernel.INSTANCE;
  }

  /**
   * The Vector API kernel, or empty when this JVM cannot run it: module {@code
   * jdk.incubator.vector} not in the boot layer ({@code --add-modules=jdk.incubator.vector}), or no
   * 256-bit vectors on this CPU (it would run emulated, slower than the scalar kernel).
   */
  public static Optional<LinearKernel> vector() {
    return Optional.ofNullable(VectorProbe.KERNEL);
  }

  /**
   * The kernel {@link #current()} selects in this JVM and why, without selecting it (so nothing is
   * logged): for {@code arbor version}.
   */
  public static String selection() {
    return Choice.make().describe();
  }

  /** A short description for logs and benchmark reports. */
  public abstract String description();

  /** {@code Σ x[j]·w[wOff+j]} over {@code j < n} for the row at {@code x[xOff …]}. */
  public abstract double dot(float[] x, int xOff, double[] w, int wOff, int n);

  /** {@link #dot(float[], int, double[], int, int)} over float64 rows. */
  public abstract double dot(double[] x, int xOff, double[] w, int wOff, int n);

  /**
   * The dot products with {@code w[wOff …]} of the four rows at {@code x[xOff + r·stride …]},
   * {@code r < 4}, into {@code out[0 … 3]}.
   */
  public abstract void dot4(
      float[] x, int xOff, int stride, double[] w, int wOff, int n, double[] out);

  /** {@link #dot4(float[], int, int, double[], int, int, double[])} over float64 rows. */
  public abstract void dot4(
      double[] x, int xOff, int stride, double[] w, int wOff, int n, double[] out);

  /** {@code y[yOff+j] += a·x[xOff+j]} for {@code j < n}. */
  public abstract void axpy(double a, float[] x, int xOff, double[] y, int yOff, int n);

  /** {@link #axpy(double, float[], int, double[], int, int)} over float64 rows. */
  public abstract void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n);

  /**
   * {@code axpy(a_r, row r)} for the four rows at {@code x[xOff + r·stride …]} in order {@code r =
   * 0 … 3}, in one pass over {@code y}.
   */
  public abstract void axpy4(
      double a0,
      double a1,
      double a2,
      double a3,
      float[] x,
      int xOff,
      int stride,
      double[] y,
      int yOff,
      int n);

  /** {@link #axpy4(double, double, double, double, float[], int, int, double[], int, int)}. */
  public abstract void axpy4(
      double a0,
      double a1,
      double a2,
      double a3,
      double[] x,
      int xOff,
      int stride,
      double[] y,
      int yOff,
      int n);

  /**
   * A sum of {@code x[from … to)} in float, in an unspecified but fixed order: a pass that only
   * reads the features, as fast as this kernel can load them. For memory-bandwidth baselines
   * (benchmarks), not for results.
   */
  public abstract float readSum(float[] x, int from, int to);

  /** {@link #readSum(float[], int, int)} over float64 features. */
  public abstract double readSum(double[] x, int from, int to);

  @Override
  public String toString() {
    return description();
  }

  /** Loads the Vector API kernel reflectively: this class must load without the module. */
  private static final class VectorProbe {
    static final LinearKernel KERNEL;

    /** Why {@link #KERNEL} is null, else empty. */
    static final String UNAVAILABLE;

    static {
      LinearKernel kernel = null;
      String reason = "";
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        reason =
            "module jdk.incubator.vector is not in the boot layer"
                + " (start the JVM with --add-modules=jdk.incubator.vector)";
      } else {
        try {
          kernel =
              (LinearKernel)
                  Class.forName("dev.arbor.loss.kernel.VectorKernel")
                      .getDeclaredConstructor()
                      .newInstance();
        } catch (InvocationTargetException e) {
          reason = String.valueOf(e.getCause().getMessage());
        } catch (ReflectiveOperationException | LinkageError e) {
          reason = "cannot load the Vector API kernel: " + e;
        }
      }
      KERNEL = kernel;
      UNAVAILABLE = reason;
    }
  }

  /** The kernel this JVM selects and, unless it is the Vector API one, why ({@code reason}). */
  private record Choice(LinearKernel kernel, String reason) {
    static Choice make() {
      if (System.getProperty(PROPERTY, "auto").equals("scalar")) {
        return new Choice(scalar(), "forced by -D" + PROPERTY + "=scalar");
      }
      LinearKernel vector = VectorProbe.KERNEL;
      return vector != null
          ? new Choice(vector, "")
          : new Choice(scalar(), VectorProbe.UNAVAILABLE);
    }

    String describe() {
      return reason.isEmpty() ? kernel.description() : kernel.description() + " (" + reason + ")";
    }
  }

  private static final class Selected {
    static final LinearKernel KERNEL = select();

    private static LinearKernel select() {
      String property = System.getProperty(PROPERTY, "auto");
      if (!property.equals("scalar") && !property.equals("auto")) {
        LOG.warn("Ignoring -D{}={} (expected scalar or auto)", PROPERTY, property);
      }
      Choice choice = Choice.make();
      LOG.info("Linear kernel: {}", choice.describe());
      return choice.kernel();
    }
  }
}

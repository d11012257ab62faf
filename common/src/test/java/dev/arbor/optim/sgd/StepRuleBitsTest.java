package dev.arbor.optim.sgd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.optim.StepRule;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The step rules' arithmetic, bit for bit: {@link StepRule#stepSmooth} (used by local steps) makes
 * the same update as {@link StepRule#step}, and Adam's loop makes exactly the textbook update
 * written element by element, so a faster loop can never move a model's bits.
 */
class StepRuleBitsTest {
  private static final int N = 1003; // not a multiple of any vector width

  static Stream<StepRule> rules() {
    return Stream.of(
        Sgd.plain(),
        new Sgd(0.9, false),
        new Sgd(0.9, true),
        new AdaGrad(1e-8),
        new RmsProp(0.9, 1e-8),
        Adam.defaults(),
        new Adam(0.8, 0.99, 1e-7, 0.01));
  }

  @ParameterizedTest
  @MethodSource("rules")
  void stepSmoothUpdatesAsStepDoes(StepRule prototype) {
    StepRule a = prototype.copy();
    StepRule b = prototype.copy();
    boolean[] regularized = regularized();
    a.initialise(regularized);
    b.initialise(regularized);
    double[] wa = start();
    double[] wb = wa.clone();
    double[] effective = new double[N];
    double[] scratch = new double[N];
    Random r = new Random(7);
    for (int s = 0; s < 25; s++) {
      double[] g = gradient(r);
      a.step(wa, g, 0.01, effective);
      b.stepSmooth(wb, g.clone(), 0.01, scratch);
    }
    assertThat(bits(wb)).isEqualTo(bits(wa));
  }

  @ParameterizedTest
  @MethodSource("adams")
  void adamIsTheTextbookUpdateElementByElement(double weightDecay) {
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double rate = 0.003;
    Adam adam = new Adam(b1, b2, eps, weightDecay);
    boolean[] regularized = regularized();
    adam.initialise(regularized);
    double[] w = start();
    double[] ref = w.clone();
    double[] m = new double[N];
    double[] v = new double[N];
    double[] effective = new double[N];
    Random r = new Random(11);
    for (int t = 1; t <= 40; t++) {
      double[] g = gradient(r);
      adam.step(w, g, rate, effective);
      double c1 = 1 - Math.pow(b1, t);
      double c2 = 1 - Math.pow(b2, t);
      for (int i = 0; i < N; i++) {
        if (weightDecay > 0 && regularized[i]) {
          ref[i] -= rate * weightDecay * ref[i];
        }
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double e = rate / (Math.sqrt(v[i] / c2) + eps);
        assertThat(Double.doubleToRawLongBits(effective[i]))
            .isEqualTo(Double.doubleToRawLongBits(e));
        ref[i] -= e * (m[i] / c1);
      }
    }
    assertThat(bits(w)).isEqualTo(bits(ref));
  }

  static Stream<Double> adams() {
    return Stream.of(0.0, 0.05);
  }

  private static boolean[] regularized() {
    boolean[] r = new boolean[N];
    for (int i = 0; i < N; i++) {
      r[i] = i % 10 != 0;
    }
    return r;
  }

  private static double[] start() {
    Random r = new Random(3);
    double[] w = new double[N];
    for (int i = 0; i < N; i++) {
      w[i] = r.nextGaussian();
    }
    return w;
  }

  private static double[] gradient(Random r) {
    double[] g = new double[N];
    for (int i = 0; i < N; i++) {
      g[i] = r.nextGaussian() * (i % 7 == 0 ? 1e-6 : 1);
    }
    return g;
  }

  private static long[] bits(double[] a) {
    long[] b = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Double.doubleToRawLongBits(a[i]);
    }
    return b;
  }
}

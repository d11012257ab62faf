package dev.arbor.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.loss.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forward and backward passes of the network family, without Spark. */
class NetworkGradientTest {

  static Stream<Arguments> everyCombination() {
    List<Arguments> out = new ArrayList<>();
    for (Activation a : Activation.values()) {
      for (OutputLayer o : OutputLayer.values()) {
        out.add(Arguments.of(a, o, new int[] {5}));
        out.add(Arguments.of(a, o, new int[] {4, 3}));
      }
    }
    return out.stream();
  }

  /** Central differences in float64 agree with the backward pass to a relative error ≤ 1e-6. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("everyCombination")
  void gradientMatchesFiniteDifferences(Activation activation, OutputLayer output, int[] hidden) {
    int inputs = 6;
    int outputs = output == OutputLayer.SOFTMAX_CROSS_ENTROPY ? 3 : 1;
    // delta 0.3 so that the Huber loss has rows on both sides of it.
    Architecture arch = new Architecture(inputs, hidden, activation, outputs, output, 0.3, 0.0);
    Block block = randomBlock(new Random(7), 40, inputs, output, outputs);
    double[] w = arch.initialWeights(11);
    // Non-zero biases, so their gradients are exercised away from the symmetric start.
    Random r = new Random(3);
    for (int l = 0; l < arch.numLayers(); l++) {
      for (int j = 0; j < arch.size(l + 1); j++) {
        w[arch.biasOffset(l) + j] = 0.1 * r.nextGaussian();
      }
    }
    double[] analytic = new double[w.length];
    new NetworkGradient(arch, w).add(block).gradient(analytic);

    double maxError = 0;
    double h = 1e-6;
    for (int i = 0; i < w.length; i++) {
      double[] plus = w.clone();
      double[] minus = w.clone();
      plus[i] += h;
      minus[i] -= h;
      double numeric =
          (new NetworkGradient(arch, plus).add(block).loss()
                  - new NetworkGradient(arch, minus).add(block).loss())
              / (2 * h);
      double error =
          Math.abs(numeric - analytic[i])
              / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
      maxError = Math.max(maxError, error);
    }
    assertThat(maxError).as(arch.toString()).isLessThanOrEqualTo(1e-6);
  }

  /**
   * 2 → 2 relu → 2 softmax by hand: x = (1, 2), W₀ = [[1, −1], [0.5, 0.5]], b₀ = (0, −1), W₁ = [[1,
   * 0], [0, 2]], b₁ = (0, 0), label 1. z₁ = (−1, 0.5), a₁ = (0, 0.5); z₂ = (0, 1); p = (1/(1+e),
   * e/(1+e)); loss = log(1 + e) − 1; ∂z₂ = (p₀, p₁ − 1) = (p₀, −p₀); ∂W₁ = ∂z₂ ⊗ a₁ = [[0, p₀/2],
   * [0, −p₀/2]]; ∂a₁ = W₁ᵀ∂z₂ = (p₀, −2p₀); ∂z₁ = (0, −2p₀) (unit 0 inactive); ∂W₀ = ∂z₁ ⊗ x = [[0,
   * 0], [−2p₀, −4p₀]]; ∂b₀ = (0, −2p₀).
   */
  @Test
  void tinyNetworkByHand() {
    Architecture arch =
        new Architecture(
            2, new int[] {2}, Activation.RELU, 2, OutputLayer.SOFTMAX_CROSS_ENTROPY, 1, 0);
    double[] w = {1, -1, 0.5, 0.5, 0, -1, 1, 0, 0, 2, 0, 0};
    Block block = Block.ofFloat64(2, new double[] {1, 2}, new double[] {1}, new double[] {1});
    NetworkGradient g = new NetworkGradient(arch, w).add(block);
    double p0 = 1 / (1 + Math.E);
    assertThat(g.loss()).isCloseTo(Math.log(1 + Math.E) - 1, within(1e-15));
    double[] grad = new double[w.length];
    g.gradient(grad);
    assertThat(grad)
        .containsExactly(
            new double[] {0, 0, -2 * p0, -4 * p0, 0, -2 * p0, 0, p0 / 2, 0, -p0 / 2, p0, -p0},
            within(1e-15));
    double[] probabilities = new NetworkPass(arch, 1).predict(w, new double[] {1, 2}, 1);
    assertThat(probabilities[0]).isCloseTo(p0, within(1e-15));
    assertThat(probabilities[1]).isCloseTo(1 - p0, within(1e-15));
  }

  /** Row weights scale a row's contribution; merging two halves equals one pass over all rows. */
  @Test
  void weightsAndMerge() {
    Architecture arch =
        new Architecture(3, new int[] {4}, Activation.TANH, 1, OutputLayer.SIGMOID_LOG_LOSS, 1, 0);
    double[] w = arch.initialWeights(5);
    Random r = new Random(1);
    Block all = randomBlock(r, 300, 3, OutputLayer.SIGMOID_LOG_LOSS, 1);
    // The same rows, the first one with weight 2, as a duplicate row would count.
    double[] weights = new double[300];
    java.util.Arrays.fill(weights, 1);
    weights[0] = 2;
    Block weighted = Block.ofFloat64(3, all.features64(), all.labels(), weights);
    double[] firstTwice = new double[301 * 3];
    System.arraycopy(all.features64(), 0, firstTwice, 0, 3);
    System.arraycopy(all.features64(), 0, firstTwice, 3, 300 * 3);
    double[] labels = new double[301];
    labels[0] = all.labels()[0];
    System.arraycopy(all.labels(), 0, labels, 1, 300);
    double[] ones = new double[301];
    java.util.Arrays.fill(ones, 1);
    Block duplicated = Block.ofFloat64(3, firstTwice, labels, ones);
    double[] g1 = new double[w.length];
    double[] g2 = new double[w.length];
    NetworkGradient a = new NetworkGradient(arch, w).add(weighted);
    NetworkGradient b = new NetworkGradient(arch, w).add(duplicated);
    a.gradient(g1);
    b.gradient(g2);
    assertThat(a.loss()).isCloseTo(b.loss(), within(1e-12));
    assertThat(g1).containsExactly(g2, within(1e-12));
    assertThat(a.weightSum()).isEqualTo(301);

    Block first = slice(all, 0, 100);
    Block rest = slice(all, 100, 300);
    NetworkGradient merged =
        new NetworkGradient(arch, w).add(first).merge(new NetworkGradient(arch, w).add(rest));
    NetworkGradient whole = new NetworkGradient(arch, w).add(all);
    double[] gm = new double[w.length];
    double[] gw = new double[w.length];
    merged.gradient(gm);
    whole.gradient(gw);
    assertThat(merged.loss()).isCloseTo(whole.loss(), within(1e-12));
    assertThat(gm).containsExactly(gw, within(1e-12));
  }

  /** Float32 blocks give the float64 result of the same (float-rounded) features. */
  @Test
  void float32BlocksWidenExactly() {
    Architecture arch =
        new Architecture(
            4, new int[] {3}, Activation.SIGMOID, 1, OutputLayer.IDENTITY_SQUARED, 1, 0);
    Block b64 = randomBlock(new Random(2), 50, 4, OutputLayer.IDENTITY_SQUARED, 1);
    float[] f = new float[b64.features64().length];
    double[] rounded = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) b64.features64()[i];
      rounded[i] = f[i];
    }
    Block b32 = Block.ofFloat32(4, f, b64.labels(), b64.weights());
    Block r64 = Block.ofFloat64(4, rounded, b64.labels(), b64.weights());
    double[] w = arch.initialWeights(3);
    double[] g32 = new double[w.length];
    double[] g64 = new double[w.length];
    NetworkGradient a = new NetworkGradient(arch, w).add(b32);
    NetworkGradient c = new NetworkGradient(arch, w).add(r64);
    a.gradient(g32);
    c.gradient(g64);
    assertThat(a.loss()).isEqualTo(c.loss());
    assertThat(g32).containsExactly(g64);
  }

  /** Dropout is deterministic per key, scales kept units, and is off for {@link Dropout#OFF}. */
  @Test
  void dropoutIsDeterministicAndInverted() {
    Architecture arch =
        new Architecture(
            5, new int[] {64}, Activation.RELU, 1, OutputLayer.IDENTITY_SQUARED, 1, 0.5);
    Block block = randomBlock(new Random(4), 32, 5, OutputLayer.IDENTITY_SQUARED, 1);
    double[] w = arch.initialWeights(9);
    double[] x = block.features64();
    NetworkPass pass = new NetworkPass(arch, 32);
    double[] g1 = new double[w.length];
    double[] g2 = new double[w.length];
    double[] g3 = new double[w.length];
    double l1 = pass.lossAndGradient(w, x, block.labels(), block.weights(), 32, g1, 17);
    double l2 = pass.lossAndGradient(w, x, block.labels(), block.weights(), 32, g2, 17);
    double l3 = pass.lossAndGradient(w, x, block.labels(), block.weights(), 32, g3, 18);
    assertThat(l1).isEqualTo(l2);
    assertThat(g1).containsExactly(g2);
    assertThat(l3).isNotEqualTo(l1);
    double[] mask = new double[10_000];
    Dropout.mask(17, 1, 0.5, mask, mask.length);
    long dropped = java.util.Arrays.stream(mask).filter(m -> m == 0).count();
    assertThat(dropped).isBetween(4_800L, 5_200L);
    assertThat(java.util.Arrays.stream(mask).filter(m -> m != 0)).allMatch(m -> m == 2.0);
  }

  @Test
  void rejectsInvalidShapes() {
    assertThatThrownBy(
            () ->
                new Architecture(
                    3, new int[] {0}, Activation.RELU, 2, OutputLayer.SOFTMAX_CROSS_ENTROPY, 1, 0))
        .hasMessage("Invalid hidden layer size: 0 in [0] (expected >= 1)");
    assertThatThrownBy(
            () ->
                new Architecture(
                    3, new int[] {2}, Activation.RELU, 2, OutputLayer.SIGMOID_LOG_LOSS, 1, 0))
        .hasMessage("Invalid number of outputs for a sigmoid output layer: 2 (expected 1)");
    assertThatThrownBy(() -> Activation.fromConfig("swish"))
        .hasMessage("Invalid activation: swish (expected relu, leaky-relu, tanh or sigmoid)");
    Architecture arch =
        new Architecture(
            3, new int[] {2}, Activation.RELU, 2, OutputLayer.SOFTMAX_CROSS_ENTROPY, 1, 0);
    assertThat(arch.dimension()).isEqualTo(3 * 2 + 2 + 2 * 2 + 2);
    assertThat(arch.describe()).isEqualTo("3 → 2 relu → 2 softmax");
    assertThatThrownBy(() -> new NetworkGradient(arch, new double[3]))
        .hasMessage(
            "Cannot create a network gradient: expected 14 weights for 3 → 2 relu → 2 softmax but got: 3");
  }

  /** Initialization is deterministic and He-scaled for ReLU layers. */
  @Test
  void initialization() {
    Architecture arch =
        new Architecture(
            784, new int[] {128}, Activation.RELU, 10, OutputLayer.SOFTMAX_CROSS_ENTROPY, 1, 0);
    double[] a = arch.initialWeights(42);
    assertThat(arch.initialWeights(42)).containsExactly(a);
    double sum = 0;
    double sumSq = 0;
    int n = arch.biasOffset(0) - arch.weightOffset(0);
    for (int i = 0; i < n; i++) {
      sum += a[i];
      sumSq += a[i] * a[i];
    }
    assertThat(sum / n).isCloseTo(0, within(0.002));
    assertThat(Math.sqrt(sumSq / n)).isCloseTo(Math.sqrt(2.0 / 784), within(0.001));
    for (int j = 0; j < 128; j++) {
      assertThat(a[arch.biasOffset(0) + j]).isZero();
    }
  }

  static Block randomBlock(Random r, int rows, int d, OutputLayer output, int outputs) {
    double[] x = new double[rows * d];
    double[] y = new double[rows];
    double[] w = new double[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    for (int i = 0; i < rows; i++) {
      y[i] =
          switch (output) {
            case SOFTMAX_CROSS_ENTROPY -> r.nextInt(outputs);
            case SIGMOID_LOG_LOSS -> r.nextInt(2);
            default -> r.nextGaussian();
          };
      w[i] = 0.5 + r.nextDouble();
    }
    return Block.ofFloat64(d, x, y, w);
  }

  private static Block slice(Block b, int from, int to) {
    int d = b.numFeatures();
    return Block.ofFloat64(
        d,
        java.util.Arrays.copyOfRange(b.features64(), from * d, to * d),
        java.util.Arrays.copyOfRange(b.labels(), from, to),
        java.util.Arrays.copyOfRange(b.weights(), from, to));
  }
}

package dev.arbor.nn;

/**
 * Deterministic dropout masks (inverted dropout: a kept unit is scaled by {@code 1/(1 − p)} so the
 * expected activation is unchanged and inference needs no rescaling). Unit {@code u} of hidden
 * layer {@code l} in a batch keyed {@code key} is dropped when a SplitMix64 hash of {@code (key, l,
 * u)} falls below {@code p}: the same batch of the same run drops the same units on every JVM and
 * task retry.
 */
public final class Dropout {
  /** The key that means "no dropout" (inference, full-batch passes). */
  public static final long OFF = Long.MIN_VALUE;

  private Dropout() {}

  /** The key of one training batch. */
  public static long key(long seed, long epoch, long step, int partition) {
    return mix64(mix64(mix64(seed ^ 0x632BE59BD9B4E019L) + epoch) + step * 1_000_003L + partition)
        & Long.MAX_VALUE;
  }

  /** Writes the factors of {@code n} units of layer {@code layer} into {@code out[0, n)}. */
  static void mask(long key, int layer, double p, double[] out, int n) {
    double scale = 1 / (1 - p);
    long base = mix64(key + layer * 0x9E3779B97F4A7C15L);
    for (int u = 0; u < n; u++) {
      double r = (mix64(base + u) >>> 11) * 0x1.0p-53;
      out[u] = r < p ? 0.0 : scale;
    }
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

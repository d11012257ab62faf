package dev.arbor.train.data;

/** Storage precision of block features. Accumulation is always in double. */
public enum Precision {
  /** {@code float[]}: half the memory and memory traffic; features rounded to 24-bit mantissas. */
  FLOAT32,
  /** {@code double[]}: the exact input values (reference runs). */
  FLOAT64;

  /** The configuration name ({@code float32}, {@code float64}). */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

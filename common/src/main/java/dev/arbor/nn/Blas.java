package dev.arbor.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The BLAS behind the network's matrix products: {@code dev.ludovic.netlib}'s choice (the native
 * system BLAS, e.g. OpenBLAS from Debian's {@code libopenblas0}, when it loads; else its Java
 * Vector API implementation when {@code jdk.incubator.vector} is available; else plain Java), the
 * same library Spark MLlib uses.
 */
public final class Blas {
  private static final BLAS INSTANCE = BLAS.getInstance();

  private Blas() {}

  /** The BLAS in use. */
  public static BLAS get() {
    return INSTANCE;
  }

  /** The implementation's class name, for the log (e.g. {@code JNIBLAS}, {@code VectorBLAS}). */
  public static String implementation() {
    return INSTANCE.getClass().getSimpleName();
  }
}

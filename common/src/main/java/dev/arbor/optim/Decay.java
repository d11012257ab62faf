package dev.arbor.optim;

import java.util.Locale;

/**
 * A learning-rate schedule: the rate used at iteration {@code t} (0-based; epochs for stochastic
 * optimizers) given the base rate {@code η}.
 *
 * @param type {@link Type#NONE}: {@code η}; {@link Type#INVERSE}: {@code η / (1 + rate·t)}; {@link
 *     Type#EXPONENTIAL}: {@code η·exp(−rate·t)}
 * @param rate the decay rate, a finite number >= 0
 */
public record Decay(Type type, double rate) {
  /** The schedule's shape. */
  public enum Type {
    NONE,
    INVERSE,
    EXPONENTIAL
  }

  public Decay {
    if (type == null) {
      throw new IllegalArgumentException("Invalid decay type: null");
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(
          "Invalid decay rate: " + rate + " (expected a finite number >= 0)");
    }
  }

  /** A constant learning rate. */
  public static Decay none() {
    return new Decay(Type.NONE, 0);
  }

  /** {@code η / (1 + rate·t)}. */
  public static Decay inverse(double rate) {
    return new Decay(Type.INVERSE, rate);
  }

  /** {@code η·exp(−rate·t)}. */
  public static Decay exponential(double rate) {
    return new Decay(Type.EXPONENTIAL, rate);
  }

  /** The learning rate at iteration {@code t}. */
  public double at(double baseRate, long t) {
    return switch (type) {
      case NONE -> baseRate;
      case INVERSE -> baseRate / (1 + rate * t);
      case EXPONENTIAL -> baseRate * Math.exp(-rate * t);
    };
  }

  @Override
  public String toString() {
    return type == Type.NONE ? "none" : type.name().toLowerCase(Locale.ROOT) + "(" + rate + ")";
  }
}

package dev.arbor.optim.config;

import dev.arbor.config.ArborConfig;
import dev.arbor.optim.Regularization;

/**
 * The {@code train.regularization} section: the elastic-net penalty {@code strength·(mix·‖w‖₁ + (1
 * − mix)/2·‖w‖₂²)}, never on intercepts. Validated on construction; errors name the key.
 *
 * @param type none, l1 ({@code mix = 1}), l2 ({@code mix = 0}) or elastic-net
 * @param strength {@code λ >= 0}
 * @param mix {@code α ∈ [0, 1]}, used by elastic-net only
 */
public record RegularizationSettings(Type type, double strength, double mix) {
  public static final String PREFIX = "train.regularization.";

  /** The penalty's kind. */
  public enum Type {
    NONE,
    L1,
    L2,
    ELASTIC_NET
  }

  public RegularizationSettings {
    if (type == null) {
      throw ArborConfig.outOfRange(PREFIX + "type", null, "one of none, l1, l2, elastic-net");
    }
    if (!(strength >= 0) || Double.isInfinite(strength)) {
      throw ArborConfig.outOfRange(PREFIX + "strength", strength, "a finite number >= 0");
    }
    if (!(mix >= 0 && mix <= 1)) {
      throw ArborConfig.outOfRange(PREFIX + "elastic-net-mix", mix, "a number in [0, 1]");
    }
  }

  /** Reads and validates the section. */
  public static RegularizationSettings from(ArborConfig config) {
    return new RegularizationSettings(
        config.enumValue(PREFIX + "type", Type.class),
        config.number(PREFIX + "strength"),
        config.number(PREFIX + "elastic-net-mix"));
  }

  /**
   * The penalty, without exclusions: the caller adds its intercepts with {@link
   * Regularization#excluding(int...)}.
   */
  public Regularization regularization() {
    return switch (type) {
      case NONE -> Regularization.none();
      case L1 -> Regularization.l1(strength);
      case L2 -> Regularization.l2(strength);
      case ELASTIC_NET -> Regularization.elasticNet(strength, mix);
    };
  }
}

package dev.arbor.prep;

import dev.arbor.config.ArborConfig;

/**
 * Which level of a categorical column is its reference level, left out of the one-hot columns
 * ({@code prepare.categorical.drop} and {@code prepare.categorical.drop-columns}). Without a
 * reference level the one-hot columns of a column sum to 1 on every row, collinear with the
 * intercept; with one, each remaining level's coefficient is its effect relative to the reference.
 *
 * @param kind what the rule drops
 * @param level for {@link Kind#LEVEL}: the level value (the input value cast to string); {@code
 *     null} otherwise
 */
public record DropRule(Kind kind, String level) {

  /** What a rule drops. */
  public enum Kind {
    /** Nothing: every fitted level has a column. */
    NONE,
    /**
     * The first fitted level in the encoder's order (the most frequent; see {@link PrepFitter}).
     */
    FIRST,
    /** The fitted level equal to {@link DropRule#level()}. */
    LEVEL
  }

  /** The prefix that makes any value a level, also {@code first}, {@code none} or empty. */
  public static final String LEVEL_PREFIX = "level:";

  /** Drops nothing. */
  public static final DropRule NONE = new DropRule(Kind.NONE, null);

  /** Drops the first level. */
  public static final DropRule FIRST = new DropRule(Kind.FIRST, null);

  public DropRule {
    if ((kind == Kind.LEVEL) != (level != null)) {
      throw new IllegalArgumentException("Invalid drop rule: " + kind + " with level " + level);
    }
  }

  /**
   * Parses a config value: {@code none}, {@code first} (exactly, lower case), {@code level:<value>}
   * (the level {@code <value>}, which may be {@code first}, {@code none} or empty), else the level
   * named by the whole value.
   *
   * @throws dev.arbor.ConfigException for an empty value, naming the key
   */
  static DropRule parse(String key, String value) {
    if (value.equals("none")) {
      return NONE;
    }
    if (value.equals("first")) {
      return FIRST;
    }
    if (value.startsWith(LEVEL_PREFIX)) {
      return new DropRule(Kind.LEVEL, value.substring(LEVEL_PREFIX.length()));
    }
    if (value.isEmpty()) {
      throw ArborConfig.outOfRange(
          key, "\"\"", "first, none, a level value, or " + LEVEL_PREFIX + " for the empty level");
    }
    return new DropRule(Kind.LEVEL, value);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "none";
      case FIRST -> "first";
      case LEVEL -> LEVEL_PREFIX + level;
    };
  }
}

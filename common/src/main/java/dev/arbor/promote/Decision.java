package dev.arbor.promote;

import java.util.Locale;

/** The outcome of the promotion gate for one run, as recorded in {@code promotions.decision}. */
public enum Decision {
  /** No model was promoted yet for the name: the challenger becomes the first champion. */
  FIRST,
  /** The challenger was not worse than the champion beyond the tolerance: it is promoted. */
  PROMOTED,
  /** The challenger was worse beyond the tolerance, or its run failed the data checks. */
  REJECTED;

  /** The value written to the table: {@code first}, {@code promoted} or {@code rejected}. */
  public String tableValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the pointer moves to the challenger. */
  public boolean promotes() {
    return this != REJECTED;
  }
}

package dev.arbor.demo;

import dev.arbor.config.ArborConfig;

/**
 * Size and seed of the synthetic demo dataset (the {@code demo} config section).
 *
 * @param rows number of rows written, invalid rows included
 * @param seed the same seed writes the same rows
 */
public record DemoSettings(int rows, long seed) {
  /** The smallest dataset: room for every kind of invalid row plus valid rows. */
  public static final int MIN_ROWS = 1000;

  /** The largest dataset: rows are generated on the driver. */
  public static final int MAX_ROWS = 1_000_000;

  /** Reads and checks the {@code demo} section. */
  public static DemoSettings from(ArborConfig c) {
    return new DemoSettings(
        c.intInRange("demo.rows", MIN_ROWS, MAX_ROWS), c.longValue("demo.seed"));
  }
}

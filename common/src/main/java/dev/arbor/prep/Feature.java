package dev.arbor.prep;

/**
 * One output feature column of a {@link PrepModel}.
 *
 * @param name output column name ({@code [A-Za-z0-9_]+}, unique ignoring case, never {@code
 *     row_id}, {@code label} or {@code weight})
 * @param origin where the value comes from
 * @param column the input column it comes from
 * @param category for {@link Origin#CATEGORY}: the category value (the input value cast to string);
 *     {@code null} otherwise
 * @param center subtracted from the value (0 for one-hot columns)
 * @param scale the centered value is divided by it (1 for one-hot columns); never 0
 */
public record Feature(
    String name, Origin origin, String column, String category, double center, double scale) {

  /** Where a feature's value comes from. */
  public enum Origin {
    /** A numeric input column: imputed, then {@code (x - center) / scale}. */
    NUMERIC,
    /** 1.0 when the categorical input column equals {@link Feature#category()}, else 0.0. */
    CATEGORY,
    /** 1.0 when the categorical input column is null (missing is a top-K category), else 0.0. */
    MISSING,
    /** 1.0 when the categorical input column is none of the column's other one-hot features. */
    OTHER
  }

  public Feature {
    if (!(scale != 0 && Double.isFinite(scale) && Double.isFinite(center))) {
      throw new IllegalArgumentException(
          "Invalid scaling of feature "
              + name
              + ": center "
              + center
              + ", scale "
              + scale
              + " (expected finite values and a non-zero scale)");
    }
    if ((origin == Origin.CATEGORY) != (category != null)) {
      throw new IllegalArgumentException(
          "Invalid feature " + name + ": category " + category + " with origin " + origin);
    }
  }
}

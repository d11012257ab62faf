package dev.arbor.prep;

/**
 * How one column's missing values are filled.
 *
 * @param method the method
 * @param constant the value for {@link ImputeMethod#CONSTANT} (ignored otherwise)
 */
public record ImputeRule(ImputeMethod method, double constant) {
  /** A rule for {@code method}; {@code constant} only matters for {@link ImputeMethod#CONSTANT}. */
  public ImputeRule {
    if (method == null) {
      throw new IllegalArgumentException("Invalid impute rule: method is null");
    }
    if (!Double.isFinite(constant)) {
      throw new IllegalArgumentException(
          "Invalid impute constant: " + constant + " (expected a finite number)");
    }
  }
}

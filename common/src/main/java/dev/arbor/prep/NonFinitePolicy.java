package dev.arbor.prep;

/** What happens to NaN and infinite numeric feature values. */
public enum NonFinitePolicy {
  /** The row goes to the rejects with reason {@code non_finite_feature}. */
  REJECT,
  /** The value is treated as missing and imputed. */
  IMPUTE
}

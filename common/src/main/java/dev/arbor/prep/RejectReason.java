package dev.arbor.prep;

import java.util.Locale;

/**
 * Why a row went to the rejects. A row gets the first reason that applies, in declaration order, so
 * every rejected row is counted once.
 */
public enum RejectReason {
  /** The label is null. */
  NULL_LABEL,
  /** The label is NaN, infinite, or a blank string. */
  INVALID_LABEL,
  /** The id column is configured and null. */
  NULL_ID,
  /**
   * Another row of the same input has the same id. Every row sharing the id is rejected (none is
   * kept): which copy is right cannot be known, and keeping one would depend on row order.
   */
  DUPLICATE_ID,
  /** The weight is null, NaN, infinite or negative. */
  INVALID_WEIGHT,
  /** A numeric feature is NaN or infinite and {@code prepare.non-finite-policy = reject}. */
  NON_FINITE_FEATURE,
  /** A numeric feature whose impute method is {@code drop-row} is missing. */
  MISSING_VALUE;

  /** The value of the rejects' {@code reason} column: {@code null_label}, ... */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}

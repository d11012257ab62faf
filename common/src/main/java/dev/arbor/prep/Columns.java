package dev.arbor.prep;

import dev.arbor.ingest.SchemaValidator;

/** Names of the columns the prepare stage adds or writes. */
final class Columns {
  /** Output: the row's id. */
  static final String ROW_ID = "row_id";

  /** Output: the encoded label. */
  static final String LABEL = "label";

  /** Output: the row weight. */
  static final String WEIGHT = "weight";

  /** Rejects: why the row was rejected. */
  static final String REASON = "reason";

  /** Rejects: which input the row came from ({@code input} or {@code test-input}). */
  static final String SOURCE = "source";

  /** Working column: the row id. */
  static final String W_ROW_ID = SchemaValidator.RESERVED_PREFIX + "row_id";

  /** Working column: the hash that places the row in a split. */
  static final String W_SPLIT_KEY = SchemaValidator.RESERVED_PREFIX + "split_key";

  /** Working column: the reject reason code, null for a valid row. */
  static final String W_REASON = SchemaValidator.RESERVED_PREFIX + "reason";

  /** Working column: {@code train}, {@code validation} or {@code test}; null for a rejected row. */
  static final String W_SPLIT = SchemaValidator.RESERVED_PREFIX + "split";

  static final String TRAIN = "train";
  static final String VALIDATION = "validation";
  static final String TEST = "test";

  private Columns() {}
}

package dev.arbor.model;

import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A fingerprint of a prepared split's content, recorded in the model so a run can be traced to its
 * data: SHA-256 over the schema, the row count, and the XOR and the sum (of the top 31 bits) of the
 * 64-bit xxHash of every row. Both aggregates are exact integer operations, so the fingerprint
 * depends on the rows only, not on their order, partitioning or file layout (unlike a hash of file
 * names, sizes and modification times, which a byte-identical re-run changes), while any changed,
 * added or removed row changes it with overwhelming probability.
 */
public final class DataFingerprint {
  private DataFingerprint() {}

  /** The fingerprint of {@code split} as {@code sha256:<hex>}; one pass over the data. */
  public static String of(Dataset<Row> split) {
    Column[] all =
        Arrays.stream(split.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    Column h = xxhash64(all);
    Row agg =
        split
            .select(h.as("h"))
            .agg(
                count(lit(1)).as("n"),
                bit_xor(col("h")).as("x"),
                sum(shiftrightunsigned(col("h"), 33)).as("s"))
            .first();
    String text =
        split.schema().catalogString()
            + "|"
            + agg.getLong(0)
            + "|"
            + (agg.isNullAt(1) ? 0 : agg.getLong(1))
            + "|"
            + (agg.isNullAt(2) ? 0 : agg.getLong(2));
    return sha256(text);
  }

  /** {@code sha256:} and the hex SHA-256 of {@code text} (UTF-8), the form of every fingerprint. */
  public static String sha256(String text) {
    return "sha256:" + sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}

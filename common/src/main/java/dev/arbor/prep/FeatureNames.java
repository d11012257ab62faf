package dev.arbor.prep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Output column names: input names and category values sanitized to {@code [A-Za-z0-9_]}, unique
 * ignoring case (Spark resolves names case-insensitively). {@code row_id}, {@code label} and {@code
 * weight} are taken.
 *
 * <p>One-hot columns of categorical column {@code c} ({@link #oneHot}): the buckets are {@code
 * c__other} and, when missing is a fitted category, {@code c__missing}; a level {@code v} is {@code
 * c__<sanitized v>} when that is unambiguous, else {@code c__<sanitized v, at most 32
 * characters>__<8 hex digits>} (the first 32 bits of the SHA-256 of {@code v}'s UTF-8 bytes). A
 * level gets the hashed form when its sanitized value has no letter or digit (empty, {@code 日本}),
 * is {@code other} or {@code missing} ignoring case (the bucket names), ends like a hashed name
 * ({@code __} and 8 hex digits), or equals, ignoring case, the sanitized value of another fitted
 * level of the same column ({@code a b} and {@code a-b}, {@code A} and {@code a}: both hashed). So
 * a level's name depends only on its value and the set of fitted levels, never on their counts or
 * order, and a hashed name never equals a plain one. Any remaining clash (another column's name, or
 * two hashes equal in 32 bits) is resolved by {@link #unique}: {@code _2}, {@code _3}, ... in
 * feature order; so two output columns never share a name.
 */
final class FeatureNames {
  private static final Set<String> BUCKETS = Set.of("other", "missing");
  private static final Pattern HASHED = Pattern.compile("(?i).*__[0-9a-f]{8}");
  private static final Pattern ALPHANUMERIC = Pattern.compile("[A-Za-z0-9]");
  private static final int MAX_HASHED_PREFIX = 32;

  private final Set<String> taken = new HashSet<>();

  FeatureNames() {
    taken.add(Columns.ROW_ID);
    taken.add(Columns.LABEL);
    taken.add(Columns.WEIGHT);
  }

  /** {@code s} with every character outside {@code [A-Za-z0-9_]} replaced by {@code _}. */
  static String sanitize(String s) {
    return s.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** A unique name for {@code base} (sanitized here). */
  String unique(String base) {
    String b = sanitize(base);
    if (b.isEmpty()) {
      b = "f";
    }
    String name = b;
    for (int i = 2; !taken.add(name.toLowerCase(Locale.ROOT)); i++) {
      name = b + "_" + i;
    }
    return name;
  }

  /**
   * The one-hot column names of categorical column {@code column}: one per entry of {@code levels}
   * (the fitted levels in feature order; {@code null} = the missing category), then the name of the
   * other bucket. The buckets are named first, so a clash with another column's name moves a level,
   * not a bucket.
   */
  List<String> oneHot(String column, List<String> levels) {
    String other = unique(column + "__other");
    String missing = levels.stream().anyMatch(v -> v == null) ? unique(column + "__missing") : null;
    Map<String, Integer> sanitizedCounts = new HashMap<>();
    for (String v : new LinkedHashSet<>(levels)) {
      if (v != null) {
        sanitizedCounts.merge(sanitize(v).toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
    }
    List<String> out = new ArrayList<>();
    for (String v : levels) {
      out.add(v == null ? missing : unique(column + "__" + levelPart(v, sanitizedCounts)));
    }
    out.add(other);
    return out;
  }

  /** The part of a level's name after {@code column__}. */
  static String levelPart(String v, Map<String, Integer> sanitizedCounts) {
    String s = sanitize(v);
    String lower = s.toLowerCase(Locale.ROOT);
    boolean plain =
        ALPHANUMERIC.matcher(s).find()
            && !BUCKETS.contains(lower)
            && !HASHED.matcher(s).matches()
            && sanitizedCounts.getOrDefault(lower, 0) <= 1;
    if (plain) {
      return s;
    }
    return s.substring(0, Math.min(s.length(), MAX_HASHED_PREFIX)) + "__" + hash8(v);
  }

  /** The first 32 bits of the SHA-256 of {@code v}'s UTF-8 bytes, as 8 lower-case hex digits. */
  static String hash8(String v) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}

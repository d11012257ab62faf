package dev.arbor.prep;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Output column names: input names and category values sanitized to {@code [A-Za-z0-9_]}, made
 * unique ignoring case (Spark resolves names case-insensitively) by appending {@code _2}, {@code
 * _3}, ... in feature order. {@code row_id}, {@code label} and {@code weight} are taken.
 */
final class FeatureNames {
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
}

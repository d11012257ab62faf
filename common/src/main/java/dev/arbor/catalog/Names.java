package dev.arbor.catalog;

import dev.arbor.ConfigException;
import java.util.regex.Pattern;

/** Identifier rules: names that end up in SQL and paths are plain {@code [A-Za-z0-9_]+}. */
public final class Names {
  private static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9_]+");

  private Names() {}

  /**
   * Returns {@code value} when it is a non-empty run of letters, digits and underscores.
   *
   * @param what what the name is, for the message (for example {@code "model name"})
   * @throws ConfigException otherwise, naming the value
   */
  public static String check(String what, String value) {
    if (value == null || !SIMPLE.matcher(value).matches()) {
      throw new ConfigException(
          "Invalid "
              + what
              + ": '"
              + value
              + "' (expected letters, digits and underscores only: [A-Za-z0-9_]+)");
    }
    return value;
  }
}

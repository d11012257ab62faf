package dev.arbor.config;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The logical date of a run, {@code YYYY-MM-DD}: given by {@code --run-date} or, when absent, by
 * the config key {@value #KEY}. Never derived from the clock, so a re-run for the same date
 * produces the same outputs.
 */
public final class RunDate {
  /** The config key holding the run date used when the command line gives none. */
  public static final String KEY = "run.date";

  /** What a run date must look like, for error messages. */
  public static final String EXPECTED = "a calendar date YYYY-MM-DD";

  private static final Pattern SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private RunDate() {}

  /**
   * Parses {@code text} strictly as an ISO local date with a four-digit year ({@code 2026-02-30}
   * and {@code 2026-1-5} are rejected).
   *
   * @return the date, or empty when {@code text} is not a valid date
   */
  public static Optional<LocalDate> parse(String text) {
    if (text == null || !SHAPE.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The run date configured under {@value #KEY}.
   *
   * @throws dev.arbor.ConfigException naming the key and the value when it is not a valid date
   */
  public static LocalDate fromConfig(ArborConfig config) {
    String value = config.string(KEY);
    return parse(value).orElseThrow(() -> ArborConfig.outOfRange(KEY, value, EXPECTED));
  }
}

package dev.arbor;

/** The configuration is invalid: unknown key, wrong type or value out of range. */
public class ConfigException extends ArborException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(ExitCode.CONFIG, message);
  }

  public ConfigException(String message, Throwable cause) {
    super(ExitCode.CONFIG, message, cause);
  }

  /** Throws a {@link ConfigException} with the formatted message unless {@code condition}. */
  public static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new ConfigException(String.format(format, args));
    }
  }
}

package dev.arbor;

/** The input data violates the declared schema or the configured data-quality limits. */
public class DataValidationException extends ArborException {
  private static final long serialVersionUID = 1L;

  public DataValidationException(String message) {
    super(ExitCode.DATA_VALIDATION, message);
  }

  public DataValidationException(String message, Throwable cause) {
    super(ExitCode.DATA_VALIDATION, message, cause);
  }

  /**
   * Throws a {@link DataValidationException} with the formatted message unless {@code condition}.
   */
  public static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new DataValidationException(String.format(format, args));
    }
  }
}

package dev.arbor;

/**
 * A job failure that maps to a documented {@link ExitCode}. The message is one line that names the
 * offending key, column, file or value and says what was expected.
 */
public class ArborException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public ArborException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public ArborException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The exit code the job ends with when this exception escapes it. */
  public ExitCode exitCode() {
    return exitCode;
  }
}

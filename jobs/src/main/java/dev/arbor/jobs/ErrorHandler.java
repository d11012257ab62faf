package dev.arbor.jobs;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where failures become exit codes and the one-line {@code arbor: error: …} message
 * on stderr:
 *
 * <ul>
 *   <li>an {@link ArborException} (also when wrapped, e.g. by a SparkException around a task
 *       failure) → its {@link ArborException#exitCode()}; the message is its own;
 *   <li>a command-line error (unknown option, bad value, missing command) → {@link ExitCode#USAGE};
 *   <li>an {@link OutOfMemoryError} (also as the cause of a task failure) → {@link
 *       ExitCode#OUT_OF_MEMORY} (52, the code Spark exits with when a task thread runs out of
 *       memory, so both read the same);
 *   <li>anything else (SparkException, IOException, bugs, Errors) → {@link ExitCode#FAILURE}; the
 *       message names the exception class and the root cause, and the stack trace is logged.
 * </ul>
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** Prefix of the one line printed to stderr on failure. */
  static final String PREFIX = "arbor: error: ";

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    return report(ex, cl.getErr());
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    return report(ex, ex.getCommandLine().getErr());
  }

  /** Logs {@code t}, prints its one-line message to {@code err}, returns its exit code. */
  static int report(Throwable t, PrintWriter err) {
    ExitCode code = exitCode(t);
    if (code == ExitCode.FAILURE || code == ExitCode.OUT_OF_MEMORY) {
      LOG.error("Job failed", t);
    } else {
      // Expected failures: the one line says it all; the trace is there for debugging.
      LOG.debug("Job failed with exit code {}", code.code(), t);
    }
    err.println(PREFIX + message(t));
    err.flush();
    return code.code();
  }

  /** The exit code of a failure. */
  static ExitCode exitCode(Throwable t) {
    ArborException arbor = arborCause(t);
    if (arbor != null) {
      return arbor.exitCode();
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        return ExitCode.OUT_OF_MEMORY;
      }
    }
    return t instanceof ParameterException ? ExitCode.USAGE : ExitCode.FAILURE;
  }

  /** The one-line message of a failure, without the {@value #PREFIX} prefix. */
  static String message(Throwable t) {
    ArborException arbor = arborCause(t);
    if (arbor != null) {
      return firstLine(arbor.getMessage());
    }
    if (t instanceof ParameterException p) {
      String help = "'" + p.getCommandLine().getCommandSpec().qualifiedName() + " --help'";
      return firstLine(p.getMessage()) + " (see " + help + ")";
    }
    Throwable root = rootCause(t);
    String text = describe(t);
    return root == t ? text : text + "; root cause: " + describe(root);
  }

  private static ArborException arborCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ArborException a) {
        return a;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String describe(Throwable t) {
    String msg = t.getMessage();
    return t.getClass().getName() + (msg == null || msg.isBlank() ? "" : ": " + firstLine(msg));
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    String trimmed = text.strip();
    int eol = trimmed.indexOf('\n');
    return (eol < 0 ? trimmed : trimmed.substring(0, eol)).strip();
  }
}

package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.ConfigException;
import dev.arbor.DataValidationException;
import dev.arbor.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every kind of failure, thrown by a command, ends as one exit code and one stderr line. */
class ErrorHandlerTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** A command that throws whatever the test gives it. */
  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    private final Throwable failure;

    Boom(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Exception e) {
        throw e;
      }
      throw (Error) failure;
    }
  }

  private int runFailing(Throwable failure) {
    CommandLine cl = Main.commandLine(new PrintWriter(out), new PrintWriter(err));
    cl.addSubcommand("boom", new Boom(failure));
    // Commands added after creation do not inherit the writers.
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return Main.execute(cl, "boom");
  }

  private String errLine() {
    assertThat(err.toString().lines()).hasSize(1);
    return err.toString().strip();
  }

  @Test
  @Tag("reliability")
  @DisplayName(
      "out of memory in the driver or as a task failure's cause — exit 52 (documented, retry with"
          + " more memory), one line naming OutOfMemoryError")
  void outOfMemoryExitsWithFiftyTwo() {
    assertThat(runFailing(new OutOfMemoryError("Java heap space"))).isEqualTo(52);
    assertThat(errLine()).isEqualTo("arbor: error: java.lang.OutOfMemoryError: Java heap space");
    err.getBuffer().setLength(0);
    SparkException task =
        new SparkException("Job aborted due to stage failure", new OutOfMemoryError("GC limit"));
    assertThat(runFailing(task)).isEqualTo(ExitCode.OUT_OF_MEMORY.code());
    assertThat(errLine()).contains("root cause: java.lang.OutOfMemoryError: GC limit");
  }

  @Test
  void configExceptionExitsWithThree() {
    assertThat(runFailing(new ConfigException("Invalid config value for 'a.b': 7 (expected x)")))
        .isEqualTo(3);
    assertThat(errLine()).isEqualTo("arbor: error: Invalid config value for 'a.b': 7 (expected x)");
  }

  @Test
  void dataValidationExceptionExitsWithFour() {
    assertThat(runFailing(new DataValidationException("Missing column: age"))).isEqualTo(4);
    assertThat(errLine()).isEqualTo("arbor: error: Missing column: age");
  }

  @Test
  void arborExceptionInsideASparkFailureKeepsItsCode() {
    SparkException wrapped =
        new SparkException(
            "Job aborted due to stage failure: Task 0 failed\n\tat some.Frame",
            new DataValidationException("Non-finite value in column: x"));
    assertThat(runFailing(wrapped)).isEqualTo(4);
    assertThat(errLine()).isEqualTo("arbor: error: Non-finite value in column: x");
  }

  @Test
  void sparkExceptionExitsWithOneNamingClassAndRootCause() {
    SparkException failure =
        new SparkException(
            "Job aborted due to stage failure\nmore detail on a second line",
            new IOException("No space left on device"));
    assertThat(runFailing(failure)).isEqualTo(1);
    assertThat(errLine())
        .isEqualTo(
            "arbor: error: org.apache.spark.SparkException: Job aborted due to stage failure;"
                + " root cause: java.io.IOException: No space left on device");
  }

  @Test
  void ioExceptionExitsWithOne() {
    assertThat(runFailing(new UncheckedIOException("Cannot write", new IOException("disk full"))))
        .isEqualTo(1);
    assertThat(errLine())
        .isEqualTo(
            "arbor: error: java.io.UncheckedIOException: Cannot write;"
                + " root cause: java.io.IOException: disk full");
  }

  @Test
  void bugsAndErrorsExitWithOne() {
    assertThat(runFailing(new IllegalStateException())).isEqualTo(1);
    assertThat(errLine()).isEqualTo("arbor: error: java.lang.IllegalStateException");
    err.getBuffer().setLength(0);

    assertThat(runFailing(new NoClassDefFoundError("org/apache/spark/sql/SparkSession")))
        .isEqualTo(1);
    assertThat(errLine())
        .isEqualTo(
            "arbor: error: java.lang.NoClassDefFoundError: org/apache/spark/sql/SparkSession");
  }

  @Test
  void exitCodeMappingCoversEveryKind() {
    CommandLine cl = Main.commandLine(new PrintWriter(out), new PrintWriter(err));
    assertThat(ErrorHandler.exitCode(new CommandLine.ParameterException(cl, "bad")))
        .isEqualTo(ExitCode.USAGE);
    assertThat(ErrorHandler.exitCode(new ConfigException("c"))).isEqualTo(ExitCode.CONFIG);
    assertThat(ErrorHandler.exitCode(new DataValidationException("d")))
        .isEqualTo(ExitCode.DATA_VALIDATION);
    assertThat(ErrorHandler.exitCode(new SparkException("s"))).isEqualTo(ExitCode.FAILURE);
    assertThat(ErrorHandler.exitCode(new OutOfMemoryError())).isEqualTo(ExitCode.OUT_OF_MEMORY);
  }
}

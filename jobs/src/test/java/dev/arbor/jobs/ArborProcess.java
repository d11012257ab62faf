package dev.arbor.jobs;

import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One {@code scripts/arbor} command as a real subprocess, for the fault tests: runs the shaded jar
 * as built ({@code ARBOR_NO_BUILD=1}, no {@code SPARK_HOME}), sends stdout and stderr (Spark's and
 * Arbor's log) to files, waits for a log line, and kills the JVM with SIGKILL like a machine that
 * dies (no shutdown hooks, no finally blocks).
 */
final class ArborProcess implements AutoCloseable {
  /**
   * Every wait of the fault tests is bounded by this: a guard against hangs, far above a run's
   * usual minute, because a loaded shared machine can be ten times slower.
   */
  static final Duration TIMEOUT = Duration.ofMinutes(15);

  private final String name;
  private final Process process;
  private final Path out;
  private final Path err;

  private ArborProcess(String name, Process process, Path out, Path err) {
    this.name = name;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code scripts/arbor <args>}; {@code name} names the log files in {@code logDir}.
   * Launcher options ({@code --master}, {@code --conf}) go first in {@code args}.
   */
  static ArborProcess start(Path logDir, String name, List<String> args) {
    return start(TestPaths.projectDir(), logDir, name, args);
  }

  /**
   * As {@link #start(Path, String, List)}, in the working directory {@code workDir}: the config's
   * relative paths (the embedded demo's input, output root and catalog) then resolve under it.
   */
  static ArborProcess start(Path workDir, Path logDir, String name, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(TestPaths.projectDir().resolve("scripts/arbor").toString());
    command.addAll(args);
    Path out = logDir.resolve(name + ".stdout");
    Path err = logDir.resolve(name + ".stderr");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().remove("SPARK_HOME");
    pb.environment().put("ARBOR_NO_BUILD", "1");
    try {
      return new ArborProcess(name, pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
  }

  /** Runs {@code scripts/arbor <args>} to the end and fails unless it exits with code 0. */
  static ArborProcess runOk(Path logDir, String name, List<String> args) {
    ArborProcess p = start(logDir, name, args);
    int code = p.awaitExit();
    if (code != 0) {
      throw new AssertionError(name + " exited with " + code + ":\n" + p.tail(40));
    }
    return p;
  }

  /**
   * Waits until stderr has a line matching {@code regex} (a find, not a full match).
   *
   * @throws AssertionError when the process ends first or the wait times out
   */
  void awaitLog(String regex) {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (stderr().lines().anyMatch(l -> pattern.matcher(l).find())) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            name
                + " ended (exit "
                + process.exitValue()
                + ") before logging /"
                + regex
                + "/:\n"
                + tail(40));
      }
      sleep(20);
    }
    kill();
    throw new AssertionError(name + " logged no /" + regex + "/ within " + TIMEOUT);
  }

  /** SIGKILL to the JVM and anything it started; waits until it is gone. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        throw new AssertionError(name + " did not die within a minute of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while killing " + name, e);
    }
  }

  /** Waits for the exit code; kills the process and fails after {@link #TIMEOUT}. */
  int awaitExit() {
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new AssertionError(name + " did not finish within " + TIMEOUT + ":\n" + tail(40));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while waiting for " + name, e);
    }
    return process.exitValue();
  }

  /** The exit code; 137 (128 + SIGKILL) after {@link #kill}. */
  int exitCode() {
    return process.exitValue();
  }

  String stdout() {
    return read(out);
  }

  String stderr() {
    return read(err);
  }

  /** The last {@code n} lines of stderr. */
  String tail(int n) {
    List<String> lines = stderr().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private static String read(Path file) {
    try {
      // Not Files.readString: the last bytes of a file being written may end inside a character.
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sleeps; an interrupt fails the test. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }
}

package dev.arbor.jobs;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Entry point of the jobs jar: {@code spark-submit --class dev.arbor.jobs.Main arbor-jobs.jar
 * <command> [options]}, or {@code scripts/arbor <command> [options]} locally.
 *
 * <p>To add a command, write one class (a {@link StageCommand} for anything that needs Spark, see
 * its Javadoc) and add it, one per line, to the {@code subcommands} list below.
 *
 * <p>{@link #main} is the only place that calls {@link System#exit}; {@link #run(String...)} does
 * the same work and returns the exit code instead (for tests).
 */
@Command(
    name = "arbor",
    // Inherited by every subcommand: -h/--help and -V/--version need no code there.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.class,
    description = "Nightly linear-model training on Apache Spark.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      HelpCommand.class,
      ConfigCommand.class,
      GpuExplainCommand.class,
      VersionCommand.class,
      SqlCommand.class,
      ReportCommand.class,
      MaintainCommand.class,
      GenerateCommand.class,
      PrepareCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      PipelineCommand.class,
      PromoteCommand.class,
      ScoreCommand.class,
      BackfillCommand.class,
    })
public final class Main implements Callable<Integer> {
  @Spec private CommandSpec spec;

  /** Runs a command and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command with the process's stdout and stderr; returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs a command writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return execute(commandLine(out, err), args);
  }

  /** The configured command line, without running it (tests may add commands). */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    ErrorHandler handler = new ErrorHandler();
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(handler);
    cl.setParameterExceptionHandler(handler);
    return cl;
  }

  /** Runs {@code args} on {@code cl}; every failure, even an Error, becomes an exit code. */
  static int execute(CommandLine cl, String... args) {
    try {
      return cl.execute(args);
    } catch (Throwable t) { // NOPMD: the process must end with a code and a one-line message
      return ErrorHandler.report(t, cl.getErr());
    }
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }
}

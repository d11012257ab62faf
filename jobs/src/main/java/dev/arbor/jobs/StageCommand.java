package dev.arbor.jobs;

import dev.arbor.ExitCode;
import dev.arbor.config.ArborConfig;
import dev.arbor.config.RunDate;
import dev.arbor.session.Sessions;
import dev.arbor.spark.JobContext;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Base class of a command that runs a stage on Spark. It loads and validates the configuration
 * ({@code --config}, {@code --set}), resolves the run date ({@code --run-date}, else {@code
 * run.date}), logs the resolved configuration with secrets redacted (one line, at DEBUG), gets the
 * SparkSession ({@code arbor-<command>-<model.name>-<run-date>}) and calls {@link
 * #execute(JobContext)}. Config and usage errors are reported before Spark starts.
 *
 * <p>A new stage is one small class, registered with one line in {@link Main}'s {@code
 * subcommands}:
 *
 * <pre>{@code
 * @Command(name = "prepare", description = "Validates, cleans and splits the input into train/validation/test.")
 * final class PrepareCommand extends StageCommand {
 *   @Override
 *   protected void execute(JobContext context) {
 *     PrepareSettings settings = PrepareSettings.from(context.config()); // logic lives in common
 *     new Preparer(context.spark(), settings).run(context.runDate());
 *   }
 * }
 * }</pre>
 *
 * <p>{@code --dry-run} (every stage has it) stops after the configuration is resolved and {@link
 * #check(ArborConfig)} has passed: it prints one line naming the model and run date and exits 0, or
 * with the exit code of the error, without starting Spark. Schedulers use it to validate a rendered
 * command line (see {@code scripts/airflow/}). A stage overrides {@link #check(ArborConfig)} to
 * build its settings record, so that its own keys are range-checked too.
 *
 * <p>Failures are reported by throwing: {@link dev.arbor.ConfigException} (exit 3), {@link
 * dev.arbor.DataValidationException} (exit 4), anything else (exit 1); see {@link ErrorHandler}.
 * The command must not stop the session (the JVM's shutdown stops it; tests share it).
 *
 * <p>Testing a stage command: call {@code SparkTestSession.get()} first (the command then reuses
 * the shared session instead of starting its own), add the command to {@code Main.commandLine(out,
 * err)} and run it with {@code Main.execute(cl, args)}; see {@code StageCommandTest}.
 */
public abstract class StageCommand extends ConfiguredCommand {
  private static final Logger LOG = LoggerFactory.getLogger(StageCommand.class);

  @Option(
      names = "--dry-run",
      description =
          "Resolves and validates the configuration and run date, prints one line, exits;"
              + " does not start Spark.")
  private boolean dryRun;

  /** Runs the stage; returning normally means every output is committed (exit 0). */
  protected abstract void execute(JobContext context) throws Exception;

  /**
   * Validates what this stage reads from {@code config} without touching data or Spark, typically
   * by building the stage's settings record. Called before Spark starts, by a real run and by
   * {@code --dry-run}. The default checks nothing beyond the generic validation of the config.
   *
   * @throws dev.arbor.ConfigException naming the key, the value and what is allowed
   */
  protected void check(ArborConfig config) {}

  /**
   * Refuses the paths this command writes that come from its own options ({@code --output}) when
   * they overlap {@code output.root}, the warehouse or an input ({@link Targets}, exit 3). Called
   * before Spark starts, by a real run and by {@code --dry-run}, after {@link #check}. The folders
   * below {@code output.root} are checked for every command ({@link ConfigChecks#common}).
   */
  protected void checkTargets(ArborConfig config) {}

  @Override
  public final Integer call() throws Exception {
    String command = spec().name();
    ArborConfig config = resolveConfig();
    LocalDate runDate = RunDate.fromConfig(config);
    // Once, compact (one line of canonical JSON, secrets redacted) and only at DEBUG: the
    // commented rendering is what `arbor config` prints on request.
    LOG.info(
        "arbor {} for model {}, run date {} (resolved configuration: DEBUG or `arbor config`)",
        command,
        config.string("model.name"),
        runDate);
    LOG.debug("Resolved configuration: {}", config.canonicalJson());
    ConfigChecks.common(config);
    check(config);
    checkTargets(config);
    if (dryRun) {
      spec().commandLine().getOut().println(dryRunLine(command, config, runDate));
      spec().commandLine().getOut().flush();
      return ExitCode.OK.code();
    }
    SparkSession spark = Sessions.getOrCreate(appName(command, config, runDate), config);
    execute(new JobContext(spark, config, runDate));
    LOG.info("arbor {} for run date {}: done", command, runDate);
    return ExitCode.OK.code();
  }

  static String dryRunLine(String command, ArborConfig config, LocalDate runDate) {
    return "arbor "
        + command
        + ": dry run: configuration valid for model "
        + config.string("model.name")
        + ", run date "
        + runDate
        + "; Spark not started";
  }

  static String appName(String command, ArborConfig config, LocalDate runDate) {
    return "arbor-" + command + "-" + config.string("model.name") + "-" + runDate;
  }
}

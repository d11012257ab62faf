package dev.arbor.jobs;

import dev.arbor.ExitCode;
import dev.arbor.config.ArborConfig;
import dev.arbor.config.RunDate;
import dev.arbor.spark.JobContext;
import dev.arbor.spark.Sessions;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base class of a command that runs a stage on Spark. It loads and validates the configuration
 * ({@code --config}, {@code --set}), resolves the run date ({@code --run-date}, else {@code
 * run.date}), logs the resolved configuration with secrets redacted, gets the SparkSession ({@code
 * arbor-<command>-<model.name>-<run-date>}) and calls {@link #execute(JobContext)}. Config and
 * usage errors are reported before Spark starts.
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

  /** Runs the stage; returning normally means every output is committed (exit 0). */
  protected abstract void execute(JobContext context) throws Exception;

  @Override
  public final Integer call() throws Exception {
    String command = spec().name();
    ArborConfig config = resolveConfig();
    LocalDate runDate = RunDate.fromConfig(config);
    LOG.info(
        "arbor {} for run date {}; resolved configuration:\n{}",
        command,
        runDate,
        config.renderRedacted());
    SparkSession spark = Sessions.getOrCreate(appName(command, config, runDate), config);
    execute(new JobContext(spark, config, runDate));
    LOG.info("arbor {} for run date {}: done", command, runDate);
    return ExitCode.OK.code();
  }

  static String appName(String command, ArborConfig config, LocalDate runDate) {
    return "arbor-" + command + "-" + config.string("model.name") + "-" + runDate;
  }
}

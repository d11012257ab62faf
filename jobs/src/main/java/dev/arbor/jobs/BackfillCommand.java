package dev.arbor.jobs;

import dev.arbor.ExitCode;
import dev.arbor.catalog.TableMaintenance;
import dev.arbor.config.ArborConfig;
import dev.arbor.pipeline.Backfill;
import dev.arbor.pipeline.Pipeline;
import dev.arbor.runs.StageRunner;
import dev.arbor.session.Sessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code arbor backfill --from D1 --to D2}: runs the stages for every run date from D1 to D2
 * (inclusive), oldest first, one after the other, in this JVM and Spark session ({@link Backfill}).
 * Resumable through the stage ledger in the {@code runs} table: a stage that completed for the same
 * inputs and config is skipped ({@code --force} runs everything), and the first failure stops the
 * backfill with that stage's exit code, so re-running the same command continues where it stopped.
 */
@Command(
    name = "backfill",
    description = {
      "Runs the stages for every run date from --from to --to (inclusive), oldest first;"
          + " resumable: skips stages that completed for the same inputs and config (runs table),"
          + " stops at the first failure."
    })
final class BackfillCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "YYYY-MM-DD",
      converter = ConfiguredCommand.RunDateConverter.class,
      description = "First run date.")
  private LocalDate from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "YYYY-MM-DD",
      converter = ConfiguredCommand.RunDateConverter.class,
      description = "Last run date (inclusive).")
  private LocalDate to;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "HOCON file with the keys to change from the defaults.")
  private Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Overrides one config key; repeatable.")
  private Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--stages",
      split = ",",
      paramLabel = "STAGE",
      defaultValue = "prepare,train,evaluate",
      description = "The stages to run for each date, in run order (default: ${DEFAULT-VALUE}).")
  private List<String> stages;

  @Option(
      names = "--force",
      description = "Runs every stage, even those that completed for the same inputs and config.")
  private boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (to.isBefore(from)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--to': "
              + to
              + " (expected a date on or after --from "
              + from
              + ")");
    }
    for (String stage : stages) {
      if (!Pipeline.stageNames().contains(stage)) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--stages': "
                + stage
                + " (expected stages among: "
                + String.join(", ", Pipeline.stageNames())
                + ")");
      }
    }
    ArborConfig config = ArborConfig.load(configFile, overrides);
    String model = config.string("model.name");
    SparkSession spark =
        Sessions.getOrCreate("arbor-backfill-" + model + "-" + from + "-" + to, config);
    Backfill.of(spark, config, stages)
        .run(
            spark,
            config,
            from,
            to,
            force ? StageRunner.Mode.FORCE : StageRunner.Mode.SKIP_UNCHANGED,
            line -> {
              out.println(line);
              out.flush();
            });
    TableMaintenance.from(spark, config).afterRun();
    return ExitCode.OK.code();
  }
}

package dev.arbor.jobs;

import dev.arbor.ExitCode;
import dev.arbor.config.ArborConfig;
import dev.arbor.runs.StageLedger;
import dev.arbor.runs.outputs.CommittedOutputs;
import dev.arbor.spark.Sessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code arbor backfill --from D1 --to D2}: runs the stages for every run date from D1 to D2
 * (inclusive), oldest first, one after the other, in this JVM and Spark session, each exactly as
 * {@code arbor <stage> --config F --run-date D --set ...} would. Resumable: a stage whose outputs
 * for (model, date) are committed is skipped ({@link CommittedOutputs}) unless an earlier stage of
 * the same date ran ({@code --force} runs everything), a {@code train} whose splits were not
 * prepared again gets {@code --resume}, and the first failure stops the backfill with that stage's
 * exit code, so re-running the same command continues where it stopped.
 */
@Command(
    name = "backfill",
    description = {
      "Runs the stages for every run date from --from to --to (inclusive), oldest first;"
          + " resumable: skips stages whose outputs are committed, stops at the first failure."
    })
final class BackfillCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillCommand.class);

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
      description = "HOCON file with the keys to change from the defaults; passed to each stage.")
  private Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Overrides one config key; repeatable; passed to each stage.")
  private Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--stages",
      split = ",",
      paramLabel = "STAGE",
      defaultValue = "prepare,train,evaluate",
      description = "The commands to run for each date, in order (default: ${DEFAULT-VALUE}).")
  private List<String> stages;

  @Option(
      names = "--force",
      description =
          "Runs every stage, even those whose outputs are committed (e.g. after a config"
              + " change).")
  private boolean force;

  /** Makes the command line a stage runs on: {@link Main#commandLine}, or a test's. */
  private final BiFunction<PrintWriter, PrintWriter, CommandLine> commandLines;

  BackfillCommand() {
    this(Main::commandLine);
  }

  BackfillCommand(BiFunction<PrintWriter, PrintWriter, CommandLine> commandLines) {
    this.commandLines = commandLines;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (to.isBefore(from)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--to': "
              + to
              + " (expected a date on or after --from "
              + from
              + ")");
    }
    checkStages(commandLines.apply(out, err).getSubcommands());
    ArborConfig config = ArborConfig.load(configFile, overrides);
    String model = config.string("model.name");
    StageLedger ledger =
        new CommittedOutputs(
            config.string("output.root"),
            Sessions.getOrCreate("arbor-backfill-" + model + "-" + from + "-" + to, config)
                .sparkContext()
                .hadoopConfiguration());
    LOG.info("Backfill of {} from {} to {}: stages {}, force={}", model, from, to, stages, force);
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      List<String> done = new ArrayList<>();
      // Once a stage runs, the later ones read its new outputs: they run too.
      boolean rerun = force;
      for (String stage : stages) {
        if (!rerun && ledger.isComplete(stage, model, date)) {
          LOG.info("Backfill {} {}: {} skipped, its outputs are committed", model, date, stage);
          done.add(stage + " skipped");
          continue;
        }
        // No resume after a re-prepare: the new splits need a fresh fit (train would ignore a
        // checkpoint of other data anyway: checkpoints are keyed by the data fingerprint).
        String[] args = stageArgs(stage, date, !rerun).toArray(String[]::new);
        int code = Main.execute(commandLines.apply(out, err), args);
        if (code != ExitCode.OK.code()) {
          LOG.error(
              "Backfill of {} stopped at {} {} with exit code {}; run the same command again to"
                  + " resume",
              model,
              date,
              stage,
              code);
          return code;
        }
        rerun = true;
        done.add(stage + " done");
      }
      out.println(date + ": " + String.join(", ", done));
      out.flush();
    }
    return ExitCode.OK.code();
  }

  /** The command line of one stage for one date; {@code resume} adds {@code --resume} to train. */
  List<String> stageArgs(String stage, LocalDate date, boolean resume) {
    List<String> args = new ArrayList<>(List.of(stage, "--run-date", date.toString()));
    if (configFile != null) {
      args.add("--config");
      args.add(configFile.toString());
    }
    overrides.forEach(
        (key, value) -> {
          args.add("--set");
          args.add(key + "=" + value);
        });
    if (stage.equals("train") && resume) {
      args.add("--resume");
    }
    return args;
  }

  /** Every stage must be a {@link StageCommand} of the command line. */
  private void checkStages(Map<String, CommandLine> commands) {
    Set<String> allowed = new TreeSet<>();
    commands.forEach(
        (name, cl) -> {
          if (cl.getCommand() instanceof StageCommand) {
            allowed.add(name);
          }
        });
    for (String stage : stages) {
      if (!allowed.contains(stage)) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--stages': "
                + stage
                + " (expected stage commands among: "
                + String.join(", ", allowed)
                + ")");
      }
    }
  }
}

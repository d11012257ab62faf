package dev.arbor.pipeline;

import dev.arbor.config.ArborConfig;
import dev.arbor.runs.StageLedger;
import dev.arbor.runs.StageRunner;
import dev.arbor.runs.Step;
import dev.arbor.runs.table.RunsTableLedger;
import dev.arbor.spark.JobContext;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages for every run date of a range, oldest first, one date after the other in one session,
 * with the stage ledger's skip rule ({@link StageRunner}): resumable, since a re-run skips every
 * stage that completed for the same inputs and config and redoes the rest. The first failure stops
 * it (the exception propagates, after the ledger recorded it).
 */
public final class Backfill {
  private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

  private final List<Step> steps;
  private final StageLedger ledger;

  /** A backfill of {@code steps} (in run order) recording into {@code ledger}. */
  public Backfill(List<? extends Step> steps, StageLedger ledger) {
    this.steps = List.copyOf(steps);
    this.ledger = ledger;
  }

  /**
   * The backfill of the named pipeline stages ({@link Pipeline#stageNames()}), in run order, with
   * the ledger in the {@code runs} table of {@code config}'s catalog.
   *
   * @throws IllegalArgumentException when a name is not a stage
   */
  public static Backfill of(SparkSession spark, ArborConfig config, List<String> stages) {
    RunsTableLedger ledger = new RunsTableLedger(spark, config);
    return new Backfill(Pipeline.select(Pipeline.steps(ledger), stages), ledger);
  }

  /**
   * Runs every date from {@code from} to {@code to} (inclusive); gives {@code lines} one line per
   * finished date, e.g. {@code 2026-01-02: prepare skipped (unchanged), train done (input changed),
   * evaluate done (an earlier stage ran)}.
   */
  public void run(
      SparkSession spark,
      ArborConfig config,
      LocalDate from,
      LocalDate to,
      StageRunner.Mode mode,
      Consumer<String> lines) {
    String model = config.string("model.name");
    List<String> names = steps.stream().map(Step::name).toList();
    LOG.info("Backfill of {} from {} to {}: stages {}, {}", model, from, to, names, mode);
    StageRunner runner = new StageRunner(ledger);
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      List<StageRunner.Report> reports;
      try {
        reports = runner.run(new JobContext(spark, config, date), steps, mode);
      } catch (RuntimeException e) {
        LOG.error(
            "Backfill of {} stopped at {}: {}; run the same command again to resume",
            model,
            date,
            e.getMessage());
        throw e;
      }
      lines.accept(
          date
              + ": "
              + reports.stream().map(StageRunner.Report::line).collect(Collectors.joining(", ")));
    }
  }

  /** The steps' names, in run order. */
  public List<String> stages() {
    return steps.stream().map(Step::name).toList();
  }
}

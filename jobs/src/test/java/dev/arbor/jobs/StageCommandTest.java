package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.DataValidationException;
import dev.arbor.config.ArborConfig;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.SparkTestSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The stage command life cycle on the shared test session. */
@Tag("spark")
class StageCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /**
   * Records the context it was given; fails with a data error when the model is "bad" and with a
   * config error from {@link #check} when it is "unchecked".
   */
  @Command(name = "probe")
  static final class Probe extends StageCommand {
    JobContext seen;
    ArborConfig checked;

    @Override
    protected void check(ArborConfig config) {
      checked = config;
      if (config.string("model.name").equals("unchecked")) {
        throw ArborConfig.outOfRange("model.name", "unchecked", "a model the probe accepts");
      }
    }

    @Override
    protected void execute(JobContext context) {
      seen = context;
      DataValidationException.check(
          !context.config().string("model.name").equals("bad"), "Invalid input: bad");
    }
  }

  private int run(Probe probe, String... args) {
    CommandLine cl = Main.commandLine(new PrintWriter(out), new PrintWriter(err));
    cl.addSubcommand("probe", probe);
    // Commands added after creation do not inherit the writers.
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "probe";
    System.arraycopy(args, 0, all, 1, args.length);
    return Main.execute(cl, all);
  }

  @Test
  void runsTheStageWithTheResolvedConfigAndRunDate() {
    SparkTestSession.get();
    Probe probe = new Probe();

    assertThat(run(probe, "--set", "model.name=churn", "--run-date", "2026-03-04")).isZero();

    assertThat(err.toString()).isEmpty();
    assertThat(probe.seen.spark()).isSameAs(SparkTestSession.get());
    assertThat(probe.seen.runDate()).isEqualTo(LocalDate.of(2026, 3, 4));
    assertThat(probe.seen.config().string("run.date")).isEqualTo("2026-03-04");
    assertThat(probe.seen.config().string("model.name")).isEqualTo("churn");
    assertThat(StageCommand.appName("probe", probe.seen.config(), probe.seen.runDate()))
        .isEqualTo("arbor-probe-churn-2026-03-04");
  }

  @Test
  void runDateDefaultsToTheConfiguredOne() {
    SparkTestSession.get();
    Probe probe = new Probe();

    assertThat(run(probe, "--set", "run.date=2025-07-01")).isZero();

    assertThat(probe.seen.runDate()).isEqualTo(LocalDate.of(2025, 7, 1));
  }

  @Test
  void configErrorsStopBeforeTheStageRuns() {
    Probe probe = new Probe();

    assertThat(run(probe, "--set", "model.nmae=x")).isEqualTo(3);

    assertThat(probe.seen).isNull();
    assertThat(err.toString()).startsWith("arbor: error: Unknown config key 'model.nmae'");
  }

  @Test
  void stageFailuresMapToTheirExitCode() {
    SparkTestSession.get();

    assertThat(run(new Probe(), "--set", "model.name=bad")).isEqualTo(4);

    assertThat(err.toString())
        .isEqualTo("arbor: error: Invalid input: bad" + System.lineSeparator());
  }

  @Test
  void dryRunValidatesWithoutRunningTheStage() {
    Probe probe = new Probe();

    assertThat(run(probe, "--dry-run", "--set", "model.name=churn", "--run-date", "2026-03-04"))
        .isZero();

    assertThat(probe.seen).isNull();
    assertThat(probe.checked.string("run.date")).isEqualTo("2026-03-04");
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .isEqualTo(
            "arbor probe: dry run: configuration valid for model churn, run date 2026-03-04;"
                + " Spark not started"
                + System.lineSeparator());
  }

  @Test
  void dryRunReportsTheStageChecksFailure() {
    Probe probe = new Probe();

    assertThat(run(probe, "--dry-run", "--set", "model.name=unchecked")).isEqualTo(3);

    assertThat(probe.seen).isNull();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid config value for 'model.name': unchecked"
                + " (expected a model the probe accepts)"
                + System.lineSeparator());
  }

  @Test
  void dryRunWithABadRunDateIsAUsageError() {
    Probe probe = new Probe();

    assertThat(run(probe, "--dry-run", "--run-date", "2026-13-01")).isEqualTo(2);

    assertThat(probe.checked).isNull();
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid value for option '--run-date': '2026-13-01'"
                + " (expected a calendar date YYYY-MM-DD) (see 'arbor probe --help')"
                + System.lineSeparator());
  }

  @Test
  void theStageChecksItsConfigBeforeSparkStarts() {
    Probe probe = new Probe();

    assertThat(run(probe, "--set", "model.name=unchecked")).isEqualTo(3);

    assertThat(probe.seen).isNull();
    assertThat(err.toString()).startsWith("arbor: error: Invalid config value for 'model.name'");
  }
}

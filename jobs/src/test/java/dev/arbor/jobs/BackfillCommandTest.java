package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.DataValidationException;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The backfill loop on stand-in stages that write the same committed outputs as the real ones. */
class BackfillCommandTest {
  /** Every stage run, as "stage date [--resume]", in order. */
  private static final List<String> RUNS = new ArrayList<>();

  /** A run of a stage for this "stage date" fails with a data error (exit 4). */
  private static String failOn;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path root;

  /** A stand-in stage: records its run, then commits the marker file of the real stage. */
  abstract static class FakeStage extends StageCommand {
    @Option(names = "--resume")
    boolean resume;

    abstract String marker();

    @Override
    protected void execute(JobContext context) throws IOException {
      String run = spec().name() + " " + context.runDate();
      RUNS.add(run + (resume ? " --resume" : ""));
      DataValidationException.check(!run.equals(failOn), "Invalid input: " + run);
      if (marker() != null) {
        Path file =
            Path.of(context.config().string("output.root"))
                .resolve(String.format(marker(), context.config().string("model.name")))
                .resolve("run_date=" + context.runDate())
                .resolve(marker().equals(PREPARED) ? "prep-model.json" : "model.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}");
      }
    }
  }

  private static final String PREPARED = "prepared/%s";

  @Command(name = "prepare")
  static final class Prepare extends FakeStage {
    @Override
    String marker() {
      return PREPARED;
    }
  }

  @Command(name = "train")
  static final class Train extends FakeStage {
    @Override
    String marker() {
      return "models/%s";
    }
  }

  @Command(name = "evaluate")
  static final class Evaluate extends FakeStage {
    @Override
    String marker() {
      return null;
    }
  }

  /** The root of the stand-in stages, handled like {@link Main}'s. */
  @Command(name = "arbor")
  static final class FakeRoot implements Runnable {
    @Override
    public void run() {}
  }

  private static CommandLine withStages(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new FakeRoot());
    cl.addSubcommand(new Prepare());
    cl.addSubcommand(new Train());
    cl.addSubcommand(new Evaluate());
    ErrorHandler handler = new ErrorHandler();
    cl.setExecutionExceptionHandler(handler);
    cl.setParameterExceptionHandler(handler);
    cl.setOut(out);
    cl.setErr(err);
    return cl;
  }

  @BeforeEach
  void reset() {
    RUNS.clear();
    failOn = null;
    root = TestPaths.newTempDir("backfill");
  }

  private int backfill(String... args) {
    PrintWriter o = new PrintWriter(out);
    PrintWriter e = new PrintWriter(err);
    CommandLine replaced = new CommandLine(new BackfillCommand(BackfillCommandTest::withStages));
    replaced.setOut(o);
    replaced.setErr(e);
    replaced.setExecutionExceptionHandler(new ErrorHandler());
    replaced.setParameterExceptionHandler(new ErrorHandler());
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--set", "output.root=" + root, "--set", "model.name=churn"));
    return Main.execute(replaced, all.toArray(String[]::new));
  }

  @Test
  void runsEveryStageOfEveryDateInOrder() {
    SparkTestSession.get();

    assertThat(backfill("--from", "2026-01-30", "--to", "2026-02-01")).isZero();

    assertThat(err.toString()).isEmpty();
    assertThat(RUNS)
        .containsExactly(
            "prepare 2026-01-30",
            "train 2026-01-30",
            "evaluate 2026-01-30",
            "prepare 2026-01-31",
            "train 2026-01-31",
            "evaluate 2026-01-31",
            "prepare 2026-02-01",
            "train 2026-02-01",
            "evaluate 2026-02-01");
    assertThat(out.toString().lines())
        .containsExactly(
            "2026-01-30: prepare done, train done, evaluate done",
            "2026-01-31: prepare done, train done, evaluate done",
            "2026-02-01: prepare done, train done, evaluate done");
  }

  @Test
  void stopsAtTheFirstFailureAndResumesWhereItStopped() {
    SparkTestSession.get();
    failOn = "train 2026-01-02";

    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-03")).isEqualTo(4);

    assertThat(RUNS)
        .containsExactly(
            "prepare 2026-01-01",
            "train 2026-01-01",
            "evaluate 2026-01-01",
            "prepare 2026-01-02",
            "train 2026-01-02");
    assertThat(err.toString())
        .isEqualTo("arbor: error: Invalid input: train 2026-01-02" + System.lineSeparator());

    RUNS.clear();
    failOn = null;
    out.getBuffer().setLength(0);
    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-03")).isZero();

    // Committed prepare and train outputs are skipped; evaluate has no marker and re-runs; the
    // failed train resumes from its checkpoint (its splits were not prepared again).
    assertThat(RUNS)
        .containsExactly(
            "evaluate 2026-01-01",
            "train 2026-01-02 --resume",
            "evaluate 2026-01-02",
            "prepare 2026-01-03",
            "train 2026-01-03",
            "evaluate 2026-01-03");
    assertThat(out.toString().lines())
        .containsExactly(
            "2026-01-01: prepare skipped, train skipped, evaluate done",
            "2026-01-02: prepare skipped, train done, evaluate done",
            "2026-01-03: prepare done, train done, evaluate done");
  }

  @Test
  void stagesAfterOneThatRanRunToo() throws IOException {
    SparkTestSession.get();
    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-01")).isZero();
    // The prepared splits are gone (deleted, or a commit rolled back), the model is not.
    Path prepared = root.resolve("prepared/churn/run_date=2026-01-01/prep-model.json");
    Files.delete(prepared);
    RUNS.clear();

    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-01")).isZero();

    // The model of the old splits must not survive new splits: train runs again, from scratch.
    assertThat(RUNS)
        .containsExactly("prepare 2026-01-01", "train 2026-01-01", "evaluate 2026-01-01");
  }

  @Test
  void forceRunsCommittedStagesAgainWithoutResume() {
    SparkTestSession.get();
    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-01")).isZero();
    RUNS.clear();

    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-01", "--force")).isZero();

    assertThat(RUNS)
        .containsExactly("prepare 2026-01-01", "train 2026-01-01", "evaluate 2026-01-01");
  }

  @Test
  void stagesCanBeChosen() {
    SparkTestSession.get();

    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-02", "--stages", "prepare"))
        .isZero();

    assertThat(RUNS).containsExactly("prepare 2026-01-01", "prepare 2026-01-02");
  }

  @Test
  void toBeforeFromIsAUsageError() {
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "backfill",
            "--from",
            "2026-01-05",
            "--to",
            "2026-01-01");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid value for option '--to': 2026-01-01"
                + " (expected a date on or after --from 2026-01-05) (see 'arbor backfill --help')"
                + System.lineSeparator());
  }

  @Test
  void anUnknownStageIsAUsageErrorListingTheCommands() {
    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-01", "--stages", "prepare,trian"))
        .isEqualTo(2);

    assertThat(RUNS).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid value for option '--stages': trian"
                + " (expected stage commands among: evaluate, prepare, train) (see 'backfill --help')"
                + System.lineSeparator());
  }

  @Test
  void aBadDateIsAUsageError() {
    assertThat(backfill("--from", "2026-02-30", "--to", "2026-03-01")).isEqualTo(2);

    assertThat(err.toString())
        .startsWith("arbor: error: Invalid value for option '--from': '2026-02-30'");
  }

  @Test
  void configErrorsStopBeforeAnyStage() {
    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-01", "--set", "modle.name=x"))
        .isEqualTo(3);

    assertThat(RUNS).isEmpty();
    assertThat(err.toString()).startsWith("arbor: error: Unknown config key 'modle.name' (--set)");
  }

  @Test
  void isRegisteredInMain() {
    assertThat(Main.commandLine(new PrintWriter(out), new PrintWriter(err)).getSubcommands())
        .containsKey("backfill");
  }
}

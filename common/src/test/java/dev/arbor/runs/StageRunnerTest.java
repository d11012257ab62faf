package dev.arbor.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import dev.arbor.catalog.StageOutcome;
import dev.arbor.config.ArborConfig;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The skip rule on stand-in steps and an in-memory ledger (no data, no tables). */
@Tag("spark")
class StageRunnerTest {
  private static final LocalDate DAY = LocalDate.of(2026, 1, 1);

  /** The ledger: the last map recorded, as the runs row would hold it. */
  private final Map<String, StageOutcome> row = new LinkedHashMap<>();

  private final StageLedger ledger =
      new StageLedger() {
        @Override
        public Map<String, StageOutcome> recorded(String model, LocalDate runDate) {
          return new LinkedHashMap<>(row);
        }

        @Override
        public void record(String model, LocalDate runDate, Map<String, StageOutcome> stages) {
          row.clear();
          row.putAll(stages);
        }
      };

  private final List<String> ran = new ArrayList<>();
  private final Map<String, String> inputs = new HashMap<>();
  private final Map<String, String> outputs = new HashMap<>();
  private String failOn;
  private String errorOn;
  private final String root = TestPaths.newTempDir("stage-runner").toString();

  /** A step whose input, output and failure the test sets; records itself when asked to. */
  private final class FakeStep implements Step {
    private final String name;
    private final boolean recordsItself;

    FakeStep(String name, boolean recordsItself) {
      this.name = name;
      this.recordsItself = recordsItself;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<String> configPaths() {
      return List.of("train");
    }

    @Override
    public String inputFingerprint(JobContext c) {
      return inputs.getOrDefault(name, "in");
    }

    @Override
    public Optional<String> outputFingerprint(JobContext c) {
      return Optional.ofNullable(outputs.get(name));
    }

    @Override
    public boolean recordsItself() {
      return recordsItself;
    }

    @Override
    public String run(JobContext c, Attempt attempt) {
      ran.add(name);
      if (name.equals(failOn)) {
        if (recordsItself) {
          Map<String, StageOutcome> own = new LinkedHashMap<>(attempt.completed());
          own.put(name, attempt.starting().failedWith("own row"));
          ledger.record("m", DAY, own);
        }
        throw new IllegalStateException("boom in " + name);
      }
      if (name.equals(errorOn)) {
        throw new StackOverflowError();
      }
      outputs.put(name, "out-" + name + "-" + ran.size());
      if (recordsItself) {
        Map<String, StageOutcome> own = new LinkedHashMap<>(attempt.completed());
        own.put(name, attempt.starting().succeededWith(outputs.get(name)));
        ledger.record("m", DAY, own);
      }
      return name + " ran";
    }
  }

  private final List<Step> steps =
      List.of(new FakeStep("a", false), new FakeStep("b", false), new FakeStep("c", true));

  private List<String> run(ArborConfig config, StageRunner.Mode mode) {
    ran.clear();
    return new StageRunner(ledger)
        .run(new JobContext(SparkTestSession.get(), config, DAY), steps, mode).stream()
            .map(StageRunner.Report::line)
            .toList();
  }

  private List<String> run() {
    return run(config(), StageRunner.Mode.SKIP_UNCHANGED);
  }

  private ArborConfig config() {
    return ArborConfig.defaults().with("output.root", root);
  }

  @Test
  @Tag("reliability")
  @DisplayName(
      "a StackOverflowError (an Error, not an exception) in a stage — recorded as a failed stage"
          + " in the ledger, rethrown unchanged")
  void anErrorIsRecordedToo() {
    errorOn = "b";
    assertThatThrownBy(this::run).isInstanceOf(StackOverflowError.class);
    assertThat(row.get("a").succeeded()).isTrue();
    assertThat(row.get("b").status()).isEqualTo(StageOutcome.FAILED);
    assertThat(row.get("b").message()).isEqualTo("java.lang.StackOverflowError");
  }

  @Test
  @Tag("reliability")
  @DisplayName(
      "a second writer of the same (model, run date) while the first holds the lock — exit 6"
          + " naming the holder, no stage run, ledger untouched; released after the first ends")
  void oneWriterPerTarget() {
    run();
    Map<String, StageOutcome> before = new LinkedHashMap<>(row);
    try (RunLock held =
        RunLock.acquire(
            root,
            "demo",
            DAY,
            "pipeline",
            false,
            SparkTestSession.get().sparkContext().hadoopConfiguration())) {
      assertThat(held).isNotNull();
      assertThatThrownBy(() -> run(config(), StageRunner.Mode.FORCE))
          .isInstanceOfSatisfying(
              ArborException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BUSY))
          .hasMessageContaining("another writer holds the lock")
          .hasMessageContaining("pipeline on host ")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThat(ran).isEmpty();
      assertThat(row).isEqualTo(before);
    }
    assertThat(run(config(), StageRunner.Mode.FORCE)).hasSize(3);
    assertThat(Files.exists(Paths.get(RunLock.path(root, "demo", DAY)))).isFalse();
  }

  @Test
  @Tag("reliability")
  @DisplayName(
      "a lock left by a killed process (dead pid on this host) — taken over with a WARN, the run"
          + " completes; from another host — exit 6 until --break-lock (run.break-lock)")
  void staleLocks() throws Exception {
    Path lock = Paths.get(RunLock.path(root, "demo", DAY));
    Files.createDirectories(lock.getParent());
    String host = java.net.InetAddress.getLocalHost().getHostName();
    Files.writeString(
        lock, "token=t1\nhost=" + host + "\npid=2147483646\ncommand=prepare\nstarted_at=x\n");
    assertThat(run()).hasSize(3);
    assertThat(Files.exists(lock)).isFalse();

    Files.writeString(lock, "token=t2\nhost=elsewhere\npid=1\ncommand=prepare\nstarted_at=x\n");
    assertThatThrownBy(() -> run(config(), StageRunner.Mode.FORCE))
        .hasMessageContaining("host elsewhere")
        .hasMessageContaining("--break-lock");
    assertThat(run(config().with(StageRunner.BREAK_LOCK_KEY, true), StageRunner.Mode.FORCE))
        .hasSize(3);
    assertThat(Files.exists(lock)).isFalse();
  }

  @Test
  void eachReasonToRunAndWhatItInvalidates() {
    assertThat(run())
        .containsExactly(
            "a done (no recorded outcome)",
            "b done (an earlier stage ran)",
            "c done (an earlier stage ran)");
    assertThat(run())
        .containsExactly("a skipped (unchanged)", "b skipped (unchanged)", "c skipped (unchanged)");
    assertThat(ran).isEmpty();

    inputs.put("b", "other");
    assertThat(run())
        .containsExactly(
            "a skipped (unchanged)", "b done (input changed)", "c done (an earlier stage ran)");

    assertThat(run(config().with("train.loss", "hinge"), StageRunner.Mode.SKIP_UNCHANGED))
        .containsExactly(
            "a done (config changed)",
            "b done (an earlier stage ran)",
            "c done (an earlier stage ran)");
    // A config key outside the steps' paths changes nothing.
    assertThat(
            run(
                config().with("train.loss", "hinge").with("evaluate.threshold", 0.3),
                StageRunner.Mode.SKIP_UNCHANGED))
        .containsOnly("a skipped (unchanged)", "b skipped (unchanged)", "c skipped (unchanged)");

    outputs.remove("c");
    assertThat(run(config().with("train.loss", "hinge"), StageRunner.Mode.SKIP_UNCHANGED))
        .containsExactly(
            "a skipped (unchanged)", "b skipped (unchanged)", "c done (outputs missing)");

    outputs.put("b", "replaced by someone");
    assertThat(run(config().with("train.loss", "hinge"), StageRunner.Mode.SKIP_UNCHANGED))
        .containsExactly(
            "a skipped (unchanged)", "b done (outputs changed)", "c done (an earlier stage ran)");

    assertThat(run(config().with("train.loss", "hinge"), StageRunner.Mode.FORCE))
        .containsExactly("a done (--force)", "b done (--force)", "c done (--force)");
  }

  @Test
  void aFailureIsRecordedDropsTheLaterStagesAndTheReRunRedoesOnlyFromIt() {
    run();
    inputs.put("b", "new splits");
    failOn = "b";

    assertThatThrownBy(this::run).hasMessage("boom in b");

    assertThat(row).containsOnlyKeys("a", "b");
    assertThat(row.get("b").status()).isEqualTo("failed");
    assertThat(row.get("b").message()).isEqualTo("boom in b");
    failOn = null;
    assertThat(run())
        .containsExactly(
            "a skipped (unchanged)", "b done (last run failed)", "c done (an earlier stage ran)");
    assertThat(row.values()).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
  }

  @Test
  void aStepThatRecordsItsOwnFailureKeepsItsRow() {
    failOn = "c";

    assertThatThrownBy(this::run).hasMessage("boom in c");

    // The runner did not overwrite the step's own failed record.
    assertThat(row.get("c").message()).isEqualTo("own row");
  }
}

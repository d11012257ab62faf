package dev.arbor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.DataValidationException;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.runs.Fingerprints;
import dev.arbor.runs.StageRunner;
import dev.arbor.runs.Step;
import dev.arbor.runs.table.RunsTableLedger;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestConfig;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The backfill loop with the real ledger in the {@code runs} table, on stand-in stages that count
 * their runs and write one small file each (so every run costs milliseconds, not a training).
 */
@Tag("spark")
class BackfillTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static CatalogSettings catalog;

  /** Every stage run, as "stage date", in order. */
  private final List<String> runs = new ArrayList<>();

  /** A run of this "stage date" fails with a data error. */
  private String failOn;

  private Path root;
  private ArborConfig config;

  @BeforeAll
  static void openCatalog() {
    catalog =
        CatalogSettings.localJdbc("t_backfill", "arbor", TestPaths.newTempDir("backfill-tables"));
    catalog.applyTo(spark);
  }

  @BeforeEach
  void reset() throws IOException {
    root = TestPaths.newTempDir("backfill");
    // A model of its own per test: each test starts with an empty ledger.
    String model = "m" + Math.abs(root.getFileName().toString().hashCode());
    config = TestConfig.of().set("model.name", model).catalog(catalog).build();
    for (LocalDate d = LocalDate.of(2026, 1, 1);
        d.isBefore(LocalDate.of(2026, 1, 4));
        d = d.plusDays(1)) {
      Files.createDirectories(root.resolve("input"));
      Files.writeString(root.resolve("input/" + d), "rows of " + d);
    }
  }

  /** A stand-in stage: reads {@code <from>/<date>}, writes {@code <name>/<date>}. */
  private final class FakeStep implements Step {
    private final String name;
    private final String from;

    FakeStep(String name, String from) {
      this.name = name;
      this.from = from;
    }

    private String file(String folder, JobContext c) {
      return root.resolve(folder).resolve(c.runDate().toString()).toString();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<String> configPaths() {
      return List.of(name);
    }

    @Override
    public String inputFingerprint(JobContext c) {
      return Fingerprints.ofFiles(file(from, c), spark.sparkContext().hadoopConfiguration())
          .orElse("absent");
    }

    @Override
    public Optional<String> outputFingerprint(JobContext c) {
      return Fingerprints.ofFiles(file(name, c), spark.sparkContext().hadoopConfiguration());
    }

    @Override
    public String run(JobContext c, Attempt attempt) {
      String run = name + " " + c.runDate();
      runs.add(run);
      DataValidationException.check(!run.equals(failOn), "Invalid input: " + run);
      try {
        Files.createDirectories(Path.of(file(name, c)).getParent());
        Files.writeString(Path.of(file(name, c)), run + " " + System.nanoTime());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return run;
    }
  }

  private List<Step> steps() {
    return List.of(
        new FakeStep("prepare", "input"),
        new FakeStep("train", "prepare"),
        new FakeStep("evaluate", "train"));
  }

  private List<String> backfill(List<Step> steps, String from, String to, StageRunner.Mode mode) {
    List<String> lines = new ArrayList<>();
    new Backfill(steps, new RunsTableLedger(spark, config))
        .run(spark, config, LocalDate.parse(from), LocalDate.parse(to), mode, lines::add);
    return lines;
  }

  @Test
  void stopsAtTheFirstFailureAndResumesWhereItStoppedThroughTheLedger() {
    failOn = "train 2026-01-02";

    assertThatThrownBy(
            () -> backfill(steps(), "2026-01-01", "2026-01-03", StageRunner.Mode.SKIP_UNCHANGED))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Invalid input: train 2026-01-02");

    assertThat(runs)
        .containsExactly(
            "prepare 2026-01-01",
            "train 2026-01-01",
            "evaluate 2026-01-01",
            "prepare 2026-01-02",
            "train 2026-01-02");
    RunsTableLedger ledger = new RunsTableLedger(spark, config);
    var failed = ledger.run(config.string("model.name"), LocalDate.of(2026, 1, 2)).orElseThrow();
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.message()).isEqualTo("train: Invalid input: train 2026-01-02");

    runs.clear();
    failOn = null;
    List<String> lines =
        backfill(steps(), "2026-01-01", "2026-01-03", StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(runs)
        .containsExactly(
            "train 2026-01-02",
            "evaluate 2026-01-02",
            "prepare 2026-01-03",
            "train 2026-01-03",
            "evaluate 2026-01-03");
    assertThat(lines)
        .containsExactly(
            "2026-01-01: prepare skipped (unchanged), train skipped (unchanged), evaluate skipped"
                + " (unchanged)",
            "2026-01-02: prepare skipped (unchanged), train done (last run failed), evaluate done"
                + " (an earlier stage ran)",
            "2026-01-03: prepare done (no recorded outcome), train done (an earlier stage ran),"
                + " evaluate done (an earlier stage ran)");
  }

  @Test
  void aChangedInputOfOneDateReRunsThatDateOnly() throws IOException {
    backfill(steps(), "2026-01-01", "2026-01-02", StageRunner.Mode.SKIP_UNCHANGED);
    Files.writeString(root.resolve("input/2026-01-02"), "new rows, longer than before");
    runs.clear();

    backfill(steps(), "2026-01-01", "2026-01-02", StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(runs)
        .containsExactly("prepare 2026-01-02", "train 2026-01-02", "evaluate 2026-01-02");
  }

  @Test
  void forceRunsEveryStageAgain() {
    backfill(steps(), "2026-01-01", "2026-01-01", StageRunner.Mode.SKIP_UNCHANGED);
    runs.clear();

    List<String> lines = backfill(steps(), "2026-01-01", "2026-01-01", StageRunner.Mode.FORCE);

    assertThat(runs)
        .containsExactly("prepare 2026-01-01", "train 2026-01-01", "evaluate 2026-01-01");
    assertThat(lines)
        .containsExactly(
            "2026-01-01: prepare done (--force), train done (--force), evaluate done (--force)");
  }

  @Test
  void stagesCanBeChosen() {
    List<Step> prepareOnly = Pipeline.select(steps(), List.of("prepare"));

    backfill(prepareOnly, "2026-01-01", "2026-01-02", StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(runs).containsExactly("prepare 2026-01-01", "prepare 2026-01-02");
    assertThatThrownBy(() -> Pipeline.select(steps(), List.of("trian")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid stage: trian (expected one of ");
  }
}

package dev.arbor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.DataValidationException;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.RunRecord;
import dev.arbor.config.ArborConfig;
import dev.arbor.demo.DemoDataset;
import dev.arbor.demo.DemoSettings;
import dev.arbor.runs.Fingerprints;
import dev.arbor.runs.StageRunner;
import dev.arbor.runs.table.RunsTableLedger;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestConfig;
import dev.arbor.testing.TestPaths;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The stage ledger through the real pipeline on a small demo dataset (1,000 rows): which stages a
 * re-run skips, proved by the outputs (a stage that runs re-commits its output, which changes its
 * files' fingerprint: paths, sizes, modification times) and by the {@code runs} row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("spark")
class PipelineLedgerTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static final LocalDate DAY = LocalDate.of(2025, 3, 1);
  private static final String MODEL = "ledger";
  private static Path dir;
  private static CatalogSettings catalog;

  @BeforeAll
  static void data() {
    dir = TestPaths.newTempDir("pipeline-ledger");
    catalog = CatalogSettings.localJdbc("t_ledger", "arbor", dir.resolve("warehouse"));
    catalog.applyTo(spark);
    DemoDataset.write(spark, input(), new DemoSettings(1000, 7));
  }

  private static String input() {
    return dir.resolve("input").toString();
  }

  private static ArborConfig config(Object... keyValues) {
    return TestConfig.of()
        .set("model.name", MODEL)
        .set("input.path", input())
        .set("input.generate-demo-if-missing", false)
        .set("output.root", dir.resolve("out").toString())
        .catalog(catalog)
        .set("prepare.max-rejected-fraction", 0.2)
        .set("train.optimizer.max-iterations", 20)
        // The gate runs as the last stage; its decisions are PromoteStageTest's, so a worse re-run
        // of the date is a warning here, not a failure.
        .set("promote.on-reject", "warn")
        .pairs(keyValues)
        .build();
  }

  private static Pipeline.Result pipeline(ArborConfig config, StageRunner.Mode mode) {
    return Pipeline.run(new JobContext(spark, config, DAY), mode);
  }

  /** "stage ran|skipped (reason)" per stage. */
  private static List<String> lines(Pipeline.Result r) {
    return r.reports().stream().map(StageRunner.Report::line).toList();
  }

  private static String prepared() {
    return Fingerprints.ofFiles(
            dir.resolve("out/prepared/" + MODEL + "/run_date=" + DAY).toString(),
            spark.sparkContext().hadoopConfiguration())
        .orElse("missing");
  }

  private static String model() {
    return Fingerprints.ofFiles(
            dir.resolve("out/models/" + MODEL + "/run_date=" + DAY + "/model.json").toString(),
            spark.sparkContext().hadoopConfiguration())
        .orElse("missing");
  }

  private static RunRecord run(String model) {
    return new RunsTableLedger(spark, config())
        .run(model, DAY)
        .orElseThrow(() -> new AssertionError("no runs row for " + model));
  }

  private static long metricRows() {
    return spark
        .sql(
            "SELECT count(*) FROM "
                + catalog.qualified("metrics")
                + " WHERE model = '"
                + MODEL
                + "' AND run_date = DATE'"
                + DAY
                + "'")
        .first()
        .getLong(0);
  }

  @Test
  @Order(1)
  void aFirstRunRunsAndRecordsEveryStage() {
    Pipeline.Result r = pipeline(config(), StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(lines(r))
        .containsExactly(
            "prepare done (no recorded outcome)",
            "train done (an earlier stage ran)",
            "evaluate done (an earlier stage ran)",
            "promote done (an earlier stage ran)");
    RunRecord row = run(MODEL);
    assertThat(row.status()).isEqualTo("succeeded");
    assertThat(row.stages()).containsOnlyKeys("prepare", "train", "evaluate", "promote");
    assertThat(row.stages().values()).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
    assertThat(row.stages().get("prepare").outputFingerprint()).isEqualTo(prepared());
    assertThat(row.stages().get("train").outputFingerprint()).isEqualTo(model());
    assertThat(row.stages().get("evaluate").outputFingerprint()).isEqualTo(row.key().runId());
    assertThat(row.prepareMs()).isEqualTo(row.stages().get("prepare").durationMs());
    // The first model of its name is promoted; the stage's outcome is added to the committed row.
    assertThat(row.stages().get("promote").outputFingerprint()).isEqualTo("first,promoted-model");
  }

  @Test
  @Order(2)
  void anUnchangedReRunSkipsEveryStageAndWritesNothing() {
    String preparedBefore = prepared();
    String modelBefore = model();
    RunRecord before = run(MODEL);

    Pipeline.Result r = pipeline(config(), StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(lines(r))
        .containsExactly(
            "prepare skipped (unchanged)",
            "train skipped (unchanged)",
            "evaluate skipped (unchanged)",
            "promote skipped (unchanged)");
    assertThat(prepared()).isEqualTo(preparedBefore);
    assertThat(model()).isEqualTo(modelBefore);
    assertThat(run(MODEL)).isEqualTo(before); // not even the wall-clock columns changed
  }

  @Test
  @Order(3)
  void aChangedTrainSectionReRunsTrainAndEvaluateButNotPrepare() {
    String preparedBefore = prepared();
    String modelBefore = model();
    RunRecord before = run(MODEL);

    Pipeline.Result r =
        pipeline(config("train.regularization.strength", 0.5), StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(lines(r))
        .containsExactly(
            "prepare skipped (unchanged)",
            "train done (config changed)",
            "evaluate done (an earlier stage ran)",
            "promote done (an earlier stage ran)");
    assertThat(prepared()).isEqualTo(preparedBefore);
    assertThat(model()).isNotEqualTo(modelBefore);
    RunRecord after = run(MODEL);
    assertThat(after.status()).isEqualTo("succeeded");
    assertThat(after.key().runId()).isNotEqualTo(before.key().runId());
    assertThat(after.stages().get("prepare")).isEqualTo(before.stages().get("prepare"));
    // Changing only how train logs or checkpoints is not a change of its result.
    assertThat(
            lines(
                pipeline(
                    config("train.regularization.strength", 0.5, "train.log-every", 1),
                    StageRunner.Mode.SKIP_UNCHANGED)))
        .containsOnly(
            "prepare skipped (unchanged)",
            "train skipped (unchanged)",
            "evaluate skipped (unchanged)",
            "promote skipped (unchanged)");
  }

  @Test
  @Order(4)
  void aFailedTrainLeavesAFailedRunRowAndTheReRunSkipsPrepare() {
    String preparedBefore = prepared();
    long metricsBefore = metricRows();
    ArborConfig diverging =
        config(
            "train.optimizer.name", "gd",
            "train.optimizer.line-search", "none",
            "train.optimizer.learning-rate", 1e6);

    assertThatThrownBy(() -> pipeline(diverging, StageRunner.Mode.SKIP_UNCHANGED))
        .hasMessageContaining("the optimizer diverged");

    RunRecord failed = run(MODEL);
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.message())
        .startsWith("train: Cannot train model ledger: the optimizer diverged");
    assertThat(failed.stages()).containsOnlyKeys("prepare", "train");
    assertThat(failed.stages().get("prepare").succeeded()).isTrue();
    assertThat(failed.stages().get("train").status()).isEqualTo("failed");
    assertThat(failed.stages().get("train").message()).contains("the optimizer diverged");
    assertThat(failed.evaluateMs()).isNull();
    // The previous evaluation's rows stay; the run row no longer claims them.
    assertThat(metricRows()).isEqualTo(metricsBefore);

    Pipeline.Result r = pipeline(config(), StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(lines(r))
        .containsExactly(
            "prepare skipped (unchanged)",
            "train done (last run failed)",
            "evaluate done (an earlier stage ran)",
            "promote done (an earlier stage ran)");
    assertThat(prepared()).isEqualTo(preparedBefore);
    assertThat(run(MODEL).status()).isEqualTo("succeeded");
    assertThat(run(MODEL).message()).isNull();
  }

  @Test
  @Order(5)
  void aChangedInputReRunsEveryStage() {
    String preparedBefore = prepared();
    DemoDataset.write(spark, input(), new DemoSettings(1000, 8));

    Pipeline.Result r = pipeline(config(), StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(lines(r))
        .containsExactly(
            "prepare done (input changed)",
            "train done (an earlier stage ran)",
            "evaluate done (an earlier stage ran)",
            "promote done (an earlier stage ran)");
    assertThat(prepared()).isNotEqualTo(preparedBefore);
  }

  @Test
  @Order(6)
  void forceReRunsEveryStage() {
    String preparedBefore = prepared();
    String modelBefore = model();

    Pipeline.Result r = pipeline(config(), StageRunner.Mode.FORCE);

    assertThat(lines(r))
        .containsExactly(
            "prepare done (--force)",
            "train done (--force)",
            "evaluate done (--force)",
            "promote done (--force)");
    assertThat(prepared()).isNotEqualTo(preparedBefore);
    assertThat(model()).isNotEqualTo(modelBefore);
  }

  @Test
  @Order(7)
  void missingOutputsAreReRun() throws Exception {
    java.nio.file.Files.delete(
        dir.resolve("out/models/" + MODEL + "/run_date=" + DAY + "/model.json"));

    Pipeline.Result r = pipeline(config(), StageRunner.Mode.SKIP_UNCHANGED);

    assertThat(lines(r))
        .containsExactly(
            "prepare skipped (unchanged)",
            "train done (outputs missing)",
            "evaluate done (an earlier stage ran)",
            "promote done (an earlier stage ran)");
  }

  @Test
  @Order(8)
  void aFailedPrepareLeavesAFailedRunRow() {
    ArborConfig missing =
        config("model.name", "ledger_bad", "input.path", dir.resolve("nothing").toString());

    assertThatThrownBy(() -> pipeline(missing, StageRunner.Mode.SKIP_UNCHANGED))
        .isInstanceOf(DataValidationException.class)
        .hasMessageStartingWith("Cannot read input: no such path: ");

    RunRecord failed = run("ledger_bad");
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.message()).startsWith("prepare: Cannot read input: no such path: ");
    assertThat(failed.stages()).containsOnlyKeys("prepare");
    assertThat(failed.stages().get("prepare").status()).isEqualTo("failed");
    assertThat(failed.task()).isEqualTo("binary");
  }
}

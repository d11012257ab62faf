package dev.arbor.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.DataValidationException;
import dev.arbor.ExitCode;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.demo.DemoDataset;
import dev.arbor.gpu.GpuCoverage;
import dev.arbor.model.AtomicFiles;
import dev.arbor.model.LinearModel;
import dev.arbor.model.ModelStore;
import dev.arbor.pipeline.Pipeline;
import dev.arbor.prep.PrepModel;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.runs.StageRunner;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestConfig;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The promotion gate, as the pipeline's last stage ({@link Pipeline#run}) and alone, on a small
 * demo dataset, run date after run date in one output root and catalog: first promotion, an equal
 * challenger, a re-run, a much worse challenger (L1 so strong that every weight is 0: AUC 0.5) in
 * fail and warn mode, the data checks, and a broken pointer.
 */
@Tag("spark")
class PromoteStageTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static final Configuration CONF = spark.sparkContext().hadoopConfiguration();
  private static final LocalDate DAY1 = LocalDate.of(2024, 3, 1);
  private static final LocalDate DAY2 = LocalDate.of(2024, 3, 2);
  private static final LocalDate DAY3 = LocalDate.of(2024, 3, 3);
  private static Path dir;
  private static CatalogSettings catalog;

  @BeforeAll
  static void folders() {
    dir = TestPaths.newTempDir("promote-stage");
    catalog = CatalogSettings.localJdbc("t_promote", "arbor", dir.resolve("warehouse"));
    catalog.applyTo(spark);
    DemoDataset.write(
        spark, dir.resolve("in").toString(), PrepareSettings.from(config(Map.of())).demo());
  }

  private static ArborConfig config(Map<String, Object> overrides) {
    return TestConfig.of()
        .setAll(overrides)
        .set("input.path", dir.resolve("in").toString())
        .set("output.root", dir.resolve("out").toString())
        .set("demo.rows", 2000)
        .set("train.optimizer.max-iterations", 30)
        .catalog(catalog)
        .build();
  }

  private static final Map<String, Object> WORSE =
      Map.of("train.regularization.type", "l1", "train.regularization.strength", 10.0);

  private static Path pointerFile() {
    return dir.resolve("out/models/demo/" + PromotedPointer.FILE);
  }

  private static PromotedPointer pointer() {
    return PromotedPointer.read(dir.resolve("out").toString(), "demo", CONF).orElseThrow();
  }

  private static Row promotionRow(LocalDate day) {
    List<Row> rows =
        spark
            .sql(
                "SELECT run_id, metric, challenger_score, champion_run_date, champion_run_id,"
                    + " champion_score, tolerance, decision, reason FROM "
                    + catalog.qualified("promotions")
                    + " WHERE model = 'demo' AND run_date = DATE'"
                    + day
                    + "'")
            .collectAsList();
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private static double testMetric(LocalDate day, String metric) {
    return spark
        .sql(
            "SELECT value FROM "
                + catalog.qualified("metrics")
                + " WHERE model = 'demo' AND split = 'test' AND class IS NULL AND metric = '"
                + metric
                + "' AND run_date = DATE'"
                + day
                + "'")
        .first()
        .getDouble(0);
  }

  private static Pipeline.Result pipeline(ArborConfig config, LocalDate day) {
    return Pipeline.run(new JobContext(spark, config, day), StageRunner.Mode.SKIP_UNCHANGED);
  }

  private static String runId(LocalDate day) {
    return spark
        .sql(
            "SELECT run_id FROM "
                + catalog.qualified("runs")
                + " WHERE model = 'demo' AND run_date = DATE'"
                + day
                + "'")
        .first()
        .getString(0);
  }

  @Test
  void gatesEachRunDateAgainstThePromotedModel() throws IOException {
    // Day 1: nothing promoted yet.
    Pipeline.Result r1 = pipeline(config(Map.of()), DAY1);
    assertThat(r1.summary("promote")).startsWith("first demo 2024-03-01 (run r-");
    String run1 = runId(DAY1);
    Row row1 = promotionRow(DAY1);
    assertThat(row1.getString(0)).isEqualTo(run1);
    assertThat(row1.getDouble(2)).isEqualTo(testMetric(DAY1, "auc_roc")).isGreaterThan(0.7);
    assertThat(pointer().current().runId()).isEqualTo(run1);
    assertThat(pointer().current().runDate()).isEqualTo(DAY1.toString());
    assertThat(pointer().previous()).isNull();
    assertThat(row1.getString(7)).isEqualTo("first");
    assertThat(row1.isNullAt(3)).isTrue();
    assertThat(row1.isNullAt(5)).isTrue();
    // The pointer names copies, not the run-date files a re-run would replace.
    assertThat(pointer().current().modelPath())
        .endsWith("models/demo/promoted/run_date=2024-03-01/run_id=" + run1 + "/model.json");
    assertThat(Files.readAllBytes(Path.of(pointer().current().modelPath())))
        .isEqualTo(
            Files.readAllBytes(
                Path.of(ModelStore.modelPath(dir.resolve("out").toString(), "demo", DAY1))));

    // Day 2: the same data and config give the same model: the champion scored on day 2's test
    // split through its own prep model on the raw rows equals the challenger's evaluate score.
    Pipeline.Result r2 = pipeline(config(Map.of()), DAY2);
    assertThat(r2.summary("promote")).startsWith("promoted demo 2024-03-02 (run r-");
    String run2 = runId(DAY2);
    Row row2 = promotionRow(DAY2);
    assertThat(row2.getString(7)).isEqualTo("promoted");
    assertThat(row2.getDate(3).toLocalDate()).isEqualTo(DAY1);
    assertThat(row2.getDouble(5)).isCloseTo(row2.getDouble(2), within(1e-12));
    assertThat(pointer().current().runDate()).isEqualTo(DAY2.toString());
    assertThat(pointer().previous().runDate()).isEqualTo(DAY1.toString());
    byte[] pointerAfterDay2 = Files.readAllBytes(pointerFile());

    // The stage ledger: nothing changed (the champion of day 2 is still day 1, though the pointer
    // now names day 2 itself), so the whole pipeline is skipped, promote included.
    Pipeline.Result skipped = pipeline(config(Map.of()), DAY2);
    assertThat(skipped.reports()).allSatisfy(r -> assertThat(r.ran()).as(r.line()).isFalse());
    assertThat(promotionRow(DAY2)).isEqualTo(row2);

    // Re-running the gate for the promoted date compares with the champion it replaced, not with
    // itself, and converges: same row, same pointer bytes.
    PromoteResult again = PromoteStage.run(spark, PromoteSettings.from(config(Map.of())), DAY2);
    assertThat(again.decision()).isEqualTo(Decision.PROMOTED);
    assertThat(again.champion().runDate()).isEqualTo(DAY1.toString());
    assertThat(again.challengerScore()).isEqualTo(row2.getDouble(2));
    assertThat(promotionRow(DAY2)).isEqualTo(row2);
    assertThat(Files.readAllBytes(pointerFile())).isEqualTo(pointerAfterDay2);

    // Day 3: every weight 0 (AUC 0.5) is far worse: exit code 5, decision and both scores
    // recorded, pointer unchanged.
    assertThatThrownBy(() -> pipeline(config(WORSE), DAY3))
        .isInstanceOf(ModelRejectedException.class)
        .hasMessageStartingWith(
            "Model rejected by the promotion gate: rejected demo 2024-03-03 (run r-")
        .hasMessageContaining("test auc_roc 0.5000 vs champion ")
        .hasMessageContaining("(2024-03-02, run " + run2 + "): worse by ")
        .hasMessageContaining("beyond tolerance 0.01; the promoted model stays 2024-03-02")
        .hasMessageEndingWith("(promote.on-reject = fail)")
        .satisfies(
            e ->
                assertThat(((ModelRejectedException) e).exitCode())
                    .isEqualTo(ExitCode.MODEL_REJECTED));
    assertThat(Files.readAllBytes(pointerFile())).isEqualTo(pointerAfterDay2);
    Row row3 = promotionRow(DAY3);
    assertThat(row3.getString(7)).isEqualTo("rejected");
    assertThat(row3.getDouble(2)).isEqualTo(0.5).isEqualTo(testMetric(DAY3, "auc_roc"));
    assertThat(row3.getDate(3).toLocalDate()).isEqualTo(DAY2);
    assertThat(row3.getString(4)).isEqualTo(run2);
    // Day 2's model on day 3's test split (the same rows): day 2's own test score.
    assertThat(row3.getDouble(5)).isCloseTo(row2.getDouble(2), within(1e-12));
    // The rejection is the promote stage's failure in the runs row; the evaluation stands.
    assertThat(
            spark
                .sql(
                    "SELECT status, stages['promote'].status, message FROM "
                        + catalog.qualified("runs")
                        + " WHERE model = 'demo' AND run_date = DATE'2024-03-03'")
                .first()
                .toString())
        .startsWith("[succeeded,failed,promote: Model rejected by the promotion gate: rejected");
    assertThat(row3.getDouble(6)).isEqualTo(0.01);

    // Warn mode: the same decision, no exception, pointer unchanged.
    PromoteResult warned =
        PromoteStage.run(
            spark, PromoteSettings.from(config(Map.of("promote.on-reject", "warn"))), DAY3);
    assertThat(warned.decision()).isEqualTo(Decision.REJECTED);
    assertThat(Files.readAllBytes(pointerFile())).isEqualTo(pointerAfterDay2);

    // Data checks: the demo rejects some rows; a limit below that fraction rejects the run before
    // any comparison, even with a tolerance that lets AUC 0.5 pass.
    Map<String, Object> lenient = Map.of("promote.tolerance", 1.0);
    PromoteResult dataRejected =
        PromoteStage.run(
            spark,
            PromoteSettings.from(
                config(
                    Map.of(
                        "promote.tolerance", 1.0,
                        "promote.max-rejected-fraction", 0.0001,
                        "promote.on-reject", "warn"))),
            DAY3);
    assertThat(dataRejected.decision()).isEqualTo(Decision.REJECTED);
    assertThat(dataRejected.reason())
        .matches(
            "data checks failed: prepare rejected \\d+ of 2000 input rows \\(0\\.\\d{4}\\) >"
                + " promote.max-rejected-fraction 1.0E-4");
    assertThat(dataRejected.championScore()).isNull();
    assertThat(Files.readAllBytes(pointerFile())).isEqualTo(pointerAfterDay2);
    // Without the data checks (or within them) the lenient tolerance would promote it, but a
    // rejection sticks to its model: only promote --force decides afresh.
    PromoteSettings withoutDataChecks =
        PromoteSettings.from(
            config(
                Map.of(
                    "promote.tolerance",
                    1.0,
                    "promote.max-rejected-fraction",
                    0.0001,
                    "promote.require-data-checks",
                    false,
                    "promote.on-reject",
                    "warn")));
    assertThat(PromoteStage.run(spark, withoutDataChecks, DAY3).decision())
        .isEqualTo(Decision.REJECTED);
    assertThat(Files.readAllBytes(pointerFile())).isEqualTo(pointerAfterDay2);
    PromoteResult promoted3 = PromoteStage.run(spark, withoutDataChecks, DAY3, true);
    assertThat(promoted3.decision()).isEqualTo(Decision.PROMOTED);
    assertThat(pointer().current().runDate()).isEqualTo(DAY3.toString());
    assertThat(PromoteStage.run(spark, PromoteSettings.from(config(lenient)), DAY3).decision())
        .isEqualTo(Decision.PROMOTED);

    // Promoted, then rejected when the gate runs again with the default tolerance: withdrawn, the
    // promoted model goes back to day 2.
    PromoteResult withdrawn =
        PromoteStage.run(
            spark, PromoteSettings.from(config(Map.of("promote.on-reject", "warn"))), DAY3);
    assertThat(withdrawn.decision()).isEqualTo(Decision.REJECTED);
    assertThat(withdrawn.champion().runDate()).isEqualTo(DAY2.toString());
    assertThat(pointer().current().runDate()).isEqualTo(DAY2.toString());
    assertThat(pointer().previous()).isNull();

    // No temporary file is left next to the pointer or the copies.
    try (Stream<Path> files = Files.walk(dir.resolve("out/models/demo"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
          .isEmpty();
    }

    // A broken pointer is a one-line data error naming the file.
    Files.writeString(pointerFile(), "{\"model\": \"demo\", \"current\": ", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PromoteStage.run(spark, PromoteSettings.from(config(Map.of())), DAY2))
        .isInstanceOf(DataValidationException.class)
        .hasMessageStartingWith("Cannot read the promoted-model pointer " + pointerFile() + ": ")
        .hasMessageEndingWith("(restore it, or delete it to promote the next run as the first)");
  }

  @Test
  void championScoringPlanIsRapidsEligible() {
    // Uses the day-1 artifacts written by the other test when it ran first; otherwise runs day 1.
    ArborConfig config = config(Map.of("promote.enabled", false));
    if (!AtomicFiles.exists(
        ModelStore.modelPath(dir.resolve("out").toString(), "demo", DAY1), CONF)) {
      pipeline(config, DAY1);
    }
    PromoteSettings s = PromoteSettings.from(config);
    LinearModel model =
        ModelStore.read(
            ModelStore.modelPath(s.outputRoot(), "demo", DAY1), CONF, LinearModel.class);
    PrepModel prep =
        PrepModel.read(
            dir.resolve("out/prepared/demo/run_date=2024-03-01/" + PrepModel.FILE_NAME).toString(),
            CONF);
    Dataset<Row> plan = ChampionScoring.predictions(spark, s, DAY1, model, prep);
    assertThat(GpuCoverage.of(plan).fallbacks()).as(GpuCoverage.of(plan).explain()).isEmpty();
  }
}

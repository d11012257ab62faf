package dev.arbor.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.DataValidationException;
import dev.arbor.config.ArborConfig;
import dev.arbor.demo.DemoDataset;
import dev.arbor.gpu.GpuCoverage;
import dev.arbor.ingest.Task;
import dev.arbor.model.LinearModel;
import dev.arbor.model.ModelStore;
import dev.arbor.model.Scoring;
import dev.arbor.prep.PrepModel;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.prep.PrepareStage;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stage end to end: prepare the demo dataset, train with the defaults, score raw rows. */
@Tag("spark")
class TrainStageTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 6);
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void trainsTheDemoWithDefaultsAndScoresRawRowsLikePreparedOnes() {
    String root = TestPaths.newTempDir("train-stage").toString();
    ArborConfig config =
        ArborConfig.load(
            null,
            Map.of(
                "input.path", root + "/in",
                "output.root", root + "/out",
                "demo.rows", "4000"));
    PrepareSettings prepare = PrepareSettings.from(config);
    DemoDataset.write(spark, root + "/in", prepare.demo());
    PrepareStage.run(spark, prepare, DAY);
    TrainStage.Outcome out = TrainStage.run(spark, config, DAY);

    assertThat(out.modelPath()).endsWith("models/demo/run_date=2024-05-06/model.json");
    assertThat(Files.exists(Path.of(root, "out/models/demo/run_date=2024-05-06/model.json")))
        .isTrue();
    assertThat(Files.exists(Path.of(root, "out/checkpoints/demo/run_date=2024-05-06"))).isFalse();
    LinearModel model =
        ModelStore.read(
            out.modelPath(), spark.sparkContext().hadoopConfiguration(), LinearModel.class);
    PrepModel prep =
        PrepModel.read(
            root + "/out/prepared/demo/run_date=2024-05-06/prep-model.json",
            spark.sparkContext().hadoopConfiguration());
    assertThat(model.task()).isEqualTo(Task.BINARY);
    assertThat(model.features()).isEqualTo(prep.featureNames());
    assertThat(model.dataFingerprint()).startsWith("sha256:");
    assertThat(model.config().get("model").get("name").asText()).isEqualTo("demo");
    assertThat(model.history()).isNotEmpty();
    // The demo's true logit coefficient of `score` (raw units) is 0.8: the model, mapped back to
    // original units, recovers it within sampling error (~0.05 for ~2,800 train rows).
    int score = model.features().indexOf("score");
    assertThat(model.originalCoefficients()[0][score])
        .isCloseTo(DemoDataset.COEF_SCORE, within(0.2));

    Dataset<Row> test = spark.read().parquet(root + "/out/prepared/demo/run_date=2024-05-06/test");
    Dataset<Row> prepared = Scoring.score(test, model);
    Dataset<Row> raw = Scoring.scoreRaw(spark.read().parquet(root + "/in"), model, prep);
    assertThat(GpuCoverage.of(raw).fallbacks()).as(GpuCoverage.of(raw).explain()).isEmpty();
    List<Row> joined =
        prepared
            .as("p")
            .join(raw.as("r"), col("p.row_id").equalTo(col("r.row_id")))
            .select(col("p.score"), col("r.score"), col("p.prediction"), col("r.prediction"))
            .collectAsList();
    assertThat(joined).hasSize((int) test.count());
    for (Row r : joined) {
      assertThat(r.getDouble(1)).isCloseTo(r.getDouble(0), within(1e-12));
      assertThat(r.getDouble(3)).isEqualTo(r.getDouble(2));
    }
    double accuracy = prepared.filter("prediction = label").count() / (double) test.count();
    System.out.printf("demo: test accuracy %.4f, %s%n", accuracy, model.optimizer());
    assertThat(accuracy).isGreaterThan(0.6);
  }

  @Test
  void missingPreparedDataIsADataError() {
    String root = TestPaths.newTempDir("train-stage").toString();
    ArborConfig config = ArborConfig.load(null, Map.of("output.root", root));
    assertThatThrownBy(() -> TrainStage.run(spark, config, DAY))
        .isInstanceOf(DataValidationException.class)
        .hasMessageStartingWith("Cannot train model demo for 2024-05-06: no prepared data: ")
        .hasMessageEndingWith("prep-model.json does not exist (run prepare first)");
  }
}

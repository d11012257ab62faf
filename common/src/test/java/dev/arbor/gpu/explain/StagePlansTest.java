package dev.arbor.gpu.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.config.ArborConfig;
import dev.arbor.gpu.GpuExplainReport;
import dev.arbor.gpu.StagePlan;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class StagePlansTest {
  private static final LocalDate DATE = LocalDate.of(2026, 1, 1);
  private final SparkSession spark = SparkTestSession.get();

  /** Prepared training and test splits of 3 classes and 3 features. */
  private void writeSplits(ArborConfig config) {
    StructType schema =
        new StructType()
            .add("row_id", DataTypes.StringType)
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType)
            .add("age", DataTypes.DoubleType)
            .add("workclass__Private", DataTypes.DoubleType)
            .add("hours", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(RowFactory.create("r" + i, (double) (i % 3), 1.0, 0.1 * i, (double) (i % 2), 1.5));
    }
    for (String split : List.of("train", "test")) {
      spark
          .createDataFrame(rows, schema)
          .write()
          .parquet(StagePlans.preparedSplit(config, DATE, split).toString());
    }
  }

  @Test
  void everyLossOfTheGradientPassAndTheMetricsAreExplainedOnTheGpu() {
    Path root = TestPaths.newTempDir("gpu-explain");
    ArborConfig config = ArborConfig.load(null, Map.of("output.root", root.toString()));
    writeSplits(config);

    GpuExplainReport report = StagePlans.explain(spark, config, DATE);

    assertThat(report.entries())
        .filteredOn(e -> e.plan().stage().equals("train"))
        .extracting(e -> e.plan().description())
        .containsExactly(
            "gradient pass (sql backend), loss logistic, 3 features",
            "gradient pass (sql backend), loss multinomial(3 classes), 3 features",
            "gradient pass (sql backend), loss squared, 3 features",
            "gradient pass (sql backend), loss hinge, 3 features",
            "gradient pass (sql backend), loss huber(delta=1.0), 3 features",
            "mini-batch gradient pass (sql backend), loss logistic, batch 0 of 8");
    assertThat(report.entries())
        .allSatisfy(e -> assertThat(e.plan().weight()).isEqualTo(StagePlan.Weight.HEAVY));
    assertThat(report.entries())
        .filteredOn(e -> e.plan().stage().equals("evaluate"))
        .extracting(e -> e.plan().description())
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d).startsWith("multiclass metrics, plan "));
    assertThat(report.passed()).as(report.render()).isTrue();
    assertThat(report.coverage()).isEqualTo(1.0);
    assertThat(report.render()).contains("  GPU  FileSourceScanExec");
  }

  @Test
  void withoutAPreparedSplitTheTrainStageIsNotExplained() {
    Path root = TestPaths.newTempDir("gpu-explain-empty");
    ArborConfig config = ArborConfig.load(null, Map.of("output.root", root.toString()));

    GpuExplainReport report = StagePlans.explain(spark, config, DATE);

    assertThat(report.passed()).isFalse();
    assertThat(report.render())
        .contains(
            "[train] not explained: no prepared training split at "
                + root.resolve("prepared/demo/run_date=2026-01-01/train")
                + " (run `scripts/arbor prepare` first)");
  }
}

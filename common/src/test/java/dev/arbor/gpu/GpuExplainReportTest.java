package dev.arbor.gpu;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class GpuExplainReportTest {
  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> onGpu() {
    return spark.range(10).withColumn("x", col("id").multiply(2.0)).groupBy().sum("x");
  }

  private Dataset<Row> withUdf() {
    UDF1<Long, Double> twice = v -> v * 2.0;
    return spark.range(10).withColumn("x", udf(twice, DataTypes.DoubleType).apply(col("id")));
  }

  @Test
  void aHeavyPlanOnTheGpuPassesWithFullCoverage() {
    GpuExplainReport r =
        new GpuExplainReport().add(new StagePlan("s", "sum", StagePlan.Weight.HEAVY, onGpu()));
    assertThat(r.passed()).isTrue();
    assertThat(r.coverage()).isEqualTo(1.0);
    assertThat(r.render())
        .contains("[s] sum (heavy): 100.0% on GPU")
        .contains("  GPU  HashAggregateExec")
        .contains("heavy plans with fallbacks: none");
  }

  @Test
  void aHeavyFallbackFailsAndIsPrintedWithItsReason() {
    GpuExplainReport r =
        new GpuExplainReport()
            .add(new StagePlan("s", "ok", StagePlan.Weight.HEAVY, onGpu()))
            .add(new StagePlan("t", "udf", StagePlan.Weight.HEAVY, withUdf()));
    assertThat(r.passed()).isFalse();
    assertThat(r.failing()).extracting(e -> e.plan().stage()).containsExactly("t");
    assertThat(r.coverage()).isLessThan(1.0).isGreaterThan(0.0);
    String text = r.render();
    assertThat(text).containsPattern("(?i)  CPU  [!^].*udf");
    assertThat(text).contains("heavy plans with fallbacks: t: udf");
  }

  @Test
  void aLightFallbackIsToleratedButNothingExplainedFails() {
    GpuExplainReport light =
        new GpuExplainReport().add(new StagePlan("m", "udf", StagePlan.Weight.LIGHT, withUdf()));
    assertThat(light.passed()).isTrue();

    GpuExplainReport none = new GpuExplainReport().skip("train", "no split");
    assertThat(none.passed()).isFalse();
    assertThat(none.render()).contains("[train] not explained: no split");
  }
}

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
class GpuCoverageTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void plainArithmeticAndAggregationRunOnGpu() {
    Dataset<Row> df = spark.range(100).withColumn("x", col("id").multiply(2.0)).groupBy().sum("x");
    GpuCoverage coverage = GpuCoverage.of(df);
    assertThat(coverage.fallbacks()).as(coverage.explain()).isEmpty();
    assertThat(coverage.gpuLines()).isNotEmpty();
  }

  @Test
  void aJavaUdfIsReportedAsFallback() {
    UDF1<Long, Double> twice = v -> v * 2.0;
    Dataset<Row> df =
        spark.range(10).withColumn("x", udf(twice, DataTypes.DoubleType).apply(col("id")));
    GpuCoverage coverage = GpuCoverage.of(df);
    assertThat(coverage.fullyOnGpu()).as(coverage.explain()).isFalse();
    assertThat(String.join("\n", coverage.fallbacks())).containsIgnoringCase("udf");
  }
}

package dev.arbor.train.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.gpu.GpuCoverage;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sql backend's pass would run entirely on the GPU (no {@code !}/{@code ^} line in RAPIDS'
 * would-be plan) for every loss, at 10 and at 500 features, over a Parquet split (the prepared
 * splits are Parquet). A handful of rows suffices: the plan is what is checked, it is not run.
 */
@Tag("spark")
class SqlGpuCoverageTest {
  private final SparkSession spark = SparkTestSession.get();

  @ParameterizedTest(name = "{0} features")
  @ValueSource(ints = {10, 500})
  void everyLossRunsOnTheGpu(int numFeatures) {
    Dataset<Row> split = parquetSplit(numFeatures);
    for (String name : SqlTestData.LOSSES) {
      SqlGradientPass pass =
          new SqlGradientPass(features(numFeatures), SqlTestData.loss(name, numFeatures));
      double[] w = randomWeights(pass.dimension());
      Dataset<Row> rows = split.withColumn(SqlGradientPass.ROW_HASH, hash());
      assertOnGpu(name + " full pass", pass.aggregation(rows, w));
      Dataset<Row> batch = SqlGradientPass.batch(rows, new MiniBatch(2, 1, 8));
      assertOnGpu(name + " mini-batch", pass.aggregation(batch, w));
    }
  }

  private static java.util.List<String> features(int d) {
    return SqlTestData.classification(1, d, 2, 1).features;
  }

  private static void assertOnGpu(String what, Dataset<Row> plan) {
    GpuCoverage coverage = GpuCoverage.of(plan);
    assertThat(coverage.fallbacks()).as(what + "\n" + coverage.explain()).isEmpty();
    assertThat(coverage.gpuLines()).as(what).isNotEmpty();
  }

  private static org.apache.spark.sql.Column hash() {
    return org.apache.spark.sql.functions.xxhash64(
        org.apache.spark.sql.functions.col("row_id"), org.apache.spark.sql.functions.lit(7L));
  }

  private Dataset<Row> parquetSplit(int numFeatures) {
    String dir = TestPaths.newTempDir("sql-coverage").resolve("split.parquet").toString();
    SqlTestData.classification(4, numFeatures, 3, 3).frame(spark, 1).write().parquet(dir);
    return spark.read().parquet(dir);
  }

  private static double[] randomWeights(int n) {
    Random r = new Random(n);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = r.nextGaussian();
    }
    return w;
  }
}

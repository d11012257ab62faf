package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.ingest.Task;
import dev.arbor.testing.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class ValidationMetricsTest {
  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> binary() {
    var schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("label", DataTypes.DoubleType, false),
                DataTypes.createStructField("weight", DataTypes.DoubleType, false),
                DataTypes.createStructField("prediction", DataTypes.DoubleType, false),
                DataTypes.createStructField("score", DataTypes.DoubleType, false)));
    return spark.createDataFrame(
        List.of(
            RowFactory.create(1.0, 1.0, 1.0, 0.9),
            RowFactory.create(0.0, 1.0, 1.0, 0.6),
            RowFactory.create(1.0, 2.0, 1.0, 0.6),
            RowFactory.create(0.0, 1.0, 0.0, 0.2)),
        schema);
  }

  @Test
  void binaryMetricsByHand() {
    Dataset<Row> df = binary();
    // accuracy: correct weights 1 + 2 + 1 = 4 of 5
    assertThat(ValidationMetrics.compute(df, ValidationMetric.ACCURACY, Task.BINARY, 2))
        .isCloseTo(0.8, within(1e-15));
    // AUC: positives {0.9 (w1), 0.6 (w2)}, negatives {0.6 (w1), 0.2 (w1)}:
    // pairs: 0.9 beats both (1·2), 0.6 beats 0.2 and ties 0.6 (2·1.5) => 5 / (3·2)
    assertThat(ValidationMetrics.compute(df, ValidationMetric.AUC, Task.BINARY, 2))
        .isCloseTo(5.0 / 6.0, within(1e-15));
    double ll = -(Math.log(0.9) + Math.log(0.4) + 2 * Math.log(0.6) + Math.log(0.8)) / 5;
    assertThat(ValidationMetrics.compute(df, ValidationMetric.LOG_LOSS, Task.BINARY, 2))
        .isCloseTo(ll, within(1e-15));
  }

  @Test
  void regressionMetricsByHand() {
    var schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("label", DataTypes.DoubleType, false),
                DataTypes.createStructField("weight", DataTypes.DoubleType, false),
                DataTypes.createStructField("prediction", DataTypes.DoubleType, false)));
    Dataset<Row> df =
        spark.createDataFrame(
            List.of(
                RowFactory.create(1.0, 1.0, 2.0),
                RowFactory.create(3.0, 1.0, 3.0),
                RowFactory.create(5.0, 2.0, 4.0)),
            schema);
    assertThat(ValidationMetrics.compute(df, ValidationMetric.MSE, Task.REGRESSION, 0))
        .isCloseTo(3.0 / 4.0, within(1e-15));
    assertThat(ValidationMetrics.compute(df, ValidationMetric.MAE, Task.REGRESSION, 0))
        .isCloseTo(3.0 / 4.0, within(1e-15));
    // weighted mean 3.5; SS_tot = 6.25 + 0.25 + 2·2.25 = 11; SS_res = 1 + 0 + 2 = 3
    assertThat(ValidationMetrics.compute(df, ValidationMetric.R2, Task.REGRESSION, 0))
        .isCloseTo(1 - 3.0 / 11.0, within(1e-14));
  }
}

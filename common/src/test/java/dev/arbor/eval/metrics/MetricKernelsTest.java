package dev.arbor.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.MetricSpec;
import dev.arbor.ingest.Task;
import dev.arbor.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The single-metric path training uses (early stopping, model selection) against values by hand,
 * and against the evaluators (the {@code metrics} table) bit for bit.
 */
@Tag("spark")
class MetricKernelsTest {
  private static final SparkSession spark = SparkTestSession.get();

  private static StructType schema(String... columns) {
    List<org.apache.spark.sql.types.StructField> fields = new ArrayList<>();
    for (String c : columns) {
      fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
    }
    return DataTypes.createStructType(fields);
  }

  private static Dataset<Row> handBinary() {
    return spark.createDataFrame(
        List.of(
            RowFactory.create(1.0, 1.0, 1.0, 0.9),
            RowFactory.create(0.0, 1.0, 1.0, 0.6),
            RowFactory.create(1.0, 2.0, 1.0, 0.6),
            RowFactory.create(0.0, 1.0, 0.0, 0.2)),
        schema("label", "weight", "prediction", "score"));
  }

  @Test
  void binaryMetricsByHand() {
    Dataset<Row> df = handBinary();
    // accuracy: correct weights 1 + 2 + 1 = 4 of 5
    assertThat(MetricKernels.compute(df, MetricSpec.ACCURACY, Task.BINARY, 2))
        .isCloseTo(0.8, within(1e-15));
    // AUC: positives {0.9 (w1), 0.6 (w2)}, negatives {0.6 (w1), 0.2 (w1)}:
    // pairs: 0.9 beats both (1·2), 0.6 beats 0.2 and ties 0.6 (2·1.5) => 5 / (3·2)
    assertThat(MetricKernels.compute(df, MetricSpec.AUC_ROC, Task.BINARY, 2))
        .isCloseTo(5.0 / 6.0, within(1e-15));
    double ll = -(Math.log(0.9) + Math.log(0.4) + 2 * Math.log(0.6) + Math.log(0.8)) / 5;
    assertThat(MetricKernels.compute(df, MetricSpec.LOG_LOSS, Task.BINARY, 2))
        .isCloseTo(ll, within(1e-15));
  }

  @Test
  void regressionMetricsByHand() {
    Dataset<Row> df =
        spark.createDataFrame(
            List.of(
                RowFactory.create(1.0, 1.0, 2.0),
                RowFactory.create(3.0, 1.0, 3.0),
                RowFactory.create(5.0, 2.0, 4.0)),
            schema("label", "weight", "prediction"));
    assertThat(MetricKernels.compute(df, MetricSpec.MSE, Task.REGRESSION, 0))
        .isCloseTo(3.0 / 4.0, within(1e-15));
    assertThat(MetricKernels.compute(df, MetricSpec.MAE, Task.REGRESSION, 0))
        .isCloseTo(3.0 / 4.0, within(1e-15));
    // weighted mean 3.5; SS_tot = 6.25 + 0.25 + 2·2.25 = 11; SS_res = 1 + 0 + 2 = 3
    assertThat(MetricKernels.compute(df, MetricSpec.R2, Task.REGRESSION, 0))
        .isCloseTo(1 - 3.0 / 11.0, within(1e-14));
  }

  @Test
  void undefinedIsNaNNotAnError() {
    Dataset<Row> onlyPositives = handBinary().filter("label = 1.0");
    assertThat(MetricKernels.compute(onlyPositives, MetricSpec.AUC_ROC, Task.BINARY, 2)).isNaN();
    Dataset<Row> noWeight =
        handBinary().selectExpr("label", "0.0 AS weight", "prediction", "score");
    assertThat(MetricKernels.compute(noWeight, MetricSpec.LOG_LOSS, Task.BINARY, 2)).isNaN();
    assertThat(MetricKernels.compute(noWeight, MetricSpec.ACCURACY, Task.BINARY, 2)).isNaN();
    assertThatThrownBy(() -> MetricKernels.compute(handBinary(), MetricSpec.F1, Task.BINARY, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("f1");
    assertThatThrownBy(() -> MetricKernels.compute(handBinary(), MetricSpec.LOSS, Task.BINARY, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loss");
  }

  /** Binary predictions with many tied scores (two decimals) and uneven weights. */
  private static Dataset<Row> randomBinary() {
    Random r = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double score = Math.round(r.nextDouble() * 100) / 100.0;
      double label = r.nextDouble() < score ? 1.0 : 0.0;
      rows.add(RowFactory.create(label, 0.5 + r.nextInt(4), score >= 0.5 ? 1.0 : 0.0, score));
    }
    return spark.createDataFrame(rows, schema("label", "weight", "prediction", "score"));
  }

  @Test
  void binarySameBitsAsTheEvaluator() {
    Dataset<Row> df = randomBinary();
    Evaluation table = Evaluators.binary(EvalSettings.DEFAULTS).evaluate(df);
    for (MetricSpec m :
        List.of(
            MetricSpec.AUC_ROC,
            MetricSpec.AUC_PR,
            MetricSpec.LOG_LOSS,
            MetricSpec.BRIER,
            MetricSpec.ACCURACY)) {
      assertThat(MetricKernels.compute(df, m, Task.BINARY, 2))
          .as(m.tableName())
          .isEqualTo(table.value(m.tableName()));
    }
  }

  @Test
  void multiclassSameBitsAsTheEvaluator() {
    Random r = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double a = r.nextDouble();
      double b = r.nextDouble() * (1 - a);
      double[] p = {a, b, 1 - a - b};
      int predicted = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
      rows.add(
          RowFactory.create(
              (double) r.nextInt(3), 1.0 + r.nextInt(3), (double) predicted, a, b, 1 - a - b));
    }
    Dataset<Row> df =
        spark.createDataFrame(
            rows, schema("label", "weight", "prediction", "prob_0", "prob_1", "prob_2"));
    Evaluation table = Evaluators.multiclass(EvalSettings.DEFAULTS).evaluate(df);
    for (MetricSpec m : List.of(MetricSpec.LOG_LOSS, MetricSpec.ACCURACY)) {
      assertThat(MetricKernels.compute(df, m, Task.MULTICLASS, 3))
          .as(m.tableName())
          .isEqualTo(table.value(m.tableName()));
    }
  }

  @Test
  void regressionSameBitsAsTheEvaluator() {
    Random r = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double y = 1000 + r.nextGaussian();
      rows.add(RowFactory.create(y, 1.0 + r.nextInt(3), y + 0.3 * r.nextGaussian()));
    }
    Dataset<Row> df = spark.createDataFrame(rows, schema("label", "weight", "prediction"));
    Evaluation table = Evaluators.regression().evaluate(df);
    for (MetricSpec m : MetricSpec.evaluatedFor(Task.REGRESSION)) {
      assertThat(MetricKernels.compute(df, m, Task.REGRESSION, 0))
          .as(m.tableName())
          .isEqualTo(table.value(m.tableName()));
    }
  }
}

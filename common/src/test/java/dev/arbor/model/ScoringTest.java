package dev.arbor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.DataValidationException;
import dev.arbor.gpu.GpuCoverage;
import dev.arbor.ingest.Task;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class ScoringTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static Dataset<Row> prepared;

  @BeforeAll
  static void writePrepared() {
    StructType schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("row_id", DataTypes.StringType, false),
                DataTypes.createStructField("label", DataTypes.DoubleType, false),
                DataTypes.createStructField("weight", DataTypes.DoubleType, false),
                DataTypes.createStructField("x1", DataTypes.DoubleType, false),
                DataTypes.createStructField("x2", DataTypes.DoubleType, false)));
    List<Row> rows =
        List.of(
            RowFactory.create("a", 1.0, 1.0, 1.0, 2.0),
            RowFactory.create("b", 0.0, 2.0, -1.0, 0.5),
            RowFactory.create("c", 2.0, 1.0, 500.0, -400.0),
            RowFactory.create("d", 0.0, 1.0, -500.0, 400.0));
    String dir = TestPaths.newTempDir("scoring").resolve("p").toString();
    SPARK.createDataFrame(rows, schema).coalesce(1).write().parquet(dir);
    prepared = SPARK.read().parquet(dir).orderBy("row_id");
  }

  private static LinearModel model(String task, double[][] w, double[] b, List<String> classes) {
    return LinearModel.builder(
            "m", LocalDate.parse("2024-01-01"), Task.fromConfigName(task), "loss")
        .classes(classes)
        .weights(List.of("x1", "x2"), w, b, true)
        .build();
  }

  @Test
  void binaryScoreIsAStableSigmoidAndThresholded() {
    LinearModel m =
        model("binary", new double[][] {{2.0, -1.0}}, new double[] {0.5}, List.of("n", "y"));
    Dataset<Row> scored = Scoring.score(prepared, m, 0.6);
    assertThat(scored.columns())
        .containsExactly("row_id", "label", "weight", "prediction", "score");
    List<Row> rows = scored.collectAsList();
    // margins: a 0.5+2-2 = 0.5; b 0.5-2-0.5 = -2; c 0.5+1000+400 = 1400.5; d -1400.5
    assertThat(rows.get(0).getDouble(4)).isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-15));
    assertThat(rows.get(0).getDouble(3)).isEqualTo(1.0); // 0.622 >= 0.6
    assertThat(rows.get(1).getDouble(4)).isCloseTo(1 / (1 + Math.exp(2)), within(1e-15));
    assertThat(rows.get(1).getDouble(3)).isEqualTo(0.0);
    assertThat(rows.get(2).getDouble(4)).isEqualTo(1.0);
    assertThat(rows.get(3).getDouble(4)).isEqualTo(0.0);
    assertThat(rows.get(3).getDouble(3)).isEqualTo(0.0);
    assertThat(rows.get(1).getDouble(2)).isEqualTo(2.0);
    assertThat(GpuCoverage.of(scored).fallbacks()).as(GpuCoverage.of(scored).explain()).isEmpty();
  }

  @Test
  void multiclassIsAMaxShiftedSoftmaxWithArgmax() {
    LinearModel m =
        model(
            "multiclass",
            new double[][] {{1, 0}, {0, 1}, {-1, -1}},
            new double[] {0, 0, 0.5},
            List.of("p", "q", "r"));
    Dataset<Row> scored = Scoring.score(prepared, m);
    assertThat(scored.columns())
        .containsExactly("row_id", "label", "weight", "prediction", "prob_0", "prob_1", "prob_2");
    List<Row> rows = scored.collectAsList();
    // row a: margins (1, 2, -2.5)
    double z = Math.exp(1) + Math.exp(2) + Math.exp(-2.5);
    assertThat(rows.get(0).getDouble(4)).isCloseTo(Math.exp(1) / z, within(1e-15));
    assertThat(rows.get(0).getDouble(5)).isCloseTo(Math.exp(2) / z, within(1e-15));
    assertThat(rows.get(0).getDouble(3)).isEqualTo(1.0);
    // row c: margins (500, -400, -99.5): prob_0 = 1 without overflow
    assertThat(rows.get(2).getDouble(4)).isEqualTo(1.0);
    assertThat(rows.get(2).getDouble(3)).isEqualTo(0.0);
    // row d: margins (-500, 400, 100.5): class 1
    assertThat(rows.get(3).getDouble(3)).isEqualTo(1.0);
    for (Row r : rows) {
      assertThat(r.getDouble(4) + r.getDouble(5) + r.getDouble(6)).isCloseTo(1, within(1e-15));
    }
    assertThat(GpuCoverage.of(scored).fallbacks()).as(GpuCoverage.of(scored).explain()).isEmpty();
  }

  @Test
  void regressionPredictsTheMarginAndTiesGoToTheFirstClass() {
    LinearModel m = model("regression", new double[][] {{3, 0}}, new double[] {1}, List.of());
    Dataset<Row> scored = Scoring.score(prepared, m);
    assertThat(scored.columns()).containsExactly("row_id", "label", "weight", "prediction");
    assertThat(scored.collectAsList().get(1).getDouble(3)).isEqualTo(-2.0);
    assertThat(GpuCoverage.of(scored).fallbacks()).isEmpty();
    LinearModel tie =
        model(
            "multiclass", new double[][] {{0, 0}, {0, 0}}, new double[] {0, 0}, List.of("a", "b"));
    assertThat(Scoring.score(prepared, tie).collectAsList().get(0).getDouble(3)).isEqualTo(0.0);
  }

  @Test
  void missingFeatureColumnIsADataError() {
    LinearModel m = model("regression", new double[][] {{3, 0}}, new double[] {1}, List.of());
    assertThatThrownBy(() -> Scoring.score(prepared.drop("x2"), m))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot score with model m: missing feature column 'x2' (expected the 2 prepared"
                + " features of the model)");
  }

  @Test
  void fingerprintDependsOnContentNotOrderOrPartitioning() {
    String a = DataFingerprint.of(prepared);
    String b =
        DataFingerprint.of(
            prepared.orderBy(org.apache.spark.sql.functions.desc("row_id")).repartition(3));
    String c =
        DataFingerprint.of(
            prepared.withColumn(
                "x1",
                org.apache
                    .spark
                    .sql
                    .functions
                    .when(org.apache.spark.sql.functions.col("row_id").equalTo("a"), 1.5)
                    .otherwise(org.apache.spark.sql.functions.col("x1"))));
    assertThat(a).startsWith("sha256:").hasSize(71).isEqualTo(b).isNotEqualTo(c);
  }
}

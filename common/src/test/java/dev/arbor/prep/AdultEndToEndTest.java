package dev.arbor.prep;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.testing.Adult;
import dev.arbor.testing.SharedDatasets;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The one real dataset end to end: UCI Adult ({@code ../shared/datasets/uci-adult}, 32,561 training
 * and 16,281 test rows per adult.names and the datasets README), converted to Parquet at test time
 * with {@code ?} as missing, no id column (generated ids), and {@code adult.test} as the separate
 * test input.
 */
@SharedDatasets
@Tag("spark")
class AdultEndToEndTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void adultAccountsForEveryRowAndPreparesTheTestFileWithTrainingStatistics() {
    String dir = TestPaths.newTempDir("adult").toString();
    Adult.read(spark, "adult.data").write().parquet(dir + "/adult");
    Adult.read(spark, "adult.test").write().parquet(dir + "/adult-test");
    PrepareSettings s =
        PrepTestSupport.settings(
            Map.of(
                "model.name",
                "adult",
                "input.path",
                dir + "/adult",
                "input.test-path",
                dir + "/adult-test",
                "input.generate-demo-if-missing",
                false,
                "output.root",
                dir + "/out",
                "schema.label-column",
                "income",
                "schema.id-column",
                "",
                "schema.categorical-columns",
                Adult.CATEGORICAL));

    long start = System.nanoTime();
    PrepareResult r = PrepareStage.run(spark, s, LocalDate.of(2024, 1, 1));
    System.out.printf(
        "Adult prepare: %.1f s: %s%n", (System.nanoTime() - start) / 1e9, r.summaryLine());

    String out = dir + "/out/prepared/adult/run_date=2024-01-01";
    Dataset<Row> train = spark.read().parquet(out + "/train");
    Dataset<Row> validation = spark.read().parquet(out + "/validation");
    Dataset<Row> test = spark.read().parquet(out + "/test");
    Dataset<Row> rejects = spark.read().parquet(out + "/rejects");
    long rejectsFromInput = rejects.filter(col("source").equalTo("input")).count();
    long rejectsFromTest = rejects.filter(col("source").equalTo("test-input")).count();

    // adult.names: 32,561 training rows, 16,281 test rows
    assertThat(r.inputRows()).isEqualTo(32_561);
    assertThat(train.count() + validation.count() + rejectsFromInput).isEqualTo(32_561);
    assertThat(r.testInputRows()).isEqualTo(16_281);
    assertThat(test.count() + rejectsFromTest).isEqualTo(16_281);
    assertThat(train.count()).isEqualTo(r.trainRows());
    assertThat(test.count()).isEqualTo(r.testRows());
    // no test fraction is taken from adult.data: 0.7 : 0.15 of it, per class, up to rounding
    assertThat((double) r.trainRows() / (r.trainRows() + r.validationRows()))
        .isCloseTo(0.7 / 0.85, within(1e-4));
    assertThat(train.select("row_id").distinct().count()).isEqualTo(r.trainRows());

    PrepModel model =
        PrepModel.read(out + "/prep-model.json", spark.sparkContext().hadoopConfiguration());
    assertThat(model.classes()).containsExactly("<=50K", ">50K");
    assertThat(model.featureNames())
        .startsWith("age", "fnlwgt", "education_num", "capital_gain")
        .contains("workclass__Private", "workclass__missing", "native_country__other");
    // label 1.0 = ">50K": 7,841 of 32,561 (24.1%) in adult.data, 3,846 of 16,281 in adult.test
    assertThat(
            test.filter(col("label").equalTo(1.0)).count()
                + rejects
                    .filter(col("source").equalTo("test-input").and(col("income").equalTo(">50K")))
                    .count())
        .isEqualTo(3_846);

    // scaling of the test split uses the training split's statistics
    Dataset<Row> rawWithIds = RowIds.withRowId(spark.read().parquet(dir + "/adult"), null, 0L);
    Dataset<Row> trainRaw =
        rawWithIds.join(train.select(col("row_id")), col(Columns.W_ROW_ID).equalTo(col("row_id")));
    Row ageStats = trainRaw.agg(avg("age"), stddev_pop("age")).first();
    Feature age = model.features().get(0);
    assertThat(age.center()).isCloseTo(ageStats.getDouble(0), within(1e-9));
    assertThat(age.scale()).isCloseTo(ageStats.getDouble(1), within(1e-9));
    double rawTestMeanAge =
        spark.read().parquet(dir + "/adult-test").agg(avg("age")).first().getDouble(0);
    double preparedTestMeanAge = test.agg(avg("age")).first().getDouble(0);
    assertThat(preparedTestMeanAge)
        .isCloseTo((rawTestMeanAge - age.center()) / age.scale(), within(1e-9));
    assertThat(preparedTestMeanAge).isNotCloseTo(0.0, within(1e-3));
  }
}

package dev.arbor.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.TableDefinitions;
import dev.arbor.config.ArborConfig;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.evaluate.EvaluateStage;
import dev.arbor.evaluate.RunArtifacts;
import dev.arbor.runs.StageRunner;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.Adult;
import dev.arbor.testing.LibSvm;
import dev.arbor.testing.SharedDatasets;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestConfig;
import dev.arbor.testing.TestPaths;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Golden end-to-end runs on real data: prepare → train → evaluate in one session, every value read
 * back FROM THE TABLES WITH SQL. References: {@code ../shared/datasets/README.md} ("Held-out
 * metrics (computed)", scikit-learn 1.2.1 and numpy).
 *
 * <ul>
 *   <li>UCI Adult: one-hot categoricals ({@code ?} as its own category) + standardized numerics, LR
 *       C = 1 (λ = 1/(C·n_train) on the mean loss, unpenalized intercept), trained on all 32,561
 *       rows of adult.data, tested on adult.test: accuracy 0.8530, AUC 0.9054. Tolerance ±0.003
 *       (L-BFGS stops at a relative tolerance, not at the exact optimum; the top-100 category cap
 *       keeps every category).
 *   <li>a9a (LIBSVM's binary encoding of Adult, 123 features, no scaling): L2 logistic regression C
 *       = 1 with an unpenalized intercept: test accuracy 0.8495 ± 0.0005 (LIBLINEAR {@code -s 0 -c
 *       1} 0.84952, scikit-learn lbfgs 0.8498).
 *   <li>California housing: OLS on all 20,640 rows, R² 0.6062 on those same rows (in-sample, as the
 *       reference did). The reference used scikit-learn's {@code fetch_california_housing}
 *       features, which derive from the raw file: MedInc, HouseAge, AveRooms = rooms/households,
 *       AveBedrms = bedrooms/households, Population, AveOccup = population/households, Latitude,
 *       Longitude (numpy on the raw columns gives R² 0.6371; on the derived ones 0.606233). So the
 *       test derives them while converting to Parquet, prepares with split train = 1 (no validation
 *       or test rows) and reads {@code r2} of the {@code train} split. Closed-form least squares in
 *       float64: tolerance ±1e-4.
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SharedDatasets
@Tag("spark")
class PipelineGoldenTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static final LocalDate DAY = LocalDate.of(2024, 1, 1);
  private static Path dir;
  private static CatalogSettings catalog;

  @BeforeAll
  static void folders() {
    dir = TestPaths.newTempDir("pipeline-golden");
    catalog = CatalogSettings.localJdbc("t_golden", "arbor", dir.resolve("warehouse"));
    catalog.applyTo(spark);
  }

  private static ArborConfig config(Map<String, Object> overrides) {
    return TestConfig.of()
        .setAll(overrides)
        .set("input.generate-demo-if-missing", false)
        .set("output.root", dir.resolve("out").toString())
        .catalog(catalog)
        .set("schema.id-column", "")
        .build();
  }

  private static double metric(String model, String split, String metric) {
    List<Row> rows =
        spark
            .sql(
                "SELECT value FROM "
                    + catalog.qualified("metrics")
                    + " WHERE model = '"
                    + model
                    + "' AND run_date = DATE'"
                    + DAY
                    + "' AND split = '"
                    + split
                    + "' AND metric = '"
                    + metric
                    + "' AND class IS NULL")
            .collectAsList();
    assertThat(rows).as(model + " " + split + " " + metric).hasSize(1);
    return rows.get(0).getDouble(0);
  }

  // ---- UCI Adult ---------------------------------------------------------------------------

  @Test
  @Order(1)
  void adultLogisticRegressionMatchesScikitLearn() {
    String data = dir.resolve("adult").toString();
    Adult.read(spark, "adult.data").write().parquet(data + "/train");
    Adult.read(spark, "adult.test").write().parquet(data + "/test");
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model.name", "adult");
    o.put("input.path", data + "/train");
    o.put("input.test-path", data + "/test");
    o.put("schema.task", "binary");
    o.put("schema.label-column", "income");
    o.put("schema.categorical-columns", Adult.CATEGORICAL);
    o.put("prepare.categorical.top-k", 100);
    o.put("prepare.split.train", 1.0);
    o.put("prepare.split.validation", 0.0);
    o.put("prepare.split.test", 0.0);
    o.put("train.loss", "logistic");
    o.put("train.regularization.type", "l2");
    o.put("train.regularization.strength", 1.0 / 32_561); // λ = 1/(C·n_train), C = 1
    o.put("train.optimizer.max-iterations", 300);
    o.put("train.optimizer.tolerance", 1e-9);
    o.put("train.precision", "float64");

    long start = System.nanoTime();
    Pipeline.Result r = Pipeline.run(new JobContext(spark, config(o), DAY), StageRunner.Mode.FORCE);
    System.out.printf(
        "Adult pipeline: %.1f s: %s%n", (System.nanoTime() - start) / 1e9, r.summary("evaluate"));

    double accuracy = metric("adult", "test", "accuracy");
    double auc = metric("adult", "test", "auc_roc");
    System.out.printf("Adult from the tables: test accuracy %.5f, AUC %.5f%n", accuracy, auc);
    assertThat(accuracy).isCloseTo(0.8530, within(0.003));
    assertThat(auc).isCloseTo(0.9054, within(0.003));
    assertThat(metric("adult", "test", "rows")).isEqualTo(16_281.0);
    assertThat(metric("adult", "train", "rows")).isEqualTo(32_561.0);
  }

  // ---- a9a -------------------------------------------------------------------------------------

  /** a9a (LIBSVM, labels ±1, 123 binary features) as Parquet input: id, label, f1 … f123. */
  private static String a9aInput(String file, String name) {
    String out = dir.resolve("a9a").resolve(name).toString();
    Dataset<Row> df = LibSvm.read(spark, "libsvm/" + file, 123).withColumnRenamed("row_id", "id");
    df.drop("weight").write().parquet(out);
    return out;
  }

  @Test
  @Order(2)
  void a9aLogisticRegressionMatchesLiblinearAndScikitLearn() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model.name", "a9a");
    o.put("input.path", a9aInput("a9a", "train"));
    o.put("input.test-path", a9aInput("a9a.t", "test"));
    o.put("schema.task", "binary");
    o.put("schema.label-column", "label");
    o.put("schema.id-column", "id");
    o.put("schema.categorical-columns", List.of());
    o.put("prepare.scale", "none"); // the binary features as LIBSVM gives them
    o.put("prepare.split.train", 1.0);
    o.put("prepare.split.validation", 0.0);
    o.put("prepare.split.test", 0.0);
    o.put("train.loss", "logistic");
    o.put("train.regularization.type", "l2");
    o.put("train.regularization.strength", 1.0 / 32_561); // λ = 1/(C·n_train), C = 1
    o.put("train.optimizer.max-iterations", 300);
    o.put("train.optimizer.tolerance", 1e-9);
    o.put("train.precision", "float64");

    Pipeline.Result r = Pipeline.run(new JobContext(spark, config(o), DAY), StageRunner.Mode.FORCE);
    System.out.println("a9a pipeline: " + r.summary("evaluate"));

    double accuracy = metric("a9a", "test", "accuracy");
    System.out.printf("a9a from the tables: test accuracy %.5f%n", accuracy);
    // LIBLINEAR -s 0 -c 1 (no intercept): 0.84952; scikit-learn lbfgs C = 1 with an unpenalized
    // intercept: 0.8498 (datasets README). Issue tolerance: 0.8495 ± 0.0005.
    assertThat(accuracy).isCloseTo(0.8495, within(0.0005));
    assertThat(metric("a9a", "test", "rows")).isEqualTo(16_281.0);
    assertThat(metric("a9a", "train", "rows")).isEqualTo(32_561.0);
  }

  // ---- California housing --------------------------------------------------------------------

  private static Dataset<Row> calHousing() {
    StructType raw =
        new StructType()
            .add("longitude", DataTypes.DoubleType)
            .add("latitude", DataTypes.DoubleType)
            .add("housing_median_age", DataTypes.DoubleType)
            .add("total_rooms", DataTypes.DoubleType)
            .add("total_bedrooms", DataTypes.DoubleType)
            .add("population", DataTypes.DoubleType)
            .add("households", DataTypes.DoubleType)
            .add("median_income", DataTypes.DoubleType)
            .add("median_house_value", DataTypes.DoubleType);
    Dataset<Row> df =
        spark
            .read()
            .schema(raw)
            .option("header", "false")
            .option("mode", "FAILFAST")
            .csv(TestPaths.dataset("cal-housing/cal_housing.data").toString());
    // scikit-learn's fetch_california_housing features (target in units of 100,000 dollars).
    return df.select(
        col("median_income").as("MedInc"),
        col("housing_median_age").as("HouseAge"),
        col("total_rooms").divide(col("households")).as("AveRooms"),
        col("total_bedrooms").divide(col("households")).as("AveBedrms"),
        col("population").as("Population"),
        col("population").divide(col("households")).as("AveOccup"),
        col("latitude").as("Latitude"),
        col("longitude").as("Longitude"),
        col("median_house_value").divide(100_000.0).as("MedHouseVal"));
  }

  private static ArborConfig housingConfig() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model.name", "housing");
    // Every row trains (no test split): nothing to gate on.
    o.put("promote.enabled", false);
    o.put("input.path", dir.resolve("housing").toString());
    o.put("schema.task", "regression");
    o.put("schema.label-column", "MedHouseVal");
    o.put("schema.categorical-columns", List.of());
    o.put("prepare.split.train", 1.0);
    o.put("prepare.split.validation", 0.0);
    o.put("prepare.split.test", 0.0);
    o.put("train.loss", "squared");
    o.put("train.precision", "float64");
    return config(o);
  }

  @Test
  @Order(3)
  void californiaHousingOlsOnAllRowsMatchesTheReference() {
    calHousing().write().parquet(dir.resolve("housing").toString());

    Pipeline.Result r =
        Pipeline.run(new JobContext(spark, housingConfig(), DAY), StageRunner.Mode.FORCE);
    System.out.println("California housing pipeline: " + r.summary("evaluate"));

    double r2 = metric("housing", "train", "r2");
    System.out.printf("California housing from the tables: train (all rows) R2 %.6f%n", r2);
    assertThat(r2).isCloseTo(0.6062, within(1e-4));
    assertThat(metric("housing", "train", "rows")).isEqualTo(20_640.0);
  }

  @Test
  @Order(4)
  void reEvaluatingADateLeavesIdenticalTablesAndBothModelsOfTheDateSurvive() {
    ArborConfig config = housingConfig();
    EvaluateSettings settings = EvaluateSettings.from(config);
    Map<String, List<Row>> before = snapshot();

    EvaluateStage.run(spark, settings, DAY, RunArtifacts.load(spark, settings, DAY));

    Map<String, List<Row>> after = snapshot();
    assertThat(after).isEqualTo(before);
    List<Row> models =
        spark
            .sql(
                "SELECT model, status FROM "
                    + catalog.qualified("runs")
                    + " WHERE run_date = DATE'"
                    + DAY
                    + "' ORDER BY model")
            .collectAsList();
    assertThat(models)
        .extracting(x -> x.getString(0) + ":" + x.getString(1))
        .containsExactly("a9a:succeeded", "adult:succeeded", "housing:succeeded");
  }

  /**
   * Full scans of every table, sorted; {@code runs} without its wall-clock columns ({@code
   * started_at}, {@code finished_at}, {@code evaluate_ms}), which a re-run measures anew; for
   * housing the train duration recorded by the pipeline (and not by a lone evaluate) too.
   */
  private static Map<String, List<Row>> snapshot() {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    for (TableDefinitions t : TableDefinitions.values()) {
      Dataset<Row> rows = spark.table(catalog.qualified(t.tableName()));
      if (t == TableDefinitions.RUNS) {
        rows =
            rows.drop(
                "started_at", "finished_at", "evaluate_ms", "prepare_ms", "train_ms", "stages");
      }
      String[] cols = rows.columns();
      out.put(
          t.tableName(),
          rows.orderBy(cols[0], java.util.Arrays.copyOfRange(cols, 1, cols.length))
              .collectAsList());
    }
    return out;
  }
}

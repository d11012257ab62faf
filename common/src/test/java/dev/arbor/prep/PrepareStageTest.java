package dev.arbor.prep;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.ConfigException;
import dev.arbor.DataValidationException;
import dev.arbor.demo.DemoDataset;
import dev.arbor.demo.DemoSettings;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The stage end to end on 2,000 demo rows (6 invalid: 2 null labels, a NaN and an infinite feature,
 * 2 rows sharing an id). One run is shared by the tests; the ordered tests at the end re-run it to
 * check idempotence and failure behaviour.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("spark")
class PrepareStageTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 6);
  private final SparkSession spark = SparkTestSession.get();
  private String root;
  private PrepareSettings settings;
  private PrepareResult result;
  private Path outDir;
  private Dataset<Row> input;

  @BeforeAll
  void runOnce() {
    root = TestPaths.newTempDir("stage").toString();
    settings = settings(Map.of());
    DemoDataset.write(spark, root + "/in", settings.demo());
    result = PrepareStage.run(spark, settings, DAY);
    outDir = Path.of(root, "out/prepared/demo/run_date=2024-05-06");
    input = spark.read().parquet(root + "/in");
  }

  private PrepareSettings settings(Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>();
    all.put("input.path", root + "/in");
    all.put("output.root", root + "/out");
    all.put("demo.rows", 2000);
    all.putAll(overrides);
    return PrepTestSupport.settings(all);
  }

  private Dataset<Row> out(String name) {
    return spark.read().parquet(outDir.resolve(name).toString());
  }

  @Test
  @Order(1)
  void everyInputRowIsInExactlyOneSplitOrInTheRejects() {
    assertThat(result.inputRows()).isEqualTo(2000);
    assertThat(result.rejectsByReason())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("null_label", 2L, "non_finite_feature", 2L, "duplicate_id", 2L));
    assertThat(result.rejectedRows()).isEqualTo(6);
    assertThat(result.trainRows() + result.validationRows() + result.testRows() + 6)
        .isEqualTo(2000);
    assertThat(out("train").count()).isEqualTo(result.trainRows());
    assertThat(out("validation").count()).isEqualTo(result.validationRows());
    assertThat(out("test").count()).isEqualTo(result.testRows());

    List<String> ids = new java.util.ArrayList<>();
    for (String split : List.of("train", "validation", "test", "rejects")) {
      out(split).select("row_id").collectAsList().forEach(r -> ids.add(r.getString(0)));
    }
    assertThat(ids).hasSize(2000);
    Set<String> inputIds = new HashSet<>();
    input
        .select(col("id").cast("string"))
        .collectAsList()
        .forEach(r -> inputIds.add(r.getString(0)));
    assertThat(new HashSet<>(ids)).isEqualTo(inputIds);
    // only the two rows sharing an id share a row_id
    assertThat(new HashSet<>(ids)).hasSize(1999);
  }

  @Test
  @Order(1)
  void splitsFollowTheContract() throws IOException {
    PrepModel model = PrepModel.read(outDir.resolve("prep-model.json").toString(), conf());
    for (String split : List.of("train", "validation", "test")) {
      Dataset<Row> df = out(split);
      List<String> expected = new java.util.ArrayList<>(List.of("row_id", "label", "weight"));
      expected.addAll(model.featureNames());
      assertThat(df.columns()).containsExactlyElementsOf(expected);
      assertThat(df.schema().apply("row_id").dataType().typeName()).isEqualTo("string");
      assertThat(Arrays.stream(df.schema().fields()).skip(1))
          .allMatch(f -> f.dataType().typeName().equals("double"));
      Column bad = lit(false);
      for (String c : df.columns()) {
        bad = bad.or(col(c).isNull());
        if (!c.equals("row_id")) {
          bad = bad.or(functionsIsNotFinite(col(c)));
        }
      }
      assertThat(df.filter(bad).count()).as(split).isZero();
      assertThat(df.filter(col("label").isin(0.0, 1.0).and(col("weight").equalTo(1.0))).count())
          .isEqualTo(df.count());
    }
    // 3 + 4 numeric features; segment A-E + missing (6) + other; region top 20 + other;
    // channel 1-3 + other
    assertThat(model.featureNames())
        .startsWith("age", "income", "score", "tenure", "segment__A")
        .contains("segment__missing", "region__other", "channel__1", "channel__other")
        .hasSize(4 + 7 + 21 + 4);
    assertThat(result.features()).isEqualTo(36);

    JsonNode summary = new ObjectMapper().readTree(outDir.resolve("summary.json").toFile());
    assertThat(summary.get("input-rows").asLong()).isEqualTo(2000);
    assertThat(summary.get("train-rows").asLong()).isEqualTo(result.trainRows());
    assertThat(summary.get("rejects-by-reason").get("duplicate_id").asLong()).isEqualTo(2);
    assertThat(names(outDir.getParent())).containsExactly("run_date=2024-05-06");
    assertThat(names(outDir))
        .containsExactly(
            "prep-model.json", "rejects", "summary.json", "test", "train", "validation");
  }

  private static Column functionsIsNotFinite(Column c) {
    return org.apache
        .spark
        .sql
        .functions
        .isnan(c)
        .or(org.apache.spark.sql.functions.abs(c).equalTo(Double.POSITIVE_INFINITY));
  }

  @Test
  @Order(1)
  void rejectsCarryTheReasonAndTheRawValuesAsStrings() {
    Dataset<Row> rejects = out("rejects");
    assertThat(rejects.columns())
        .containsExactly(
            "reason", "source", "row_id", "id", "age", "income", "score", "tenure", "segment",
            "region", "channel", "label");
    assertThat(Arrays.stream(rejects.schema().fields()))
        .allMatch(f -> f.dataType().typeName().equals("string"));
    Map<String, String> byId = new HashMap<>();
    for (Row r : rejects.collectAsList()) {
      byId.merge(r.getString(3), r.getString(0), (a, b) -> a + "," + b);
      assertThat(r.getString(1)).isEqualTo("input");
    }
    // positions 17 and 1017 (ids 18, 1018): null label; 123: NaN score; 321: infinite income;
    // 1999 took the id of 999
    assertThat(byId)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "18", "null_label",
                "1018", "null_label",
                "124", "non_finite_feature",
                "322", "non_finite_feature",
                "1000", "duplicate_id,duplicate_id"));
  }

  @Test
  @Order(1)
  void scalingUsesTrainingStatisticsOnly() {
    PrepModel model = PrepModel.read(outDir.resolve("prep-model.json").toString(), conf());
    Dataset<Row> trainIds = out("train").select(col("row_id"));
    Dataset<Row> trainRaw =
        input.join(trainIds, input.col("id").cast("string").equalTo(trainIds.col("row_id")));
    Dataset<Row> validRaw =
        input.join(
            out("train")
                .select("row_id")
                .union(out("validation").select("row_id"))
                .union(out("test").select("row_id")),
            input.col("id").cast("string").equalTo(col("row_id")));
    for (String c : List.of("age", "income", "score", "tenure")) {
      Feature f =
          model.features().stream().filter(x -> x.name().equals(c)).findFirst().orElseThrow();
      Row trainStats = imputedStats(trainRaw, c);
      assertThat(f.center())
          .as(c)
          .isCloseTo(trainStats.getDouble(0), within(1e-9 * Math.abs(f.center())));
      assertThat(f.scale()).as(c).isCloseTo(trainStats.getDouble(1), within(1e-9 * f.scale()));
      // the same statistics over all valid rows differ: the check above can catch leakage
      Row allStats = imputedStats(validRaw, c);
      assertThat(allStats.getDouble(1)).as(c).isNotCloseTo(f.scale(), within(1e-9 * f.scale()));
    }
  }

  /** Mean and population standard deviation of {@code c} with missing values set to its mean. */
  private static Row imputedStats(Dataset<Row> rows, String c) {
    double mean = rows.agg(avg(col(c))).first().getDouble(0);
    return rows.select(when(col(c).isNull(), lit(mean)).otherwise(col(c).cast("double")).as("v"))
        .agg(avg("v"), stddev_pop("v"))
        .first();
  }

  @Test
  @Order(1)
  void splitsAreStratifiedByLabel() {
    Map<Double, Long> all = labelCounts(out("train").union(out("validation")).union(out("test")));
    Map<Double, Long> train = labelCounts(out("train"));
    for (Map.Entry<Double, Long> e : all.entrySet()) {
      assertThat((double) train.get(e.getKey()))
          .isCloseTo(Math.floor(e.getValue() * 0.7 + 0.5), within(0.0));
    }
  }

  private static Map<Double, Long> labelCounts(Dataset<Row> df) {
    Map<Double, Long> m = new HashMap<>();
    df.groupBy("label").count().collectAsList().forEach(r -> m.put(r.getDouble(0), r.getLong(1)));
    return m;
  }

  @Test
  @Order(1)
  void transformOfTheRawRowsEqualsThePreparedSplit() {
    PrepModel model = PrepModel.read(outDir.resolve("prep-model.json").toString(), conf());
    Dataset<Row> train = out("train");
    Dataset<Row> transformed =
        model
            .transform(input)
            .join(train.select(col("row_id").as("t")), col("row_id").equalTo(col("t")))
            .drop("t");
    assertThat(transformed.count()).isEqualTo(train.count());
    assertThat(transformed.exceptAll(train).count()).isZero();
    assertThat(train.exceptAll(transformed).count()).isZero();
  }

  @Test
  @Order(2)
  void aReRunForTheSameDateReplacesTheOutputWithTheSameSplit() throws IOException {
    List<Row> trainIds = out("train").select("row_id").orderBy("row_id").collectAsList();
    List<Row> testIds = out("test").select("row_id").orderBy("row_id").collectAsList();
    Files.writeString(outDir.resolve("stale.txt"), "from before the re-run");

    PrepareResult again = PrepareStage.run(spark, settings, DAY);

    assertThat(outDir.resolve("stale.txt")).doesNotExist();
    assertThat(again.trainRows()).isEqualTo(result.trainRows());
    assertThat(out("train").select("row_id").orderBy("row_id").collectAsList()).isEqualTo(trainIds);
    assertThat(out("test").select("row_id").orderBy("row_id").collectAsList()).isEqualTo(testIds);
    assertThat(names(outDir.getParent())).containsExactly("run_date=2024-05-06");
  }

  @Test
  @Order(3)
  void tooManyRejectsFailWithoutTouchingThePreviousOutput() throws IOException {
    String before = Files.readString(outDir.resolve("summary.json"));
    assertThatThrownBy(
            () ->
                PrepareStage.run(
                    spark, settings(Map.of("prepare.max-rejected-fraction", 0.001)), DAY))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot prepare input "
                + root
                + "/in: 6 of 2000 rows rejected (fraction 0.0030, by reason {duplicate_id=2,"
                + " non_finite_feature=2, null_label=2}), more than"
                + " prepare.max-rejected-fraction = 0.001");
    assertThat(Files.readString(outDir.resolve("summary.json"))).isEqualTo(before);
    assertThat(names(outDir.getParent())).containsExactly("run_date=2024-05-06");
  }

  @Test
  @Order(3)
  void aSchemaErrorWritesNothing() throws IOException {
    LocalDate other = LocalDate.of(2024, 5, 7);
    assertThatThrownBy(
            () -> PrepareStage.run(spark, settings(Map.of("schema.label-column", "target")), other))
        .isInstanceOf(DataValidationException.class)
        .hasMessageStartingWith(
            "Invalid input " + root + "/in: column 'target' (schema.label-column) not found");
    assertThat(names(outDir.getParent())).containsExactly("run_date=2024-05-06");
  }

  @Test
  @Order(3)
  void anImputeOverrideMustNameANumericFeature() throws IOException {
    assertThatThrownBy(
            () ->
                PrepareStage.run(
                    spark, settings(Map.of("prepare.impute.columns.segment", "median")), DAY))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config key 'prepare.impute.columns.segment': 'segment' is not a numeric"
                + " feature column (numeric features: age, income, score, tenure)");
    assertThat(names(outDir.getParent())).containsExactly("run_date=2024-05-06");
  }

  @Test
  @Order(4)
  void aSeparateTestInputReplacesTheTestFraction() {
    String testPath = root + "/test-in";
    DemoDataset.write(spark, testPath, new DemoSettings(1000, 99));
    LocalDate day = LocalDate.of(2024, 5, 8);
    PrepareResult r = PrepareStage.run(spark, settings(Map.of("input.test-path", testPath)), day);
    Path dir = Path.of(root, "out/prepared/demo/run_date=2024-05-08");

    assertThat(r.inputRows()).isEqualTo(2000);
    assertThat(r.trainRows() + r.validationRows() + r.rejectedRows()).isEqualTo(2000);
    // 1000 rows: position 17 null label, 123 NaN score, 321 infinite income
    assertThat(r.testInputRows()).isEqualTo(1000);
    assertThat(r.testInputRejectsByReason())
        .containsExactlyInAnyOrderEntriesOf(Map.of("null_label", 1L, "non_finite_feature", 2L));
    assertThat(r.testRows()).isEqualTo(997);
    Dataset<Row> rejects = spark.read().parquet(dir.resolve("rejects").toString());
    assertThat(rejects.filter(col("source").equalTo("test-input")).count()).isEqualTo(3);
    assertThat(rejects.filter(col("source").equalTo("input")).count()).isEqualTo(6);

    // the test split is the test input transformed with the model fitted on the training split
    PrepModel model = PrepModel.read(dir.resolve("prep-model.json").toString(), conf());
    assertThat(model.trainRows()).isEqualTo(r.trainRows());
    Dataset<Row> test = spark.read().parquet(dir.resolve("test").toString());
    Dataset<Row> transformed =
        model
            .transform(spark.read().parquet(testPath))
            .join(test.select(col("row_id").as("t")), col("row_id").equalTo(col("t")))
            .drop("t");
    assertThat(transformed.exceptAll(test).count()).isZero();
    assertThat(test.count()).isEqualTo(997);
  }

  private org.apache.hadoop.conf.Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    }
  }
}

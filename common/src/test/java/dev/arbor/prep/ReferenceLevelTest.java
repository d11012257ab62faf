package dev.arbor.prep;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.DataValidationException;
import dev.arbor.config.ArborConfig;
import dev.arbor.model.LinearModel;
import dev.arbor.model.Model;
import dev.arbor.model.Scoring;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import dev.arbor.train.TrainStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The one-hot reference level ({@code prepare.categorical.drop}, issue 16 item 11) end to end:
 * prepare, the prep model file, an unpenalized logistic regression, the coefficients and raw-row
 * scoring.
 *
 * <p>Input: 2,000 rows, one categorical column {@code g} (levels {@code a} 45%, {@code b} 30%, a
 * level literally named {@code other} 15%, missing 10%) and no numeric feature; P(yes) 0.3, 0.6,
 * 0.45, 0.7 by level. With one categorical feature the unpenalized logistic MLE has a closed form,
 * the independent reference here: intercept = logit(p_ref), coefficient of level j = logit(p_j) −
 * logit(p_ref), p the share of {@code yes} per level on the training split (counted in this test
 * from the prepared rows).
 */
@Tag("reliability")
@Tag("spark")
class ReferenceLevelTest {
  private static final LocalDate DAY = LocalDate.of(2024, 7, 1);
  private static final String OTHER_LEVEL = "g__other__" + FeatureNames.hash8("other");
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("label", DataTypes.StringType)
          .add("g", DataTypes.StringType);

  private static SparkSession spark;
  private static Path root;
  private static String input;

  @BeforeAll
  static void input() {
    spark = SparkTestSession.get();
    root = TestPaths.newTempDir("reference-level");
    Random random = new Random(11);
    String[] levels = {"a", "b", "other", null};
    double[] share = {0.45, 0.30, 0.15, 0.10};
    double[] pYes = {0.3, 0.6, 0.45, 0.7};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      double u = random.nextDouble();
      int level = 0;
      for (double acc = share[0]; u > acc; acc += share[++level]) {}
      boolean yes = random.nextDouble() < pYes[level];
      rows.add(RowFactory.create("r" + i, yes ? "yes" : "no", levels[level]));
    }
    input = root.resolve("in").toString();
    spark.createDataFrame(rows, SCHEMA).coalesce(2).write().parquet(input);
  }

  private static ArborConfig config(String name, Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("input.path", input);
    m.put("input.generate-demo-if-missing", "false");
    m.put("output.root", root.resolve(name).toString());
    m.put("schema.categorical-columns", "[g]");
    m.put("schema.id-column", "id");
    m.put("train.precision", "float64");
    m.put("train.optimizer.tolerance", "0");
    m.put("train.optimizer.gradient-tolerance", "0");
    m.put("train.optimizer.max-iterations", "1000");
    m.putAll(extra);
    return ArborConfig.load(null, m);
  }

  /** Prepares and trains; returns the model and its prep model. */
  private static Fit fit(String name, Map<String, String> extra) {
    ArborConfig c = config(name, extra);
    PrepareStage.run(spark, PrepareSettings.from(c), DAY);
    LinearModel model = (LinearModel) TrainStage.run(spark, c, DAY).model();
    String prepared = root.resolve(name + "/prepared/demo/run_date=" + DAY).toString();
    PrepModel prep =
        PrepModel.read(
            prepared + "/" + PrepModel.FILE_NAME, spark.sparkContext().hadoopConfiguration());
    return new Fit(model, prep, prepared);
  }

  private record Fit(LinearModel model, PrepModel prep, String prepared) {
    double coefficient(String feature) {
      int j = model.features().indexOf(feature);
      assertThat(j).as(feature + " in " + model.features()).isNotNegative();
      return model.coefficients()[0][j];
    }

    double intercept() {
      return model.intercepts()[0];
    }
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  /** P(yes) per level of the prepared training split, by the one-hot column that is 1. */
  private static Map<String, Double> shareOfYesByColumn(Fit fit, String referenceName) {
    Dataset<Row> train = spark.read().parquet(fit.prepared() + "/train");
    Map<String, double[]> counts = new HashMap<>();
    List<String> oneHot = fit.prep().featureNames();
    for (Row r : train.collectAsList()) {
      String level = referenceName;
      for (String f : oneHot) {
        if (r.getDouble(r.fieldIndex(f)) == 1.0) {
          level = f;
        }
      }
      double[] c = counts.computeIfAbsent(level, k -> new double[2]);
      c[0] += r.getDouble(r.fieldIndex("label"));
      c[1] += 1;
    }
    Map<String, Double> out = new HashMap<>();
    counts.forEach((k, c) -> out.put(k, c[0] / c[1]));
    return out;
  }

  @Test
  void dropFirstIdentifiesTheCoefficientsEndToEnd() throws IOException {
    Fit fit = fit("first", Map.of("prepare.categorical.drop", "first"));

    // prepare: the most frequent level a is the reference; a level literally named "other" is
    // hashed, next to the bucket g__other
    assertThat(fit.prep().featureNames())
        .containsExactly("g__b", OTHER_LEVEL, "g__missing", "g__other");
    assertThat(fit.prep().referenceLevels())
        .containsExactly(new Feature("g__a", Feature.Origin.CATEGORY, "g", "a", 0, 1));
    assertThat(fit.prep().formatVersion()).isEqualTo(PrepModel.FORMAT_VERSION);
    String json = Files.readString(Path.of(fit.prepared(), PrepModel.FILE_NAME));
    assertThat(json).contains("\"format-version\" : 2").contains("\"reference-levels\"");
    assertThat(PrepModel.fromJson(json)).isEqualTo(fit.prep());

    // train: equal to the closed-form MLE
    Map<String, Double> p = shareOfYesByColumn(fit, "g__a");
    assertThat(p).containsOnlyKeys("g__a", "g__b", OTHER_LEVEL, "g__missing");
    assertThat(fit.intercept()).isCloseTo(logit(p.get("g__a")), within(1e-6));
    for (String level : List.of("g__b", OTHER_LEVEL, "g__missing")) {
      assertThat(fit.coefficient(level))
          .as(level)
          .isCloseTo(logit(p.get(level)) - logit(p.get("g__a")), within(1e-6));
    }
    // the bucket has no training row: its coefficient stays 0
    assertThat(fit.coefficient("g__other")).isZero();
    assertThat(fit.model().parameterRows().stream().map(Model.ParameterRow::name))
        .containsExactly("(intercept)", "g__b", OTHER_LEVEL, "g__missing", "g__other");

    // score raw rows through the prep model: the reference level scores the intercept alone, an
    // unseen level goes to the bucket, the level "other" to its own column
    Dataset<Row> raw =
        spark.createDataFrame(
            List.of(
                RowFactory.create("s1", "yes", "a"),
                RowFactory.create("s2", "yes", "other"),
                RowFactory.create("s3", "no", "unseen"),
                RowFactory.create("s4", "no", null),
                RowFactory.create("s5", "no", "b")),
            SCHEMA);
    Map<String, Row> byId = new HashMap<>();
    fit.prep().transform(raw).collectAsList().forEach(r -> byId.put(r.getString(0), r));
    assertThat(oneHot(byId.get("s1"))).containsExactly(0.0, 0.0, 0.0, 0.0);
    assertThat(oneHot(byId.get("s2"))).containsExactly(0.0, 1.0, 0.0, 0.0);
    assertThat(oneHot(byId.get("s3"))).containsExactly(0.0, 0.0, 0.0, 1.0);
    assertThat(oneHot(byId.get("s4"))).containsExactly(0.0, 0.0, 1.0, 0.0);
    Map<String, Double> score = new HashMap<>();
    Scoring.scoreRaw(raw, fit.model(), fit.prep())
        .select(col("row_id"), col("score"))
        .collectAsList()
        .forEach(r -> score.put(r.getString(0), r.getDouble(1)));
    assertThat(score.get("s1")).isCloseTo(p.get("g__a"), within(1e-6));
    assertThat(score.get("s2")).isCloseTo(p.get(OTHER_LEVEL), within(1e-6));
    assertThat(score.get("s3")).isCloseTo(p.get("g__a"), within(1e-6));
    assertThat(score.get("s4")).isCloseTo(p.get("g__missing"), within(1e-6));
    assertThat(score.get("s5")).isCloseTo(p.get("g__b"), within(1e-6));

    // drop = none (the default) on the same data: every level has a column, collinear with the
    // intercept. The fit has the same contrasts and the same predictions for fitted levels, but its
    // per-level coefficients are not effects relative to any level (the intercept is not
    // logit(p_a), a's coefficient not 0), and an unseen level scores the arbitrary intercept.
    Fit none = fit("none", Map.of());
    assertThat(none.prep().referenceLevels()).isEmpty();
    assertThat(none.prep().formatVersion()).isEqualTo(PrepModel.FORMAT_VERSION_WITHOUT_REFERENCES);
    assertThat(none.prep().featureNames())
        .containsExactly("g__a", "g__b", OTHER_LEVEL, "g__missing", "g__other");
    for (String level : List.of("g__b", OTHER_LEVEL, "g__missing")) {
      assertThat(none.coefficient(level) - none.coefficient("g__a"))
          .as(level)
          .isCloseTo(fit.coefficient(level), within(1e-5));
    }
    assertThat(Math.abs(none.coefficient("g__a"))).isGreaterThan(0.01);
    assertThat(Math.abs(none.intercept() - fit.intercept())).isGreaterThan(0.01);
    Dataset<Row> noneScores = Scoring.scoreRaw(raw, none.model(), none.prep());
    for (Row r : noneScores.select(col("row_id"), col("score")).collectAsList()) {
      double expected = score.get(r.getString(0));
      if (r.getString(0).equals("s3")) {
        // an unseen level scores the intercept alone: arbitrary without a reference level
        assertThat(Math.abs(r.getDouble(1) - expected)).isGreaterThan(0.01);
      } else {
        assertThat(r.getDouble(1)).as(r.getString(0)).isCloseTo(expected, within(1e-6));
      }
    }
  }

  private static List<Double> oneHot(Row r) {
    List<Double> out = new ArrayList<>();
    for (String f : List.of("g__b", OTHER_LEVEL, "g__missing", "g__other")) {
      out.add(r.getDouble(r.fieldIndex(f)));
    }
    return out;
  }

  @Test
  void aLevelThatIsNotFittedFailsAsADataErrorNamingColumnLevelAndLevels() {
    ArborConfig c = config("bad-level", Map.of("prepare.categorical.drop-columns.g", "c"));
    assertThatThrownBy(() -> PrepareStage.run(spark, PrepareSettings.from(c), DAY))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot drop reference level 'c' of categorical column 'g'"
                + " (prepare.categorical.drop-columns.g): not among its fitted levels ['a', 'b',"
                + " 'other', <missing>] (the top-k 20 levels of the training split; expected one"
                + " of them, first or none)");
    assertThat(Files.exists(root.resolve("bad-level/prepared/demo/run_date=" + DAY))).isFalse();
  }

  @Test
  void aNamedLevelAndTheMissingLevelCanBeTheReference() {
    PrepareSettings named =
        PrepareSettings.from(config("x", Map.of("prepare.categorical.drop", "other")));
    Dataset<Row> train = spark.read().parquet(input);
    var schema = dev.arbor.ingest.SchemaValidator.validate(train, named.schema(), input);
    PrepModel m = PrepFitter.fit(train, schema, named);
    assertThat(m.featureNames()).containsExactly("g__a", "g__b", "g__missing", "g__other");
    assertThat(m.referenceLevel("g").orElseThrow().name()).isEqualTo(OTHER_LEVEL);

    // missing as the most frequent level: first drops it, and a missing value is not "other"
    Dataset<Row> mostlyMissing =
        PrepTestSupport.frame(
            SCHEMA,
            new Object[] {"1", "yes", null},
            new Object[] {"2", "no", null},
            new Object[] {"3", "no", "a"});
    PrepareSettings first =
        PrepareSettings.from(config("x", Map.of("prepare.categorical.drop", "first")));
    PrepModel mm =
        PrepFitter.fit(
            mostlyMissing,
            dev.arbor.ingest.SchemaValidator.validate(mostlyMissing, first.schema(), "t"),
            first);
    assertThat(mm.featureNames()).containsExactly("g__a", "g__other");
    assertThat(mm.referenceLevel("g").orElseThrow().origin()).isEqualTo(Feature.Origin.MISSING);
    List<Row> rows = mm.transform(mostlyMissing).orderBy("row_id").collectAsList();
    assertThat(rows.get(0).getDouble(3)).isZero();
    assertThat(rows.get(0).getDouble(4)).isZero();
    assertThat(PrepModel.fromJson(mm.toJson())).isEqualTo(mm);
  }

  @Test
  void aPrepModelFileWithoutReferenceLevelsReadsAsBefore() {
    // version 1, as written before reference levels existed (no "reference-levels" field)
    String old = PrepModelTest.model().toJson();
    assertThat(old).contains("\"format-version\" : 1").doesNotContain("reference-levels");
    PrepModel read = PrepModel.fromJson(old);
    assertThat(read.referenceLevels()).isEmpty();
    assertThat(read).isEqualTo(PrepModelTest.model());
    assertThatThrownBy(
            () ->
                PrepModel.fromJson(old.replace("\"format-version\" : 1", "\"format-version\" : 2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid prep model JSON: missing field 'reference-levels'");
    assertThat(Arrays.asList(DropRule.parse("k", "level:first"), DropRule.parse("k", "first")))
        .containsExactly(new DropRule(DropRule.Kind.LEVEL, "first"), DropRule.FIRST);
  }
}

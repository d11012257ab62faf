package dev.arbor.prep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.demo.DemoDataset;
import dev.arbor.demo.DemoSettings;
import dev.arbor.gpu.GpuCoverage;
import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every DataFrame plan the prepare stage builds must run fully on the GPU under RAPIDS: the plans
 * are built with the same methods the stage uses, over Parquet input, with every option that
 * changes a plan (generated ids, weights, median imputation, drop-row, min-max, a test input).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("spark")
class PrepGpuCoverageTest {
  private final SparkSession spark = SparkTestSession.get();
  private Dataset<Row> raw;

  @BeforeAll
  void writeInput() {
    String dir = TestPaths.newTempDir("gpu-prep").resolve("in").toString();
    DemoDataset.write(spark, dir, new DemoSettings(1000, 3));
    raw = spark.read().parquet(dir);
  }

  @Test
  void everyPlanRunsOnTheGpu() {
    Map<String, Dataset<Row>> plans = new LinkedHashMap<>();
    for (Map<String, Object> variant : variants()) {
      PrepareSettings s = PrepTestSupport.settings(variant);
      ResolvedSchema schema = SchemaValidator.validate(raw, s.schema(), "demo");
      String tag = variant.toString();
      plans.put(
          tag + " label check",
          schema.task().isClassification()
              ? SchemaValidator.labelValuesPlan(raw, schema.labelColumn())
              : SchemaValidator.firstRowPlan(raw, schema.labelColumn()).groupBy().count());
      Dataset<Row> annotated = RowAnnotator.annotate(raw, schema, s, RowAnnotator.Mode.SPLIT);
      plans.put(tag + " annotate", annotated);
      Dataset<Row> testAnnotated =
          RowAnnotator.annotate(raw, schema, s, RowAnnotator.Mode.ALL_TEST);
      plans.put(tag + " annotate test input", testAnnotated);
      plans.put(tag + " counts", PrepareStage.Counts.plan(annotated));
      Dataset<Row> train = PrepareStage.split(annotated, Columns.TRAIN);
      plans.put(tag + " numeric stats", PrepFitter.numericStatsPlan(train, schema, s));
      List<String> numeric = schema.numericFeatures();
      plans.put(
          tag + " numeric stats, exploded (wide inputs)",
          ColumnStats.exploded(train, numeric, PrepFitter.medianNeeded(numeric, s)));
      plans.put(tag + " category counts", PrepFitter.categoryCountsPlan(train, schema, s));
      int k = schema.numericFeatures().size();
      plans.put(
          tag + " scaling stats",
          PrepFitter.scalingStatsPlan(train, schema, new double[k], new double[k]));
      PrepModel model = PrepFitter.fit(train, schema, s);
      for (String split : List.of(Columns.TRAIN, Columns.VALIDATION, Columns.TEST)) {
        plans.put(tag + " " + split, model.project(PrepareStage.split(annotated, split)));
      }
      plans.put(tag + " rejects", PrepareStage.rejectsPlan(annotated, testAnnotated));
      plans.put(tag + " transform", model.transform(raw));
    }
    for (Map.Entry<String, Dataset<Row>> e : plans.entrySet()) {
      GpuCoverage coverage = GpuCoverage.of(e.getValue());
      assertThat(coverage.fallbacks()).as("%s:%n%s", e.getKey(), coverage.explain()).isEmpty();
    }
  }

  private static List<Map<String, Object>> variants() {
    return List.of(
        Map.of(),
        Map.of(
            "schema.id-column", "",
            "schema.categorical-columns", List.of("segment", "region"),
            "schema.feature-columns", List.of("age", "income", "score", "tenure"),
            "schema.weight-column", "channel",
            "prepare.impute.numeric", "median",
            "prepare.impute.columns.age", "drop-row",
            "prepare.non-finite-policy", "impute",
            "prepare.categorical.missing-as-category", false,
            "prepare.scale", "min-max",
            "prepare.split.stratify", false),
        Map.of(
            "schema.task", "regression",
            "schema.label-column", "income",
            "schema.categorical-columns", List.of("segment"),
            "prepare.scale", "none"));
  }
}

package dev.arbor.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.DataValidationException;
import dev.arbor.eval.Curve;
import dev.arbor.eval.CurvePoint;
import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.Evaluation;
import dev.arbor.gpu.GpuCoverage;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Curve thinning, exactness against a plain-Java reference, invariances and input errors. */
@Tag("spark")
class EvaluatorsTest {
  private static final StructType BINARY =
      StructType.fromDDL("row_id STRING, label DOUBLE, weight DOUBLE, score DOUBLE");
  private final SparkSession spark = SparkTestSession.get();

  /** n rows, scores rounded to 3 decimals (ties), label ~ Bernoulli(score), weights in {1, 2}. */
  private static List<Row> randomBinary(int n, long seed) {
    Random rnd = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double score = Math.round(rnd.nextDouble() * 1000) / 1000.0;
      double label = rnd.nextDouble() < score ? 1.0 : 0.0;
      rows.add(RowFactory.create("r" + i, label, rnd.nextBoolean() ? 1.0 : 2.0, score));
    }
    return rows;
  }

  /** Mann-Whitney form of the AUC: P(score+ > score-) + P(tie) / 2, weighted; O(n²). */
  private static double referenceAuc(List<Row> rows) {
    double num = 0;
    double pos = 0;
    double neg = 0;
    for (Row a : rows) {
      if (a.getDouble(1) == 1.0) {
        pos += a.getDouble(2);
      } else {
        neg += a.getDouble(2);
      }
    }
    for (Row p : rows) {
      if (p.getDouble(1) != 1.0) {
        continue;
      }
      for (Row q : rows) {
        if (q.getDouble(1) == 1.0) {
          continue;
        }
        double w = p.getDouble(2) * q.getDouble(2);
        if (p.getDouble(3) > q.getDouble(3)) {
          num += w;
        } else if (p.getDouble(3) == q.getDouble(3)) {
          num += w / 2;
        }
      }
    }
    return num / (pos * neg);
  }

  /** Average precision from its definition: sum over positives of precision at their score. */
  private static double referenceAveragePrecision(List<Row> rows) {
    double pos = 0;
    for (Row r : rows) {
      pos += r.getDouble(1) * r.getDouble(2);
    }
    double ap = 0;
    for (Row r : rows) {
      if (r.getDouble(1) != 1.0) {
        continue;
      }
      double tp = 0;
      double all = 0;
      for (Row q : rows) {
        if (q.getDouble(3) >= r.getDouble(3)) {
          all += q.getDouble(2);
          tp += q.getDouble(1) * q.getDouble(2);
        }
      }
      ap += r.getDouble(2) / pos * tp / all;
    }
    return ap;
  }

  @Test
  void exactAucAndAveragePrecisionEqualTheirDefinitions() {
    List<Row> rows = randomBinary(1500, 7);
    Evaluation e =
        Evaluators.binary(EvalSettings.DEFAULTS).evaluate(spark.createDataFrame(rows, BINARY));
    assertThat(e.value("auc_roc")).isCloseTo(referenceAuc(rows), within(1e-12));
    assertThat(e.value("auc_pr")).isCloseTo(referenceAveragePrecision(rows), within(1e-12));
  }

  @Test
  void longCurvesAreThinnedKeepingEndpointsAndShape() {
    List<Row> rows = randomBinary(3000, 11); // ~1000 distinct scores
    List<Dataset<Row>> plans = new ArrayList<>();
    EvalSettings settings = new EvalSettings(0.5, 60, 10, List.of());
    // Through Parquet: a local-relation scan is not what RAPIDS would run in production.
    String path = TestPaths.newTempDir("eval-thin").resolve("p.parquet").toString();
    spark.createDataFrame(rows, BINARY).write().parquet(path);
    Evaluation e = Evaluators.binary(settings, plans::add).evaluate(spark.read().parquet(path));
    List<CurvePoint> roc = e.curve(Curve.Kind.ROC).orElseThrow().points();
    List<CurvePoint> pr = e.curve(Curve.Kind.PR).orElseThrow().points();
    assertThat(roc).hasSizeBetween(40, 60);
    assertThat(pr).hasSameSizeAs(roc);
    assertThat(roc.get(0)).isEqualTo(new CurvePoint(0, 0, 0, Double.POSITIVE_INFINITY, 0));
    CurvePoint last = roc.get(roc.size() - 1);
    assertThat(last.x()).isEqualTo(1.0);
    assertThat(last.y()).isEqualTo(1.0);
    assertThat(last.count()).isEqualTo(3000);
    assertThat(last.threshold())
        .isEqualTo(rows.stream().mapToDouble(r -> r.getDouble(3)).min().orElseThrow());
    double area = 0;
    for (int i = 1; i < roc.size(); i++) {
      CurvePoint a = roc.get(i - 1);
      CurvePoint b = roc.get(i);
      assertThat(b.seq()).isEqualTo(i);
      assertThat(b.threshold()).isLessThan(a.threshold());
      assertThat(b.x()).isGreaterThanOrEqualTo(a.x());
      assertThat(b.y()).isGreaterThanOrEqualTo(a.y());
      assertThat(pr.get(i).threshold()).isEqualTo(b.threshold());
      assertThat(pr.get(i).x()).isEqualTo(b.y()); // recall = TPR
      // Points are spread along the path: no step of (fpr + tpr) / 2 much above 1/58.
      assertThat((b.x() + b.y() - a.x() - a.y()) / 2).isLessThan(2.5 / 58);
      area += (b.x() - a.x()) * (b.y() + a.y()) / 2;
    }
    assertThat(area).isCloseTo(e.value("auc_roc"), within(2e-3));
    assertThat(pr.get(pr.size() - 1).x()).isEqualTo(1.0);
    for (Dataset<Row> plan : plans) {
      GpuCoverage coverage = GpuCoverage.of(plan);
      assertThat(coverage.fallbacks()).as(coverage.explain()).isEmpty();
    }
  }

  @Test
  void thinningFirstDropsCollinearPointsLosslessly() {
    // Scores 1.00, 0.99, ...: the 100 best are positives, the 100 others negatives: a ROC of two
    // straight segments, exactly (0, 0.01) -> (0, 1) -> (1, 1) after the origin.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(RowFactory.create("r" + i, i < 100 ? 1.0 : 0.0, 1.0, (1000 - i) / 1000.0));
    }
    Evaluation e =
        Evaluators.binary(new EvalSettings(0.5, 10, 10, List.of()))
            .evaluate(spark.createDataFrame(rows, BINARY));
    assertThat(e.curve(Curve.Kind.ROC).orElseThrow().points())
        .containsExactly(
            new CurvePoint(0, 0, 0, Double.POSITIVE_INFINITY, 0),
            new CurvePoint(1, 0, 0.01, 1.0, 1),
            new CurvePoint(2, 0, 1, 0.901, 100),
            new CurvePoint(3, 1, 1, 0.801, 200));
    assertThat(e.value("auc_roc")).isEqualTo(1.0);
  }

  @Test
  void metricsDoNotDependOnRowOrderOrPartitioning() {
    List<Row> rows = randomBinary(800, 3);
    Dataset<Row> df = spark.createDataFrame(rows, BINARY);
    EvalSettings settings = EvalSettings.DEFAULTS;
    Map<String, Double> a = Evaluators.binary(settings).evaluate(df.coalesce(1)).values();
    Map<String, Double> b =
        Evaluators.binary(settings)
            .evaluate(df.repartition(5).orderBy(org.apache.spark.sql.functions.rand(1)))
            .values();
    assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
    a.forEach((k, v) -> assertThat(b.get(k)).as(k).isCloseTo(v, within(1e-12)));
  }

  @Test
  void oneClassOnlyLeavesOutRankingMetrics() {
    List<Row> rows =
        List.of(RowFactory.create("a", 1.0, 1.0, 0.7), RowFactory.create("b", 1.0, 1.0, 0.2));
    Evaluation e =
        Evaluators.binary(EvalSettings.DEFAULTS).evaluate(spark.createDataFrame(rows, BINARY));
    assertThat(e.values()).doesNotContainKeys("auc_roc", "auc_pr").containsEntry("recall", 0.5);
    assertThat(e.curve(Curve.Kind.ROC)).isEmpty();
  }

  @Test
  void invalidInputsAreRejectedNamingTheColumn() {
    BinaryEvaluator binary = Evaluators.binary(EvalSettings.DEFAULTS);
    Dataset<Row> badLabel =
        spark.createDataFrame(
            List.of(RowFactory.create("a", 2.0, 1.0, 0.5), RowFactory.create("b", 0.0, 1.0, 0.5)),
            BINARY);
    assertThatThrownBy(() -> binary.evaluate(badLabel))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Invalid predictions: 1 rows with a label other than 0 or 1 in column 'label'");
    Dataset<Row> badWeight =
        spark.createDataFrame(List.of(RowFactory.create("a", 1.0, -1.0, 0.5)), BINARY);
    assertThatThrownBy(() -> binary.evaluate(badWeight))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Invalid predictions: 1 rows with a weight that is not a finite number >= 0 in column"
                + " 'weight'");
    assertThatThrownBy(() -> binary.evaluate(badWeight.drop("score")))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Invalid predictions: missing column 'score' (expected columns label, weight, score;"
                + " found row_id, label, weight)");
    Dataset<Row> badProb =
        spark.createDataFrame(
            List.of(RowFactory.create("a", 1.0, 1.0, 1.0, 1.5, 0.0)),
            StructType.fromDDL(
                "row_id STRING, label DOUBLE, weight DOUBLE, prediction DOUBLE, prob_0 DOUBLE,"
                    + " prob_1 DOUBLE"));
    assertThatThrownBy(() -> Evaluators.multiclass(EvalSettings.DEFAULTS).evaluate(badProb))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Invalid predictions: 1 rows with a value that is not a probability in [0, 1] in"
                + " column 'prob_0'");
  }
}

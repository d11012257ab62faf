package dev.arbor.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.eval.ConfusionCell;
import dev.arbor.eval.Curve;
import dev.arbor.eval.CurvePoint;
import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.Evaluation;
import dev.arbor.gpu.GpuCoverage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The evaluators equal scikit-learn on the same predictions. Reference values: {@code
 * golden/eval-metrics-golden.json}, made by {@code scripts/golden/eval_metrics_golden.py} with
 * scikit-learn (version recorded in the file: 1.2.1, Debian python3-sklearn). Tolerance 1e-9,
 * absolute (every value here is of order 1). Every Spark plan the evaluators run is also checked to
 * run entirely on the GPU under RAPIDS.
 */
@Tag("spark")
class EvaluatorsGoldenTest {
  private static final double TOL = 1e-9;

  private static JsonNode golden;
  private static GoldenFrames frames;
  private final List<Dataset<Row>> plans = new ArrayList<>();

  @BeforeAll
  static void load() {
    golden = GoldenFrames.golden();
    frames = new GoldenFrames();
    assertThat(golden.get("sklearn_version").asText()).isNotEmpty();
  }

  /** Every plan an evaluator collected would run on the GPU. */
  @AfterEach
  void everyPlanRunsOnGpu() {
    assertThat(plans).isNotEmpty();
    for (Dataset<Row> plan : plans) {
      GpuCoverage coverage = GpuCoverage.of(plan);
      assertThat(coverage.fallbacks()).as(coverage.explain()).isEmpty();
    }
  }

  @Test
  void binaryMetricsEqualScikitLearn() {
    JsonNode g = golden.get("binary");
    BinaryEvaluator evaluator = Evaluators.binary(EvalSettings.DEFAULTS, plans::add);
    double opt = evaluator.bestF1Threshold(frames.binaryValidation());
    assertThat(opt).isEqualTo(g.get("best_f1_threshold").asDouble());

    Evaluation e = evaluator.evaluate(frames.binary(), opt);
    Iterator<Map.Entry<String, JsonNode>> it = g.get("metrics").fields();
    int compared = 0;
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> m = it.next();
      assertThat(e.value(m.getKey()))
          .as(m.getKey())
          .isCloseTo(m.getValue().asDouble(), within(TOL));
      compared++;
    }
    assertThat(compared).isEqualTo(15);
    assertThat(e.metrics())
        .filteredOn(m -> m.name().equals("f1_at_opt"))
        .singleElement()
        .satisfies(m -> assertThat(m.threshold()).isEqualTo(opt));
    assertThat(e.value("rows")).isEqualTo(400.0);
    assertConfusion(e.confusion(), g, 2);
  }

  @Test
  void binaryCurvesEqualScikitLearn() {
    JsonNode g = golden.get("binary");
    Evaluation e = Evaluators.binary(EvalSettings.DEFAULTS, plans::add).evaluate(frames.binary());

    // roc_curve(drop_intermediate=False): same order (decreasing thresholds); its first threshold
    // is max(score) + 1 in scikit-learn 1.2, +Infinity here (same meaning: nothing positive).
    List<CurvePoint> roc = e.curve(Curve.Kind.ROC).orElseThrow().points();
    JsonNode fpr = g.get("roc").get("fpr");
    JsonNode tpr = g.get("roc").get("tpr");
    JsonNode rocT = g.get("roc").get("thresholds");
    assertThat(roc).hasSize(fpr.size());
    for (int i = 0; i < roc.size(); i++) {
      assertThat(roc.get(i).seq()).isEqualTo(i);
      assertThat(roc.get(i).x()).as("fpr %d", i).isCloseTo(fpr.get(i).asDouble(), within(TOL));
      assertThat(roc.get(i).y()).as("tpr %d", i).isCloseTo(tpr.get(i).asDouble(), within(TOL));
      if (i > 0) {
        assertThat(roc.get(i).threshold()).isEqualTo(rocT.get(i).asDouble());
      }
    }
    assertThat(roc.get(0).threshold()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(roc.get(roc.size() - 1).count()).isEqualTo(397); // 400 rows, 3 with weight 0

    // precision_recall_curve: increasing thresholds, then (recall 0, precision 1); reversed here.
    List<CurvePoint> pr = e.curve(Curve.Kind.PR).orElseThrow().points();
    JsonNode precision = g.get("pr").get("precision");
    JsonNode recall = g.get("pr").get("recall");
    JsonNode prT = g.get("pr").get("thresholds");
    int n = precision.size();
    assertThat(pr).hasSize(n);
    for (int i = 0; i < n; i++) {
      int j = n - 1 - i;
      assertThat(pr.get(i).x()).as("recall %d", i).isCloseTo(recall.get(j).asDouble(), within(TOL));
      assertThat(pr.get(i).y())
          .as("precision %d", i)
          .isCloseTo(precision.get(j).asDouble(), within(TOL));
      if (i > 0) {
        assertThat(pr.get(i).threshold()).isEqualTo(prT.get(j).asDouble());
      }
    }

    List<CurvePoint> cal = e.curve(Curve.Kind.CALIBRATION).orElseThrow().points();
    JsonNode c = g.get("calibration");
    assertThat(cal).hasSize(c.get("prob_true").size());
    for (int i = 0; i < cal.size(); i++) {
      assertThat(cal.get(i).x()).isCloseTo(c.get("prob_pred").get(i).asDouble(), within(TOL));
      assertThat(cal.get(i).y()).isCloseTo(c.get("prob_true").get(i).asDouble(), within(TOL));
      assertThat(cal.get(i).count()).isEqualTo(c.get("counts").get(i).asLong());
    }
  }

  @Test
  void multiclassMetricsEqualScikitLearn() {
    JsonNode g = golden.get("multiclass");
    Evaluation e =
        Evaluators.multiclass(EvalSettings.DEFAULTS, plans::add).evaluate(frames.multiclass());
    Iterator<Map.Entry<String, JsonNode>> it = g.get("metrics").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> m = it.next();
      assertThat(e.value(m.getKey()))
          .as(m.getKey())
          .isCloseTo(m.getValue().asDouble(), within(TOL));
    }
    for (String name : List.of("precision", "recall", "f1", "support")) {
      for (int k = 0; k < 3; k++) {
        double expected = g.get("per_class").get(name).get(k).asDouble();
        double tol = name.equals("support") ? TOL * Math.max(1, expected) : TOL;
        assertThat(e.value(name + "[" + k + "]")).as(name + k).isCloseTo(expected, within(tol));
      }
    }
    assertConfusion(e.confusion(), g, 3);
  }

  @Test
  void regressionMetricsEqualScikitLearn() {
    JsonNode g = golden.get("regression");
    Evaluation e = Evaluators.regression(plans::add).evaluate(frames.regression());
    Iterator<Map.Entry<String, JsonNode>> it = g.get("metrics").fields();
    int compared = 0;
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> m = it.next();
      assertThat(e.value(m.getKey()))
          .as(m.getKey())
          .isCloseTo(m.getValue().asDouble(), within(TOL));
      compared++;
    }
    assertThat(compared).isEqualTo(5);
  }

  /** Weighted cells within 1e-9 relative to the cell (cells are sums of up to ~200 weights). */
  private static void assertConfusion(List<ConfusionCell> cells, JsonNode g, int k) {
    assertThat(cells).hasSize(k * k);
    for (ConfusionCell cell : cells) {
      int a = Integer.parseInt(cell.actual());
      int p = Integer.parseInt(cell.predicted());
      double w = g.get("confusion_weighted").get(a).get(p).asDouble();
      assertThat(cell.weight()).as("weight %d,%d", a, p).isCloseTo(w, within(TOL * Math.max(1, w)));
      assertThat(cell.count())
          .as("count %d,%d", a, p)
          .isEqualTo(g.get("confusion_counts").get(a).get(p).asLong());
    }
  }
}

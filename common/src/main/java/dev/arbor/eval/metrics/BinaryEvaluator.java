package dev.arbor.eval.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.arbor.DataValidationException;
import dev.arbor.eval.ConfusionCell;
import dev.arbor.eval.Curve;
import dev.arbor.eval.CurvePoint;
import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.Evaluator;
import dev.arbor.eval.Metric;
import dev.arbor.eval.PredictionColumns;
import dev.arbor.ingest.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics of a binary classifier from columns {@code label} (0/1), {@code weight} and {@code score}
 * = P(label = 1). Three Spark jobs: one aggregation (input checks, threshold metrics, log loss,
 * Brier score, calibration bins), one for AUC-ROC and average precision, one for the curve points.
 *
 * <p>Metrics (weighted): {@code accuracy}, {@code precision}, {@code recall}, {@code f1}, {@code
 * predicted_positive_rate} at the configured threshold, the same with suffix {@code _at_opt} at the
 * F1-optimal threshold when one is given (see {@link #bestF1Threshold}), {@code auc_roc}, {@code
 * auc_pr} (average precision), {@code log_loss}, {@code brier}, {@code label_positive_rate}; plus
 * {@code rows} and {@code weight_sum}. AUC-ROC and average precision are left out when one class
 * has no weight (they are undefined).
 */
public final class BinaryEvaluator implements Evaluator {
  private static final Logger LOG = LoggerFactory.getLogger(BinaryEvaluator.class);

  private static final String L = PredictionColumns.LABEL;
  private static final String W = PredictionColumns.WEIGHT;
  private static final String S = PredictionColumns.SCORE;

  private final EvalSettings settings;
  private final Consumer<Dataset<Row>> observer;

  BinaryEvaluator(EvalSettings settings, Consumer<Dataset<Row>> observer) {
    this.settings = settings;
    this.observer = observer;
  }

  @Override
  public Evaluation evaluate(Dataset<Row> predictions) {
    return evaluate(predictions, Double.NaN);
  }

  /**
   * Evaluates {@code predictions}, also at {@code optThreshold} (metrics with suffix {@code
   * _at_opt}) unless it is {@code NaN}.
   *
   * @param optThreshold usually {@link #bestF1Threshold} of the validation split
   */
  public Evaluation evaluate(Dataset<Row> predictions, double optThreshold) {
    Dataset<Row> in = Frames.selectDoubles(predictions, L, W, S);
    List<Double> thresholds = new ArrayList<>(List.of(settings.threshold()));
    if (!Double.isNaN(optThreshold)) {
      thresholds.add(optThreshold);
    }
    Row agg =
        Frames.collectOne(
            Frames.agg(in.withColumn("bin", calibrationBin()), aggregates(thresholds)), observer);
    check(agg);
    long rows = agg.getLong(agg.fieldIndex("n"));
    DataValidationException.check(rows > 0, "Invalid predictions: no rows to evaluate");
    double wSum = Frames.doubleOrZero(agg, "w_sum");
    DataValidationException.check(
        wSum > 0, "Invalid predictions: the weights in column '%s' sum to 0", W);

    List<Metric> metrics = new ArrayList<>();
    metrics.add(Metric.of("rows", rows));
    metrics.add(Metric.of("weight_sum", wSum));
    addThresholdMetrics(metrics, agg, 0, settings.threshold(), "");
    if (thresholds.size() > 1) {
      addThresholdMetrics(metrics, agg, 1, optThreshold, "_at_opt");
    }
    ScoreCurves ranking = new ScoreCurves(observer);
    ScoreCurves.Summary summary = ranking.summarize(in);
    List<Curve> curves = new ArrayList<>();
    if (summary.bothClasses()) {
      metrics.add(Metric.of("auc_roc", summary.aucRoc()));
      metrics.add(Metric.of("auc_pr", summary.avgPrecision()));
      curves.addAll(ranking.curves(in, summary, settings.maxCurvePoints()));
    } else {
      LOG.warn(
          "AUC-ROC, average precision and curves left out: only one class has weight"
              + " (positives {}, negatives {})",
          summary.positives(),
          summary.negatives());
    }
    metrics.add(Metric.of("log_loss", Frames.doubleOrZero(agg, "ll") / wSum));
    metrics.add(Metric.of("brier", Frames.doubleOrZero(agg, "brier") / wSum));
    metrics.add(Metric.of("label_positive_rate", Frames.doubleOrZero(agg, "w_pos") / wSum));
    curves.add(calibration(agg));
    return new Evaluation(Task.BINARY, metrics, curves, confusion(agg, 0));
  }

  /**
   * The validation score that maximizes F1 (weighted) when rows with {@code score >= threshold} are
   * predicted positive; ties go to the highest score. Two Spark jobs.
   *
   * @throws DataValidationException when the frame has no positive row with weight
   */
  public double bestF1Threshold(Dataset<Row> validation) {
    Dataset<Row> in = Frames.selectDoubles(validation, L, W, S);
    Row agg =
        Frames.collectOne(
            in.agg(
                Frames.countIf(col(L).isNull().or(not(col(L).isin(0.0, 1.0)))).as("bad_label"),
                Frames.countIf(Frames.notProbability(col(S))).as("bad_score"),
                Frames.countIf(Frames.badWeight(col(W))).as("bad_weight"),
                sum(col(W).multiply(col(L))).as("w_pos")),
            observer);
    check(agg);
    double pos = Frames.doubleOrZero(agg, "w_pos");
    DataValidationException.check(
        pos > 0,
        "Cannot choose the F1-optimal threshold: no positive row (label 1) with weight > 0");
    double best = new ScoreCurves(observer).bestF1Threshold(in, pos);
    LOG.info("F1-optimal threshold on validation: {}", best);
    return best;
  }

  private static void check(Row agg) {
    Frames.checkNone(Frames.longOrZero(agg, "bad_label"), L, "a label other than 0 or 1");
    Frames.checkNone(
        Frames.longOrZero(agg, "bad_score"), S, "a score that is not a probability in [0, 1]");
    Frames.checkNone(
        Frames.longOrZero(agg, "bad_weight"), W, "a weight that is not a finite number >= 0");
  }

  /** The calibration bin as scikit-learn: {@code searchsorted(inner edges, score, 'left')}. */
  private Column calibrationBin() {
    int bins = settings.calibrationBins();
    double step = 1.0 / bins;
    Column bin = lit(0);
    for (int k = 1; k < bins; k++) {
      bin = bin.plus(when(col(S).gt(lit(k * step)), lit(1)).otherwise(lit(0)));
    }
    return bin;
  }

  private Column[] aggregates(List<Double> thresholds) {
    Column l = col(L);
    Column w = col(W);
    Column s = col(S);
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    aggs.add(Frames.countIf(l.isNull().or(not(l.isin(0.0, 1.0)))).as("bad_label"));
    aggs.add(Frames.countIf(Frames.notProbability(s)).as("bad_score"));
    aggs.add(Frames.countIf(Frames.badWeight(w)).as("bad_weight"));
    aggs.add(sum(w).as("w_sum"));
    aggs.add(sum(w.multiply(l)).as("w_pos"));
    aggs.add(sum(w.multiply(MetricKernels.binaryLogLoss(l, s))).as("ll"));
    aggs.add(sum(MetricKernels.weightedSquaredError(w, l, s)).as("brier"));
    for (int t = 0; t < thresholds.size(); t++) {
      MetricKernels.addCells(aggs, "_" + t, s.geq(lit(thresholds.get(t))), l.equalTo(lit(1.0)));
    }
    for (int b = 0; b < settings.calibrationBins(); b++) {
      Column in = col("bin").equalTo(lit(b));
      aggs.add(Frames.countIf(in).as("cal_n_" + b));
      aggs.add(sum(when(in, s).otherwise(lit(0.0))).as("cal_s_" + b));
      aggs.add(sum(when(in, l).otherwise(lit(0.0))).as("cal_y_" + b));
    }
    return aggs.toArray(Column[]::new);
  }

  private static double cell(Row agg, String cell, int t) {
    return Frames.doubleOrZero(agg, cell + "_w_" + t);
  }

  private static void addThresholdMetrics(
      List<Metric> out, Row agg, int t, double threshold, String suffix) {
    double tp = cell(agg, "tp", t);
    double fp = cell(agg, "fp", t);
    double fn = cell(agg, "fn", t);
    double tn = cell(agg, "tn", t);
    double total = tp + fp + fn + tn;
    double accuracy = MetricKernels.accuracy(tp, fp, fn, tn);
    double precision = Frames.ratio(tp, tp + fp);
    double recall = Frames.ratio(tp, tp + fn);
    out.add(Metric.atThreshold("accuracy" + suffix, accuracy, threshold));
    out.add(Metric.atThreshold("precision" + suffix, precision, threshold));
    out.add(Metric.atThreshold("recall" + suffix, recall, threshold));
    out.add(Metric.atThreshold("f1" + suffix, Frames.f1(precision, recall), threshold));
    out.add(Metric.atThreshold("predicted_positive_rate" + suffix, (tp + fp) / total, threshold));
  }

  private List<ConfusionCell> confusion(Row agg, int t) {
    String neg = settings.className(0);
    String pos = settings.className(1);
    return List.of(
        confusionCell(agg, neg, neg, "tn", t),
        confusionCell(agg, neg, pos, "fp", t),
        confusionCell(agg, pos, neg, "fn", t),
        confusionCell(agg, pos, pos, "tp", t));
  }

  private static ConfusionCell confusionCell(
      Row agg, String actual, String predicted, String cell, int t) {
    return new ConfusionCell(
        actual, predicted, Frames.longOrZero(agg, cell + "_n_" + t), cell(agg, cell, t));
  }

  /** Non-empty bins only (as scikit-learn); the threshold column holds the bin's upper edge. */
  private Curve calibration(Row agg) {
    int bins = settings.calibrationBins();
    List<CurvePoint> points = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      long n = Frames.longOrZero(agg, "cal_n_" + b);
      if (n > 0) {
        double upper = b == bins - 1 ? 1.0 : (b + 1) * (1.0 / bins);
        points.add(
            new CurvePoint(
                points.size(),
                Frames.doubleOrZero(agg, "cal_s_" + b) / n,
                Frames.doubleOrZero(agg, "cal_y_" + b) / n,
                upper,
                n));
      }
    }
    return new Curve(Curve.Kind.CALIBRATION, points);
  }
}

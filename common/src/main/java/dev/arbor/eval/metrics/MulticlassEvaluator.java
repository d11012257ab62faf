package dev.arbor.eval.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import dev.arbor.DataValidationException;
import dev.arbor.eval.ConfusionCell;
import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.Evaluation;
import dev.arbor.eval.Evaluator;
import dev.arbor.eval.Metric;
import dev.arbor.eval.PredictionColumns;
import dev.arbor.ingest.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Metrics of a K-class classifier from columns {@code label} and {@code prediction} (class indices
 * 0..K-1), {@code weight} and {@code prob_0} … {@code prob_{K-1}}. Two Spark jobs: one aggregation
 * (input checks, log loss) and one group-by for the confusion matrix, from which the driver derives
 * the rest.
 *
 * <p>Metrics (weighted): {@code accuracy}, {@code log_loss}, per class {@code precision}, {@code
 * recall}, {@code f1} and {@code support} (weight of the class's rows), their {@code _macro}
 * (unweighted mean over classes) and {@code _weighted} (mean weighted by support) averages; plus
 * {@code rows} and {@code weight_sum}.
 */
public final class MulticlassEvaluator implements Evaluator {
  private static final String L = PredictionColumns.LABEL;
  private static final String W = PredictionColumns.WEIGHT;
  private static final String P = PredictionColumns.PREDICTION;

  private final EvalSettings settings;
  private final Consumer<Dataset<Row>> observer;

  MulticlassEvaluator(EvalSettings settings, Consumer<Dataset<Row>> observer) {
    this.settings = settings;
    this.observer = observer;
  }

  /** K: the number of consecutive {@code prob_k} columns from {@code prob_0}. */
  static int classCount(Dataset<Row> predictions) {
    List<String> columns = Arrays.asList(predictions.columns());
    int k = 0;
    while (columns.contains(PredictionColumns.prob(k))) {
      k++;
    }
    return k;
  }

  @Override
  public Evaluation evaluate(Dataset<Row> predictions) {
    int k = classCount(predictions);
    DataValidationException.check(
        k >= 2,
        "Invalid predictions: %d probability columns prob_0, prob_1, ... (expected at least 2)",
        k);
    DataValidationException.check(
        settings.classNames().isEmpty() || settings.classNames().size() == k,
        "Invalid predictions: %d probability columns for %d classes %s",
        k,
        settings.classNames().size(),
        settings.classNames());
    List<String> columns = new ArrayList<>(List.of(L, W, P));
    for (int c = 0; c < k; c++) {
      columns.add(PredictionColumns.prob(c));
    }
    Dataset<Row> in = Frames.selectDoubles(predictions, columns.toArray(String[]::new));
    Row agg = Frames.collectOne(Frames.agg(in, aggregates(k)), observer);
    Frames.checkNone(Frames.longOrZero(agg, "bad_label"), L, "a label other than 0.." + (k - 1));
    Frames.checkNone(
        Frames.longOrZero(agg, "bad_prediction"), P, "a prediction other than 0.." + (k - 1));
    for (int c = 0; c < k; c++) {
      Frames.checkNone(
          Frames.longOrZero(agg, "bad_prob_" + c),
          PredictionColumns.prob(c),
          "a value that is not a probability in [0, 1]");
    }
    Frames.checkNone(
        Frames.longOrZero(agg, "bad_weight"), W, "a weight that is not a finite number >= 0");
    long rows = agg.getLong(agg.fieldIndex("n"));
    DataValidationException.check(rows > 0, "Invalid predictions: no rows to evaluate");
    double wSum = Frames.doubleOrZero(agg, "w_sum");
    DataValidationException.check(
        wSum > 0, "Invalid predictions: the weights in column '%s' sum to 0", W);

    MetricKernels.Confusion matrix = MetricKernels.confusion(in, k, observer);
    double[][] weight = matrix.weight();
    long[][] counts = matrix.counts();

    List<Metric> metrics = new ArrayList<>();
    metrics.add(Metric.of("rows", rows));
    metrics.add(Metric.of("weight_sum", wSum));
    double[] truth = new double[k];
    double[] predictedSum = new double[k];
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < k; p++) {
        truth[a] += weight[a][p];
        predictedSum[p] += weight[a][p];
      }
    }
    metrics.add(Metric.of("accuracy", MetricKernels.accuracy(weight)));
    metrics.add(Metric.of("log_loss", Frames.doubleOrZero(agg, "ll") / wSum));
    double[] precision = new double[k];
    double[] recall = new double[k];
    double[] f1 = new double[k];
    for (int c = 0; c < k; c++) {
      precision[c] = Frames.ratio(weight[c][c], predictedSum[c]);
      recall[c] = Frames.ratio(weight[c][c], truth[c]);
      f1[c] = Frames.f1(precision[c], recall[c]);
    }
    addAverages(metrics, "precision", precision, truth);
    addAverages(metrics, "recall", recall, truth);
    addAverages(metrics, "f1", f1, truth);
    for (int c = 0; c < k; c++) {
      String name = settings.className(c);
      metrics.add(Metric.forClass("precision", precision[c], name));
      metrics.add(Metric.forClass("recall", recall[c], name));
      metrics.add(Metric.forClass("f1", f1[c], name));
      metrics.add(Metric.forClass("support", truth[c], name));
    }
    List<ConfusionCell> confusion = new ArrayList<>();
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < k; p++) {
        confusion.add(
            new ConfusionCell(
                settings.className(a), settings.className(p), counts[a][p], weight[a][p]));
      }
    }
    return new Evaluation(Task.MULTICLASS, metrics, List.of(), confusion);
  }

  private static void addAverages(
      List<Metric> out, String name, double[] perClass, double[] support) {
    double sum = 0;
    double weighted = 0;
    double supportSum = 0;
    for (int c = 0; c < perClass.length; c++) {
      sum += perClass[c];
      weighted += perClass[c] * support[c];
      supportSum += support[c];
    }
    out.add(Metric.of(name + "_macro", sum / perClass.length));
    out.add(Metric.of(name + "_weighted", Frames.ratio(weighted, supportSum)));
  }

  private static Column[] aggregates(int k) {
    Column l = col(L);
    Column w = col(W);
    Double[] classes = new Double[k];
    for (int c = 0; c < k; c++) {
      classes[c] = (double) c;
    }
    Column loss = MetricKernels.multiclassLogLoss(l, k);
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    aggs.add(Frames.countIf(l.isNull().or(not(l.isin((Object[]) classes)))).as("bad_label"));
    aggs.add(
        Frames.countIf(col(P).isNull().or(not(col(P).isin((Object[]) classes))))
            .as("bad_prediction"));
    for (int c = 0; c < k; c++) {
      aggs.add(
          Frames.countIf(Frames.notProbability(col(PredictionColumns.prob(c))))
              .as("bad_prob_" + c));
    }
    aggs.add(Frames.countIf(Frames.badWeight(w)).as("bad_weight"));
    aggs.add(sum(w).as("w_sum"));
    aggs.add(sum(w.multiply(loss)).as("ll"));
    return aggs.toArray(Column[]::new);
  }
}

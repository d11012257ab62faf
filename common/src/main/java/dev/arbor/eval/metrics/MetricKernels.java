package dev.arbor.eval.metrics;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.arbor.eval.MetricSpec;
import dev.arbor.eval.PredictionColumns;
import dev.arbor.ingest.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one computation of each metric of the registry ({@link MetricSpec}): the per-row terms (as
 * Column expressions), the sums and the driver-side formulas. The evaluators build the {@code
 * metrics} table from them, and training computes its early-stopping and selection metric with
 * {@link #compute}, so a metric has the same value, to the last bit, in both.
 *
 * <p>{@link #compute} runs only what one metric needs (one Spark job; two for R² and explained
 * variance) and does not check its input (training's own predictions): a NaN score gives a NaN
 * metric, which early stopping never counts as better, where the evaluators reject the rows.
 */
public final class MetricKernels {
  /** scikit-learn's {@code eps="auto"} for float64: the machine epsilon 2^-52. */
  static final double EPS = Math.ulp(1.0);

  private static final String L = PredictionColumns.LABEL;
  private static final String W = PredictionColumns.WEIGHT;
  private static final String P = PredictionColumns.PREDICTION;
  private static final String S = PredictionColumns.SCORE;
  private static final Consumer<Dataset<Row>> NONE = plan -> {};

  private MetricKernels() {}

  /**
   * The weighted {@code metric} over training's {@code predictions} (columns {@code label}, {@code
   * weight}, {@code prediction}, and {@code score} (binary) or {@code prob_0..prob_{K-1}}).
   *
   * @param numClasses K for multiclass (ignored otherwise)
   * @return the value, NaN when undefined (no weight; a single class for the AUCs)
   * @throws IllegalArgumentException for {@link MetricSpec#LOSS} (the objective's, not a metric of
   *     predictions), a metric of another task, or a per-threshold metric other than accuracy
   */
  public static double compute(
      Dataset<Row> predictions, MetricSpec metric, Task task, int numClasses) {
    if (!metric.appliesTo(task) || metric == MetricSpec.LOSS) {
      throw new IllegalArgumentException(
          "Cannot compute " + metric.tableName() + " from predictions for task " + task);
    }
    return switch (task) {
      case BINARY -> binary(predictions, metric);
      case MULTICLASS -> multiclass(predictions, metric, numClasses);
      case REGRESSION -> regression(predictions, metric);
    };
  }

  private static double binary(Dataset<Row> predictions, MetricSpec metric) {
    Dataset<Row> in = Frames.selectDoubles(predictions, L, W, P, S);
    Column l = col(L);
    Column w = col(W);
    return switch (metric) {
      case AUC_ROC -> new ScoreCurves(NONE).summarize(in).aucRoc();
      case AUC_PR -> new ScoreCurves(NONE).summarize(in).avgPrecision();
      case LOG_LOSS -> weightedMean(in, w.multiply(binaryLogLoss(l, col(S))));
      case BRIER -> weightedMean(in, weightedSquaredError(w, l, col(S)));
      case ACCURACY -> {
        List<Column> aggs = new ArrayList<>();
        addCells(aggs, "", col(P).equalTo(lit(1.0)), l.equalTo(lit(1.0)));
        Row r = Frames.collectOne(Frames.agg(in, aggs.toArray(Column[]::new)), NONE);
        double tp = Frames.doubleOrZero(r, "tp_w");
        double fp = Frames.doubleOrZero(r, "fp_w");
        double fn = Frames.doubleOrZero(r, "fn_w");
        double tn = Frames.doubleOrZero(r, "tn_w");
        double total = tp + fp + fn + tn;
        yield total > 0 ? accuracy(tp, fp, fn, tn) : Double.NaN;
      }
      default -> throw unsupported(metric);
    };
  }

  private static double multiclass(Dataset<Row> predictions, MetricSpec metric, int k) {
    return switch (metric) {
      case LOG_LOSS -> {
        List<String> columns = new ArrayList<>(List.of(L, W));
        for (int c = 0; c < k; c++) {
          columns.add(PredictionColumns.prob(c));
        }
        yield weightedMean(
            Frames.selectDoubles(predictions, columns.toArray(String[]::new)),
            col(W).multiply(multiclassLogLoss(col(L), k)));
      }
      case ACCURACY -> {
        double[][] weight = confusion(Frames.selectDoubles(predictions, L, W, P), k, NONE).weight();
        yield accuracy(weight);
      }
      default -> throw unsupported(metric);
    };
  }

  private static double regression(Dataset<Row> predictions, MetricSpec metric) {
    Dataset<Row> in = Frames.selectDoubles(predictions, L, W, P);
    RegressionSums first =
        RegressionSums.of(Frames.collectOne(Frames.agg(in, regressionSums()), NONE));
    if (!(first.wSum() > 0)) {
      return Double.NaN;
    }
    return switch (metric) {
      case MSE -> first.mse();
      case RMSE -> Math.sqrt(first.mse());
      case MAE -> first.mae();
      case R2 -> finiteScore(first.sse(), centredSums(in, first, NONE)[0]);
      case EXPLAINED_VARIANCE -> {
        double[] centred = centredSums(in, first, NONE);
        yield finiteScore(centred[1] / first.wSum(), centred[0] / first.wSum());
      }
      default -> throw unsupported(metric);
    };
  }

  private static IllegalArgumentException unsupported(MetricSpec metric) {
    return new IllegalArgumentException(
        "Cannot compute " + metric.tableName() + " alone: it is a table metric at a threshold");
  }

  /** {@code sum(weightedTerm) / sum(weight)}, NaN without weight. */
  private static double weightedMean(Dataset<Row> in, Column weightedTerm) {
    Row r = Frames.collectOne(in.agg(sum(col(W)).as("w_sum"), sum(weightedTerm).as("t")), NONE);
    double wSum = Frames.doubleOrZero(r, "w_sum");
    return wSum > 0 ? Frames.doubleOrZero(r, "t") / wSum : Double.NaN;
  }

  // ---- binary ------------------------------------------------------------------------------

  /**
   * The per-row binary cross-entropy of {@code score} = P(label = 1), as {@code
   * sklearn.metrics.log_loss}: clipped to [eps, 1 - eps], then the pair (1 - p, p) renormalized.
   */
  static Column binaryLogLoss(Column label, Column score) {
    Column p = least(greatest(score, lit(EPS)), lit(1.0 - EPS));
    Column q = lit(1.0).minus(p);
    Column total = q.plus(p);
    return label
        .multiply(log(p.divide(total)))
        .plus(lit(1.0).minus(label).multiply(log(q.divide(total))))
        .multiply(-1.0);
  }

  /** The per-row weighted squared error {@code weight·(label - value)·(label - value)}. */
  static Column weightedSquaredError(Column weight, Column label, Column value) {
    Column err = label.minus(value);
    return weight.multiply(err).multiply(err);
  }

  /**
   * Adds the weighted confusion cells {@code tp_w<suffix>}, {@code fp_w…}, {@code fn_w…}, {@code
   * tn_w…} and their row counts {@code tp_n<suffix>} … to {@code aggs}.
   *
   * @param positive the rows predicted positive
   * @param actual the rows labelled positive
   */
  static void addCells(List<Column> aggs, String suffix, Column positive, Column actual) {
    addCell(aggs, "tp", suffix, positive.and(actual));
    addCell(aggs, "fp", suffix, positive.and(not(actual)));
    addCell(aggs, "fn", suffix, not(positive).and(actual));
    addCell(aggs, "tn", suffix, not(positive).and(not(actual)));
  }

  private static void addCell(List<Column> aggs, String cell, String suffix, Column condition) {
    aggs.add(sum(when(condition, col(W)).otherwise(lit(0.0))).as(cell + "_w" + suffix));
    aggs.add(Frames.countIf(condition).as(cell + "_n" + suffix));
  }

  /** Accuracy from the weighted confusion cells. */
  static double accuracy(double tp, double fp, double fn, double tn) {
    return (tp + tn) / (tp + fp + fn + tn);
  }

  // ---- multiclass --------------------------------------------------------------------------

  /**
   * The per-row multiclass cross-entropy, as {@code sklearn.metrics.log_loss}: each {@code prob_c}
   * clipped to [eps, 1 - eps], then the row renormalized.
   */
  static Column multiclassLogLoss(Column label, int k) {
    Column total = null;
    Column ofLabel = null;
    for (int c = 0; c < k; c++) {
      Column clipped = least(greatest(col(PredictionColumns.prob(c)), lit(EPS)), lit(1.0 - EPS));
      total = total == null ? clipped : total.plus(clipped);
      ofLabel =
          ofLabel == null
              ? when(label.equalTo(lit((double) c)), clipped)
              : ofLabel.when(label.equalTo(lit((double) c)), clipped);
    }
    return log(ofLabel.divide(total)).multiply(-1.0);
  }

  /** The confusion matrix: weights and row counts by [actual][predicted]. */
  record Confusion(double[][] weight, long[][] counts) {}

  /** The confusion matrix of {@code in} (columns label, prediction, weight as doubles). One job. */
  static Confusion confusion(Dataset<Row> in, int k, Consumer<Dataset<Row>> observer) {
    double[][] weight = new double[k][k];
    long[][] counts = new long[k][k];
    Dataset<Row> cells = in.groupBy(col(L), col(P)).agg(count(lit(1)).as("n"), sum(col(W)).as("w"));
    for (Row r : Frames.collect(cells, observer)) {
      int actual = (int) r.getDouble(0);
      int predicted = (int) r.getDouble(1);
      counts[actual][predicted] = r.getLong(2);
      weight[actual][predicted] = r.getDouble(3);
    }
    return new Confusion(weight, counts);
  }

  /** Accuracy from the weighted confusion matrix; NaN when it has no weight. */
  static double accuracy(double[][] weight) {
    double correct = 0;
    double total = 0;
    for (int a = 0; a < weight.length; a++) {
      for (int p = 0; p < weight.length; p++) {
        total += weight[a][p];
      }
      correct += weight[a][a];
    }
    return total > 0 ? correct / total : Double.NaN;
  }

  // ---- regression --------------------------------------------------------------------------

  /** The first-pass sums of a regression: weight, weighted label, residual, squares, abs. */
  record RegressionSums(double wSum, double wy, double wr, double sse, double wabs) {
    static RegressionSums of(Row r) {
      return new RegressionSums(
          Frames.doubleOrZero(r, "w_sum"),
          Frames.doubleOrZero(r, "wy"),
          Frames.doubleOrZero(r, "wr"),
          Frames.doubleOrZero(r, "wrr"),
          Frames.doubleOrZero(r, "wabs"));
    }

    double mse() {
      return sse / wSum;
    }

    double mae() {
      return wabs / wSum;
    }
  }

  /** The aggregates {@link RegressionSums#of} reads. */
  static Column[] regressionSums() {
    Column w = col(W);
    Column residual = col(L).minus(col(P));
    return new Column[] {
      sum(w).as("w_sum"),
      sum(w.multiply(col(L))).as("wy"),
      sum(w.multiply(residual)).as("wr"),
      sum(w.multiply(residual).multiply(residual)).as("wrr"),
      sum(w.multiply(abs(residual))).as("wabs")
    };
  }

  /**
   * The centred sums of squares {syy, srr} of label and residual around their weighted means: a
   * second pass, for accuracy when the mean is large against the spread. One job.
   */
  static double[] centredSums(
      Dataset<Row> in, RegressionSums first, Consumer<Dataset<Row>> observer) {
    Column w = col(W);
    Column dy = col(L).minus(lit(first.wy() / first.wSum()));
    Column dr = col(L).minus(col(P)).minus(lit(first.wr() / first.wSum()));
    Row second =
        Frames.collectOne(
            in.agg(
                sum(w.multiply(dy).multiply(dy)).as("syy"),
                sum(w.multiply(dr).multiply(dr)).as("srr")),
            observer);
    return new double[] {Frames.doubleOrZero(second, "syy"), Frames.doubleOrZero(second, "srr")};
  }

  /** {@code 1 - num / den}, as scikit-learn with {@code force_finite=True}. */
  static double finiteScore(double numerator, double denominator) {
    if (numerator == 0.0) {
      return 1.0;
    }
    return denominator == 0.0 ? 0.0 : 1.0 - numerator / denominator;
  }
}

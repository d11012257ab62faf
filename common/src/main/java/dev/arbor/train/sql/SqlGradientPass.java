package dev.arbor.train.sql;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.loss.LossFunction;
import dev.arbor.loss.WeightLayout;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds and runs one gradient pass of a linear model as a single DataFrame aggregation: margins as
 * column expressions with the weights as literals, per-row loss and derivatives as column
 * expressions ({@link SqlLoss}), and per output {@code k} and feature {@code j} the sum {@code Σ
 * wᵢ·∂lossᵢ/∂m_k·x_ij}, plus {@code Σ wᵢ} and {@code Σ wᵢ·lossᵢ}, grouped by the input partition
 * id. The driver adds the per-partition rows in partition order, so on the CPU a pass is
 * bit-identical across runs for a fixed partitioning (Spark's global sum merges partial sums in
 * shuffle-arrival order instead).
 *
 * <p>Weights follow the loss's {@link WeightLayout}, as in the tree backend: the coefficient of
 * output {@code k} for feature {@code j} at {@code k·d + j}, then, with an intercept, the intercept
 * of output {@code k} at {@code K·d + k}.
 *
 * <p>Plan shape: {@code scan → project(margins) → project(shared terms) → project(wᵢ·loss,
 * wᵢ·derivatives) → hash aggregate by partition id}. Each margin is a balanced tree of additions
 * (depth {@code log₂ d}, not {@code d}, so analysis and code generation never recurse deeply), and
 * zero coefficients are left out of it. Every expression is one the RAPIDS Accelerator runs on the
 * GPU (tested with {@code GpuCoverage}). Immutable and thread-safe.
 */
public final class SqlGradientPass {
  /** Name of the precomputed per-row hash column that mini-batches are drawn from. */
  public static final String ROW_HASH = "_arbor_row_hash";

  static final String LABEL = "label";
  static final String WEIGHT = "weight";
  private static final String PID = "_arbor_pid";
  private static final String PREFIX = "_arbor_";

  private final List<String> features;
  private final LossFunction lossFunction;
  private final SqlLoss loss;
  private final WeightLayout layout;

  /**
   * @param features the feature columns, in weight order (DOUBLE, non-null, finite)
   * @param loss the loss (its layout fixes the number of outputs and the intercept)
   * @throws IllegalArgumentException when a feature name is reserved or the loss expects another
   *     number of features
   */
  public SqlGradientPass(List<String> features, LossFunction loss) {
    for (String f : features) {
      if (f.equals(LABEL) || f.equals(WEIGHT) || f.equals("row_id") || f.startsWith(PREFIX)) {
        throw new IllegalArgumentException(
            "Invalid feature column name: " + f + " (reserved: row_id, label, weight, _arbor_*)");
      }
    }
    if (loss.layout().numFeatures() != features.size()) {
      throw new IllegalArgumentException(
          "Cannot build the gradient pass: the loss expects "
              + loss.layout().numFeatures()
              + " features but got: "
              + features.size());
    }
    this.features = List.copyOf(features);
    this.lossFunction = loss;
    this.loss = SqlLoss.of(loss);
    this.layout = loss.layout();
  }

  /** The number of weights: {@code K·d}, plus {@code K} with an intercept. */
  public int dimension() {
    return layout.dimension();
  }

  /** Where the weights sit. */
  public WeightLayout layout() {
    return layout;
  }

  /** The features, in weight order. */
  public List<String> features() {
    return features;
  }

  /** The loss. */
  public LossFunction loss() {
    return lossFunction;
  }

  /**
   * The rows of one mini-batch: those whose per-epoch hash {@code xxhash64(rowHash, epoch)} falls,
   * modulo {@code stepsPerEpoch}, in slice {@code step}. Every row is in exactly one batch per
   * epoch, and the batches of different epochs are independent reshuffles. {@code rows} must hold
   * {@link #ROW_HASH}.
   */
  public static Dataset<Row> batch(Dataset<Row> rows, MiniBatch batch) {
    Column permuted = xxhash64(col(ROW_HASH), lit(batch.epoch()));
    return rows.filter(
        pmod(permuted, lit((long) batch.stepsPerEpoch())).equalTo(lit((long) batch.step())));
  }

  /**
   * The aggregation of one pass at {@code weights}: one row per non-empty input partition with
   * columns partition id, {@code Σ wᵢ}, {@code Σ wᵢ·lossᵢ}, then the gradient sums in weight order.
   * Builds the plan only; nothing runs until the result is collected.
   *
   * @param rows holds {@code label}, {@code weight} and the feature columns
   * @param weights length {@link #dimension()}, finite
   */
  public Dataset<Row> aggregation(Dataset<Row> rows, double[] weights) {
    checkWeights(weights);
    int d = features.size();
    int numOutputs = layout.numOutputs();
    Column label = col(LABEL);

    List<Column> cols = new ArrayList<>();
    cols.add(spark_partition_id().as(PID));
    cols.add(label);
    cols.add(col(WEIGHT));
    features.forEach(f -> cols.add(col(f)));
    Column[] margins = new Column[numOutputs];
    for (int k = 0; k < numOutputs; k++) {
      cols.add(margin(weights, k).as(PREFIX + "m" + k));
      margins[k] = col(PREFIX + "m" + k);
    }
    Dataset<Row> withMargins = rows.select(cols.toArray(Column[]::new));

    Column[] aux = loss.auxiliary(label, margins);
    Column[] auxRefs = new Column[aux.length];
    List<Column> cols2 = new ArrayList<>(Arrays.asList(columnsOf(withMargins)));
    for (int a = 0; a < aux.length; a++) {
      cols2.add(aux[a].as(PREFIX + "a" + a));
      auxRefs[a] = col(PREFIX + "a" + a);
    }
    Dataset<Row> withAux = withMargins.select(cols2.toArray(Column[]::new));

    SqlLoss.Terms terms = loss.terms(label, margins, auxRefs);
    List<Column> cols3 = new ArrayList<>();
    cols3.add(col(PID));
    cols3.add(col(WEIGHT));
    features.forEach(f -> cols3.add(col(f)));
    cols3.add(col(WEIGHT).multiply(terms.loss()).as(PREFIX + "wl"));
    for (int k = 0; k < numOutputs; k++) {
      cols3.add(col(WEIGHT).multiply(terms.derivatives()[k]).as(PREFIX + "g" + k));
    }
    Dataset<Row> perRow = withAux.select(cols3.toArray(Column[]::new));

    List<Column> sums = new ArrayList<>();
    sums.add(sum(col(PREFIX + "wl")).as(PREFIX + "loss_sum"));
    for (int k = 0; k < numOutputs; k++) {
      Column g = col(PREFIX + "g" + k);
      for (int j = 0; j < d; j++) {
        sums.add(
            sum(g.multiply(col(features.get(j))))
                .as(PREFIX + "grad_" + layout.coefficientIndex(k, j)));
      }
    }
    if (layout.fitIntercept()) {
      for (int k = 0; k < numOutputs; k++) {
        sums.add(sum(col(PREFIX + "g" + k)).as(PREFIX + "grad_" + layout.interceptIndex(k)));
      }
    }
    return perRow
        .groupBy(col(PID))
        .agg(sum(col(WEIGHT)).as(PREFIX + "weight_sum"), sums.toArray(Column[]::new));
  }

  /**
   * Runs an {@link #aggregation} and adds its per-partition rows in partition order.
   *
   * @return the sums, or sums with zero weight when {@code rows} is empty
   */
  public Sums run(Dataset<Row> aggregation) {
    List<Row> parts = new ArrayList<>(aggregation.collectAsList());
    parts.sort(Comparator.comparingInt(r -> r.getInt(0)));
    int n = dimension();
    double weightSum = 0;
    double lossSum = 0;
    double[] gradient = new double[n];
    for (Row r : parts) {
      weightSum += r.getDouble(1);
      lossSum += r.getDouble(2);
      for (int i = 0; i < n; i++) {
        gradient[i] += r.getDouble(3 + i);
      }
    }
    return new Sums(weightSum, lossSum, gradient);
  }

  /**
   * The sums of one pass: {@code Σ wᵢ}, {@code Σ wᵢ·lossᵢ}, and {@code Σ wᵢ·∇lossᵢ} in weight
   * order.
   */
  public record Sums(double weightSum, double lossSum, double[] gradientSum) {
    /**
     * The weighted mean loss; writes the weighted mean gradient into {@code gradient}.
     *
     * @throws IllegalStateException when the total weight is not positive (no rows)
     */
    public double mean(double[] gradient) {
      if (!(weightSum > 0.0)) {
        throw new IllegalStateException(
            "Cannot compute the mean loss: the total instance weight is not positive: "
                + weightSum);
      }
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] = gradientSum[i] / weightSum;
      }
      return lossSum / weightSum;
    }
  }

  private Column margin(double[] weights, int k) {
    List<Column> terms = new ArrayList<>();
    for (int j = 0; j < features.size(); j++) {
      double w = weights[layout.coefficientIndex(k, j)];
      if (w != 0.0) {
        terms.add(col(features.get(j)).multiply(lit(w)));
      }
    }
    if (layout.fitIntercept()) {
      terms.add(lit(weights[layout.interceptIndex(k)]));
    }
    return terms.isEmpty() ? lit(0.0) : balancedSum(terms, 0, terms.size());
  }

  private static Column balancedSum(List<Column> terms, int from, int to) {
    if (to - from == 1) {
      return terms.get(from);
    }
    int mid = (from + to) >>> 1;
    return balancedSum(terms, from, mid).plus(balancedSum(terms, mid, to));
  }

  private void checkWeights(double[] weights) {
    if (weights.length != dimension()) {
      throw new IllegalArgumentException(
          "Cannot evaluate the objective: expected "
              + dimension()
              + " weights but got: "
              + weights.length);
    }
    for (int i = 0; i < weights.length; i++) {
      if (!Double.isFinite(weights[i])) {
        throw new IllegalArgumentException(
            "Cannot evaluate the objective: weight " + i + " is not finite: " + weights[i]);
      }
    }
  }

  private static Column[] columnsOf(Dataset<Row> df) {
    return Arrays.stream(df.columns()).map(c -> col(c)).toArray(Column[]::new);
  }

  @Override
  public String toString() {
    return "SqlGradientPass[" + loss + ", " + layout + "]";
  }
}

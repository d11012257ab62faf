package dev.arbor.train.sql;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.optim.StochasticFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training objective {@code Σ wᵢ·lossᵢ / Σ wᵢ} of a linear model evaluated with DataFrame
 * aggregations (the "sql" gradient backend): the GPU-eligible counterpart of the tree backend's
 * block/{@code treeAggregate} pass, which the RAPIDS Accelerator cannot run because it is RDD code.
 * Regularization is not part of it (optimizers add it on the driver).
 *
 * <p>Data: the prepared split's {@code label}, {@code weight} and feature columns plus {@link
 * SqlGradientPass#ROW_HASH} {@code = xxhash64(row_id, seed)}, selected once and cached (memory,
 * spilling to disk; on a RAPIDS cluster {@code ParquetCachedBatchSerializer} keeps the cache
 * columnar for the GPU). One evaluation is one aggregation job over the cache, see {@link
 * SqlGradientPass}.
 *
 * <p>Mini-batches: batch {@code (epoch, step, n)} is the rows whose {@code pmod(xxhash64(rowHash,
 * epoch), n) = step}; deterministic, each row in exactly one batch per epoch, reshuffled every
 * epoch, computed with GPU expressions (never {@code rand()}). Filtering still scans the cached
 * rows, but the margins, losses and sums (the cost) are evaluated on the batch rows only.
 *
 * <p><b>Wide inputs and Spark's code-generation limits.</b> A pass at {@code d} features and {@code
 * K} outputs has {@code K·d + K + 2} sums and {@code K} margins of {@code d} terms each.
 * Whole-stage code generation is disabled by Spark itself for plans wider than {@code
 * spark.sql.codegen.maxFields} (100) fields, so above ~100 features the operators run with
 * per-expression generated projections, which Spark splits into methods below the 64 KB JVM limit
 * (and below {@code spark.sql.codegen.hugeMethodLimit}); each margin is a balanced addition tree
 * (depth {@code log₂ d}) so no recursion is deep. The aggregation is therefore not split into
 * feature chunks: at 500 features (logistic and 3-class multinomial) the plan builds and runs as
 * one aggregation, measured in {@code SqlObjectiveWideTest} (figures in the report). RAPIDS does
 * not generate JVM code for its GPU operators, so these limits do not apply on the GPU.
 *
 * <p>Not thread-safe (optimizers call from one thread). {@link #close()} releases the cache.
 */
public final class SqlObjective implements StochasticFunction, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqlObjective.class);

  /** Whether the weights end with one intercept per output. */
  public enum Intercept {
    /** Fit an intercept per output (never regularized). */
    FIT,
    /** Margins pass through the origin. */
    NONE
  }

  private final SqlGradientPass pass;
  private final Dataset<Row> cached;
  private final long numExamples;

  private SqlObjective(SqlGradientPass pass, Dataset<Row> cached, long numExamples) {
    this.pass = pass;
    this.cached = cached;
    this.numExamples = numExamples;
  }

  /**
   * Selects and caches the columns the passes read, and counts the rows.
   *
   * @param split the prepared split: {@code row_id} STRING, {@code label} DOUBLE, {@code weight}
   *     DOUBLE (class weights already applied), and the feature columns (DOUBLE, finite)
   * @param features the feature columns in weight order
   * @param loss the loss
   * @param intercept whether to fit intercepts
   * @param seed seeds the row hash that mini-batches are drawn from
   */
  public static SqlObjective create(
      Dataset<Row> split, List<String> features, SqlLoss loss, Intercept intercept, long seed) {
    SqlGradientPass pass = new SqlGradientPass(features, loss, intercept);
    List<String> present = Arrays.asList(split.columns());
    List<String> required = new ArrayList<>(List.of("row_id", "label", "weight"));
    required.addAll(features);
    for (String c : required) {
      if (!present.contains(c)) {
        throw new IllegalArgumentException(
            "Cannot build the sql objective: the split has no column " + c + ": " + present);
      }
    }
    List<Column> cols = new ArrayList<>();
    cols.add(col("label"));
    cols.add(col("weight"));
    features.forEach(f -> cols.add(col(f)));
    cols.add(xxhash64(col("row_id"), lit(seed)).as(SqlGradientPass.ROW_HASH));
    Dataset<Row> cached =
        split.select(cols.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());
    long start = System.nanoTime();
    long rows = cached.count();
    LOG.info(
        "sql backend: cached {} rows × {} features ({} weights, loss {}) in {} ms",
        rows,
        features.size(),
        pass.dimension(),
        loss,
        (System.nanoTime() - start) / 1_000_000);
    return new SqlObjective(pass, cached, rows);
  }

  @Override
  public int dimension() {
    return pass.dimension();
  }

  @Override
  public long numExamples() {
    return numExamples;
  }

  @Override
  public double valueAndGradient(double[] weights, double[] gradient) {
    return evaluate(cached, weights, gradient);
  }

  @Override
  public double batchValueAndGradient(double[] weights, double[] gradient, MiniBatch batch) {
    return evaluate(SqlGradientPass.batch(cached, batch), weights, gradient);
  }

  /** The aggregation plan one full pass at {@code weights} runs (for explain and coverage). */
  public Dataset<Row> aggregation(double[] weights) {
    return pass.aggregation(cached, weights);
  }

  /** The cached rows: label, weight, features and {@link SqlGradientPass#ROW_HASH}. */
  public Dataset<Row> rows() {
    return cached;
  }

  /** The pass this objective runs. */
  public SqlGradientPass pass() {
    return pass;
  }

  private double evaluate(Dataset<Row> rows, double[] weights, double[] gradient) {
    if (gradient.length != dimension()) {
      throw new IllegalArgumentException(
          "Cannot write the gradient: expected an array of length "
              + dimension()
              + " but got: "
              + gradient.length);
    }
    long start = System.nanoTime();
    Dataset<Row> aggregation = pass.aggregation(rows, weights);
    long built = System.nanoTime();
    SqlGradientPass.Sums sums = pass.run(aggregation);
    double value = sums.mean(gradient);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "sql pass: build {} ms, run {} ms, weight {}, loss {}",
          (built - start) / 1_000_000,
          (System.nanoTime() - built) / 1_000_000,
          sums.weightSum(),
          value);
    }
    return value;
  }

  /** Releases the cached rows. */
  @Override
  public void close() {
    cached.unpersist();
  }

  @Override
  public String toString() {
    return "SqlObjective[loss=" + pass.loss() + ", features=" + pass.features().size() + "]";
  }
}

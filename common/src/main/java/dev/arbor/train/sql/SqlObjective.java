package dev.arbor.train.sql;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.DataValidationException;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.WeightLayout;
import dev.arbor.optim.StochasticFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training objective {@code Σ wᵢ·lossᵢ / Σ wᵢ} of a linear model evaluated with DataFrame
 * aggregations (the "sql" gradient backend): the GPU-eligible counterpart of the tree backend's
 * {@code DistributedObjective} (blocks and {@code treeAggregate}: RDD code, which the RAPIDS
 * Accelerator cannot run), with the same losses, weight layout, class weights and mean.
 * Regularization is not part of it (optimizers add it on the driver).
 *
 * <p>Data: the prepared split's {@code label}, {@code weight} (times the class multiplier of the
 * row's label) and feature columns plus {@link SqlGradientPass#ROW_HASH} {@code = xxhash64(row_id,
 * seed)} and {@link SqlGradientPass#GROUP} {@code = pmod(rowHash, n)} ({@code n} = the split's
 * partition count), selected once, hash-partitioned by the group and sorted by (group, row hash)
 * within partitions (one shuffle, at caching time), cached (memory, spilling to disk; on a RAPIDS
 * cluster {@code ParquetCachedBatchSerializer} keeps the cache columnar for the GPU) and validated
 * in one aggregation (finite features, labels that fit the loss, finite weights >= 0, as the tree
 * backend checks). Because the cache is partitioned by the group, one evaluation is a single-stage
 * job: scan, projections and the grouped aggregation, with no shuffle (see {@link
 * SqlGradientPass}); and because the groups and their row order depend on the rows only (not on how
 * the input was read or on shuffle arrival order), the CPU result is bit-identical across runs.
 *
 * <p>Mini-batches: batch {@code (epoch, step, n)} is the rows whose {@code pmod(xxhash64(rowHash,
 * epoch), n) = step}; deterministic, each row in exactly one batch per epoch, reshuffled every
 * epoch, computed with GPU expressions (never {@code rand()}). The filter still scans the cached
 * rows, but margins, losses and sums (the cost of a pass) are computed for the batch rows only.
 * Batch sizes vary binomially around {@code n_rows/n}; an empty batch is an error, as in the tree
 * backend.
 *
 * <p><b>Wide inputs and Spark's code-generation limits.</b> A pass at {@code d} features and {@code
 * K} outputs has {@code K·d + K + 2} sums and {@code K} margins of {@code d} terms each. Spark
 * itself disables whole-stage code generation for plans wider than {@code
 * spark.sql.codegen.maxFields} (100) fields, so above ~100 features the operators run with
 * per-operator generated projections, which Spark splits into methods below the 64 KB JVM limit
 * (and {@code spark.sql.codegen.hugeMethodLimit}); each margin is a balanced addition tree (depth
 * {@code log₂ d}), so neither analysis nor code generation recurses deeply. The aggregation is
 * therefore not split into feature chunks: at 500 features (logistic: 503 sums; 3-class
 * multinomial: 1505 sums) it builds and runs as one aggregation, with no CPU fallback in RAPIDS'
 * plan, and matches the reference to 1e-12 ({@code SqlObjectiveWideTest}). On the CPU a wide pass
 * costs seconds, for Spark's per-task code generation for wide rows and a new compilation per
 * weight vector (the weights are literals), not for the arithmetic, which is why {@code
 * train.backend = auto} keeps the tree backend on CPU clusters (measured timings: {@code
 * docs/benchmarks.md}). RAPIDS does not generate JVM code for GPU operators, so these limits and
 * costs do not apply on the GPU.
 *
 * <p>Not thread-safe (optimizers call from one thread). {@link #close()} releases the cache.
 */
public final class SqlObjective implements StochasticFunction, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqlObjective.class);

  private final SqlGradientPass pass;
  private final Dataset<Row> cached;
  private final long numExamples;

  private SqlObjective(SqlGradientPass pass, Dataset<Row> cached, long numExamples) {
    this.pass = pass;
    this.cached = cached;
    this.numExamples = numExamples;
  }

  /**
   * Selects, caches and validates the columns the passes read.
   *
   * @param split the prepared split: {@code row_id} STRING, {@code label} DOUBLE, {@code weight}
   *     DOUBLE, and the feature columns (DOUBLE, finite)
   * @param features the feature columns in weight order
   * @param loss the loss (its layout fixes outputs and intercept)
   * @param classMultipliers per class index, multiplies the weight of the rows of that class (the
   *     tree backend's {@code ClassWeights.multipliers}); {@code null} for none
   * @param seed seeds the row hash that mini-batches are drawn from
   * @throws DataValidationException when a column is missing or not DOUBLE, or a value is invalid
   */
  public static SqlObjective create(
      Dataset<Row> split,
      List<String> features,
      LossFunction loss,
      double[] classMultipliers,
      long seed) {
    SqlGradientPass pass = new SqlGradientPass(features, loss);
    checkSchema(split, features);
    int numClasses = loss.numClasses();
    if (classMultipliers != null && classMultipliers.length != numClasses) {
      throw new IllegalArgumentException(
          "Cannot apply class weights: expected "
              + numClasses
              + " multipliers but got: "
              + classMultipliers.length);
    }
    Column weight = col(SqlGradientPass.WEIGHT);
    if (classMultipliers != null) {
      Column m = when(col(SqlGradientPass.LABEL).equalTo(lit(0.0)), lit(classMultipliers[0]));
      for (int k = 1; k < classMultipliers.length; k++) {
        m = m.when(col(SqlGradientPass.LABEL).equalTo(lit((double) k)), lit(classMultipliers[k]));
      }
      weight = weight.multiply(m.otherwise(lit(1.0)));
    }
    List<Column> cols = new ArrayList<>();
    cols.add(col(SqlGradientPass.LABEL));
    cols.add(weight.as(SqlGradientPass.WEIGHT));
    features.forEach(f -> cols.add(col(f)));
    cols.add(xxhash64(col("row_id"), lit(seed)).as(SqlGradientPass.ROW_HASH));
    int groups = Math.max(1, split.javaRDD().getNumPartitions());
    Column group = pmod(col(SqlGradientPass.ROW_HASH), lit((long) groups));
    Dataset<Row> cached =
        split
            .select(cols.toArray(Column[]::new))
            .withColumn(SqlGradientPass.GROUP, group)
            .repartition(groups, col(SqlGradientPass.GROUP))
            .sortWithinPartitions(col(SqlGradientPass.GROUP), col(SqlGradientPass.ROW_HASH))
            .persist(StorageLevel.MEMORY_AND_DISK());
    long start = System.nanoTime();
    long rows;
    try {
      rows = validate(cached, features, numClasses);
    } catch (RuntimeException e) {
      cached.unpersist();
      throw e;
    }
    LOG.info(
        "sql backend: cached and validated {} rows × {} features ({} weights, loss {}, class"
            + " multipliers {}) in {} ms",
        rows,
        features.size(),
        pass.dimension(),
        loss.name(),
        classMultipliers == null ? "none" : Arrays.toString(classMultipliers),
        (System.nanoTime() - start) / 1_000_000);
    return new SqlObjective(pass, cached, rows);
  }

  @Override
  public int dimension() {
    return pass.dimension();
  }

  /** Where the weights sit; {@link WeightLayout#isIntercept} tells regularization what to skip. */
  public WeightLayout layout() {
    return pass.layout();
  }

  @Override
  public long numExamples() {
    return numExamples;
  }

  @Override
  public double valueAndGradient(double[] weights, double[] gradient) {
    return evaluate(cached, weights, gradient, "full pass");
  }

  @Override
  public double batchValueAndGradient(double[] weights, double[] gradient, MiniBatch batch) {
    return evaluate(SqlGradientPass.batch(cached, batch), weights, gradient, "batch " + batch);
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

  private double evaluate(Dataset<Row> rows, double[] weights, double[] gradient, String what) {
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
    if (!(sums.weightSum() > 0)) {
      throw new IllegalStateException(
          "Cannot evaluate the "
              + what
              + ": it holds no rows with positive weight; use fewer steps per epoch");
    }
    double value = sums.mean(gradient);
    LOG.debug(
        "sql pass ({}): build {} ms, run {} ms, weight {}, loss {}",
        what,
        (built - start) / 1_000_000,
        (System.nanoTime() - built) / 1_000_000,
        sums.weightSum(),
        value);
    return value;
  }

  /** Releases the cached rows. */
  @Override
  public void close() {
    cached.unpersist();
  }

  @Override
  public String toString() {
    return "SqlObjective[" + pass + ", rows=" + numExamples + "]";
  }

  private static void checkSchema(Dataset<Row> split, List<String> features) {
    List<String> required = new ArrayList<>(List.of("row_id", "label", "weight"));
    required.addAll(features);
    for (String c : required) {
      StructField field =
          Arrays.stream(split.schema().fields())
              .filter(f -> f.name().equals(c))
              .findFirst()
              .orElseThrow(
                  () ->
                      new DataValidationException(
                          "Cannot build the sql objective: column '"
                              + c
                              + "' is missing from the split"));
      DataType expected = c.equals("row_id") ? DataTypes.StringType : DataTypes.DoubleType;
      if (!field.dataType().equals(expected)) {
        throw new DataValidationException(
            "Invalid type of column '"
                + c
                + "': "
                + field.dataType().simpleString()
                + " (expected "
                + expected.simpleString()
                + ")");
      }
    }
  }

  /**
   * Counts the rows and the invalid values of every column in one aggregation (which also
   * materializes the cache); throws for the first invalid column, naming one offending value.
   */
  private static long validate(Dataset<Row> rows, List<String> features, int numClasses) {
    List<Column> checks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Column> conditions = new ArrayList<>();
    for (String f : features) {
      names.add(f);
      conditions.add(notFinite(col(f)));
    }
    Column label = col(SqlGradientPass.LABEL);
    names.add(SqlGradientPass.LABEL);
    conditions.add(
        numClasses == 0
            ? notFinite(label)
            : label
                .isNull()
                .or(isnan(label))
                .or(label.lt(lit(0.0)))
                .or(label.geq(lit((double) numClasses)))
                .or(label.notEqual(floor(label))));
    Column weight = col(SqlGradientPass.WEIGHT);
    names.add(SqlGradientPass.WEIGHT);
    conditions.add(notFinite(weight).or(weight.lt(lit(0.0))));
    for (Column c : conditions) {
      checks.add(sum(when(c, lit(1L)).otherwise(lit(0L))));
    }
    Row counts = rows.agg(count(lit(1)), checks.toArray(Column[]::new)).first();
    for (int i = 0; i < names.size(); i++) {
      if (counts.getLong(1 + i) > 0) {
        String name = names.get(i);
        Object value = rows.filter(conditions.get(i)).select(col(name)).first().get(0);
        String expected =
            i < features.size()
                ? "a finite double"
                : name.equals(SqlGradientPass.WEIGHT)
                    ? "a finite number >= 0"
                    : numClasses == 0
                        ? "a finite number"
                        : "a class index 0"
                            + (numClasses == 2 ? " or 1" : " to " + (numClasses - 1));
        throw new DataValidationException(
            "Invalid value in "
                + (i < features.size() ? "feature column '" : "column '")
                + name
                + "': "
                + value
                + " (expected "
                + expected
                + "; "
                + counts.getLong(1 + i)
                + " invalid rows)");
      }
    }
    return counts.getLong(0);
  }

  private static Column notFinite(Column c) {
    return c.isNull().or(isnan(c)).or(abs(c).equalTo(lit(Double.POSITIVE_INFINITY)));
  }
}

package dev.arbor.train.data;

import dev.arbor.ArborException;
import dev.arbor.DataValidationException;
import dev.arbor.ExitCode;
import dev.arbor.loss.Block;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training split converted once into cached per-partition {@link Block}s.
 *
 * <p>Each Spark partition of the input becomes a sequence of blocks of {@code blockSize} rows (the
 * last one shorter), in the order the partition's rows are read, so the conversion is deterministic
 * for a deterministic input. Features are stored as float32 or float64 ({@link Precision}); labels
 * and weights as double, with the class multipliers of {@link ClassWeights} already applied to the
 * weights. Values are validated while converting (non-null, finite features; labels valid for the
 * task; finite weights {@code >= 0}).
 *
 * <p>The blocks are cached ({@code MEMORY_AND_DISK} by default) and materialized by {@link #build};
 * rows, features, partitions, blocks and cached bytes are logged. {@link #close()} unpersists them.
 * Several objectives (for example the candidates of a model selection) may share one instance.
 */
public final class TrainingBlocks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingBlocks.class);

  /** The columns every prepared split has besides its features. */
  public static final String LABEL = "label";

  public static final String WEIGHT = "weight";

  private final JavaRDD<Block> blocks;
  private final List<String> featureNames;
  private final Precision precision;
  private final int blockSize;
  private final int numClasses;
  private final double[] classMultipliers;
  private final long[] rowsPerPartition;
  private final long numRows;
  private final long numBlocks;
  private final double weightSum;
  private final long payloadBytes;
  private final long cachedBytes;

  private TrainingBlocks(
      JavaRDD<Block> blocks,
      List<String> featureNames,
      Precision precision,
      int blockSize,
      int numClasses,
      double[] classMultipliers,
      List<PartitionStats> stats) {
    this.blocks = blocks;
    this.featureNames = List.copyOf(featureNames);
    this.precision = precision;
    this.blockSize = blockSize;
    this.numClasses = numClasses;
    this.classMultipliers = classMultipliers;
    this.rowsPerPartition = new long[stats.size()];
    long rows = 0;
    long nb = 0;
    long bytes = 0;
    double w = 0;
    for (PartitionStats s : stats) {
      rowsPerPartition[s.partition] = s.rows;
      rows += s.rows;
      nb += s.blocks;
      bytes += s.payloadBytes;
      w += s.weightSum;
    }
    this.numRows = rows;
    this.numBlocks = nb;
    this.payloadBytes = bytes;
    this.weightSum = w;
    this.cachedBytes = storedBytes(blocks);
  }

  /**
   * Converts, caches ({@code MEMORY_AND_DISK}) and materializes the blocks of {@code split}.
   *
   * @param split a prepared split: DOUBLE columns {@code label}, {@code weight} and the features
   * @param featureNames the feature columns, in weight order
   * @param numClasses {@code K >= 2} for classification (labels must be {@code 0 … K−1}), {@code 0}
   *     for regression (labels must be finite)
   * @param classWeights class multipliers (must be {@link ClassWeights#none()} for regression)
   * @param blockSize rows per block, {@code >= 1}
   * @param precision feature storage precision
   * @throws DataValidationException when a column is missing or not DOUBLE, or a value is invalid
   */
  public static TrainingBlocks build(
      Dataset<Row> split,
      List<String> featureNames,
      int numClasses,
      ClassWeights classWeights,
      int blockSize,
      Precision precision) {
    return build(
        split,
        featureNames,
        numClasses,
        classWeights,
        blockSize,
        precision,
        StorageLevel.MEMORY_AND_DISK());
  }

  /** As {@link #build(Dataset, List, int, ClassWeights, int, Precision)} with a storage level. */
  public static TrainingBlocks build(
      Dataset<Row> split,
      List<String> featureNames,
      int numClasses,
      ClassWeights classWeights,
      int blockSize,
      Precision precision,
      StorageLevel storageLevel) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("Invalid block size: " + blockSize + " (expected >= 1)");
    }
    if (numClasses == 1 || numClasses < 0) {
      throw new IllegalArgumentException(
          "Invalid number of classes: " + numClasses + " (expected 0 for regression or >= 2)");
    }
    if (numClasses == 0 && classWeights.mode() != ClassWeights.Mode.NONE) {
      throw new IllegalArgumentException(
          "Cannot apply class weights: the task is a regression: " + classWeights);
    }
    checkSchema(split, featureNames);
    long started = System.nanoTime();
    double[] multipliers = null;
    if (numClasses > 0) {
      long[] counts = classWeights.needsCounts() ? classCounts(split, numClasses) : null;
      multipliers = classWeights.multipliers(numClasses, counts);
    }
    List<Column> columns = new ArrayList<>();
    for (String f : featureNames) {
      columns.add(functions.col(quote(f)));
    }
    columns.add(functions.col(LABEL));
    columns.add(functions.col(WEIGHT));
    Dataset<Row> selected = split.select(columns.toArray(new Column[0]));
    JavaRDD<Block> blocks =
        selected
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(
                new ToBlocks(featureNames, blockSize, precision, numClasses, multipliers), true);
    blocks.persist(storageLevel);
    blocks.setName("arbor training blocks (" + precision.configName() + ")");
    List<PartitionStats> stats;
    try {
      stats = blocks.mapPartitionsWithIndex(TrainingBlocks::statsOf, true).collect();
    } catch (Exception e) { // Spark's Java API throws the checked SparkException undeclared
      blocks.unpersist(false);
      throw unwrapValidation(e);
    }
    TrainingBlocks result =
        new TrainingBlocks(
            blocks, featureNames, precision, blockSize, numClasses, multipliers, stats);
    if (!(result.weightSum > 0)) {
      result.close();
      throw new DataValidationException(
          "Cannot train on the split: its total weight is not positive ("
              + result.numRows
              + " rows, weight sum "
              + result.weightSum
              + ")");
    }
    LOG.info(
        "Training blocks: {} rows, {} features, {} partitions, {} blocks of <= {} rows, {},"
            + " weight sum {}, class multipliers {}, payload {} bytes, cached {} bytes ({}),"
            + " built in {} ms",
        result.numRows,
        featureNames.size(),
        result.numPartitions(),
        result.numBlocks,
        blockSize,
        precision.configName(),
        result.weightSum,
        multipliers == null ? "n/a" : java.util.Arrays.toString(multipliers),
        result.payloadBytes,
        result.cachedBytes,
        storageLevel.description(),
        (System.nanoTime() - started) / 1_000_000);
    return result;
  }

  private static void checkSchema(Dataset<Row> split, List<String> featureNames) {
    Set<String> seen = new HashSet<>();
    for (String f : featureNames) {
      if (f.equals(LABEL) || f.equals(WEIGHT) || f.equals("row_id")) {
        throw new DataValidationException(
            "Invalid feature column name: '"
                + f
                + "' (expected a name other than row_id/label/weight)");
      }
      if (!seen.add(f)) {
        throw new DataValidationException(
            "Cannot build training blocks: feature column listed twice: '" + f + "'");
      }
    }
    List<String> required = new ArrayList<>(featureNames);
    required.add(LABEL);
    required.add(WEIGHT);
    for (String c : required) {
      StructField field = find(split, c);
      if (field == null) {
        throw new DataValidationException(
            "Cannot build training blocks: column '" + c + "' is missing from the split");
      }
      DataType type = field.dataType();
      if (!type.equals(DataTypes.DoubleType)) {
        throw new DataValidationException(
            "Invalid type of column '" + c + "': " + type.simpleString() + " (expected double)");
      }
    }
  }

  private static StructField find(Dataset<Row> split, String name) {
    for (StructField f : split.schema().fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static long[] classCounts(Dataset<Row> split, int numClasses) {
    long[] counts = new long[numClasses];
    List<Row> rows = split.groupBy(LABEL).count().limit(numClasses + 1).collectAsList();
    for (Row r : rows) {
      Object label = r.get(0);
      double y = label == null ? Double.NaN : (Double) label;
      if (!validLabel(y, numClasses)) {
        throw invalidLabel(label, numClasses);
      }
      counts[(int) y] = r.getLong(1);
    }
    return counts;
  }

  static boolean validLabel(double y, int numClasses) {
    if (numClasses == 0) {
      return Double.isFinite(y);
    }
    return y >= 0 && y < numClasses && y == Math.rint(y);
  }

  static DataValidationException invalidLabel(Object value, int numClasses) {
    return new DataValidationException(
        "Invalid value in column '"
            + LABEL
            + "': "
            + value
            + " (expected "
            + (numClasses == 0
                ? "a finite number"
                : "a class index 0" + (numClasses == 2 ? " or 1" : " to " + (numClasses - 1)))
            + ")");
  }

  /** The validation error a task threw (its message, with the driver's stack), else {@code e}. */
  private static RuntimeException unwrapValidation(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataValidationException dve) {
        return new DataValidationException(dve.getMessage(), e);
      }
    }
    if (e instanceof RuntimeException re) {
      return re;
    }
    return new ArborException(
        ExitCode.FAILURE, "Cannot build training blocks: " + e.getMessage(), e);
  }

  private static long storedBytes(JavaRDD<Block> rdd) {
    for (RDDInfo info : rdd.context().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        return info.memSize() + info.diskSize();
      }
    }
    return 0;
  }

  private static Iterator<PartitionStats> statsOf(int partition, Iterator<Block> it) {
    PartitionStats s = new PartitionStats(partition);
    while (it.hasNext()) {
      Block b = it.next();
      s.rows += b.numRows();
      s.blocks++;
      s.payloadBytes += b.payloadBytes();
      for (double w : b.weights()) {
        s.weightSum += w;
      }
    }
    return Collections.singletonList(s).iterator();
  }

  /** The cached blocks, one RDD partition per input partition. Read-only: do not unpersist. */
  public JavaRDD<Block> rdd() {
    return blocks;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public int numFeatures() {
    return featureNames.size();
  }

  public Precision precision() {
    return precision;
  }

  public int blockSize() {
    return blockSize;
  }

  /** {@code K} for classification, {@code 0} for regression. */
  public int numClasses() {
    return numClasses;
  }

  /** The class multipliers applied to the weights (a copy), or {@code null} for regression. */
  public double[] classMultipliers() {
    return classMultipliers == null ? null : classMultipliers.clone();
  }

  public int numPartitions() {
    return rowsPerPartition.length;
  }

  /** Rows in partition {@code p}. */
  public long rowsInPartition(int p) {
    return rowsPerPartition[p];
  }

  public long numRows() {
    return numRows;
  }

  public long numBlocks() {
    return numBlocks;
  }

  /** {@code Σ wᵢ} after class multipliers. */
  public double weightSum() {
    return weightSum;
  }

  /** The bytes of the block arrays (our own count). */
  public long payloadBytes() {
    return payloadBytes;
  }

  /**
   * The bytes Spark's block manager reports for the cached RDD (memory + disk) after building. For
   * deserialized storage levels Spark extrapolates this from samples (it can be off by tens of
   * percent); for serialized levels it is exact.
   */
  public long cachedBytes() {
    return cachedBytes;
  }

  /** Unpersists the blocks (non-blocking). Objectives over them must not be called afterwards. */
  @Override
  public void close() {
    blocks.unpersist(false);
  }

  private static final class PartitionStats implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final int partition;
    long rows;
    long blocks;
    long payloadBytes;
    double weightSum;

    PartitionStats(int partition) {
      this.partition = partition;
    }
  }

  /** Streams one partition's rows into blocks, validating every value. */
  private static final class ToBlocks implements FlatMapFunction<Iterator<InternalRow>, Block> {
    private static final long serialVersionUID = 1L;
    private final String[] names;
    private final int blockSize;
    private final Precision precision;
    private final int numClasses;
    private final double[] multipliers;

    ToBlocks(
        List<String> names,
        int blockSize,
        Precision precision,
        int numClasses,
        double[] multipliers) {
      this.names = names.toArray(new String[0]);
      this.blockSize = blockSize;
      this.precision = precision;
      this.numClasses = numClasses;
      this.multipliers = multipliers;
    }

    @Override
    public Iterator<Block> call(Iterator<InternalRow> rows) {
      int d = names.length;
      BlockBuilder builder = new BlockBuilder(d, blockSize, precision);
      return new Iterator<>() {
        private Block next;
        private boolean done;

        @Override
        public boolean hasNext() {
          while (next == null && !done) {
            if (!rows.hasNext()) {
              next = builder.finish();
              done = true;
            } else {
              next = addRow(builder, rows.next(), d);
            }
          }
          return next != null;
        }

        @Override
        public Block next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Block b = next;
          next = null;
          return b;
        }
      };
    }

    private Block addRow(BlockBuilder builder, InternalRow row, int d) {
      for (int j = 0; j < d; j++) {
        if (row.isNullAt(j)) {
          throw invalidValue(names[j], null);
        }
        double v = row.getDouble(j);
        if (!Double.isFinite(v)) {
          throw invalidValue(names[j], v);
        }
        builder.setFeature(j, v);
      }
      if (row.isNullAt(d)) {
        throw invalidLabel(null, numClasses);
      }
      double y = row.getDouble(d);
      if (!validLabel(y, numClasses)) {
        throw invalidLabel(y, numClasses);
      }
      double w = row.isNullAt(d + 1) ? Double.NaN : row.getDouble(d + 1);
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new DataValidationException(
            "Invalid value in column '"
                + WEIGHT
                + "': "
                + (row.isNullAt(d + 1) ? "null" : w)
                + " (expected a finite number >= 0)");
      }
      if (multipliers != null) {
        w *= multipliers[(int) y];
      }
      return builder.endRow(y, w);
    }

    private static DataValidationException invalidValue(String column, Object value) {
      return new DataValidationException(
          "Invalid value in feature column '"
              + column
              + "': "
              + value
              + " (expected a finite double)");
    }
  }
}

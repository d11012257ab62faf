package dev.arbor.bench;

import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.LogisticLoss;
import dev.arbor.train.data.ClassWeights;
import dev.arbor.train.data.Precision;
import dev.arbor.train.data.TrainingBlocks;
import dev.arbor.train.pass.DistributedObjective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Times one full gradient pass (logistic loss with intercept) over generated dense data: builds the
 * blocks once, then reports the median of several passes, the block build time and the cached
 * bytes, for each requested precision.
 *
 * <p>Run (from the project root, after {@code mvn -o -q -pl common test-compile}):
 *
 * <pre>
 * java -Xmx10g $SPARK_JVM_FLAGS -cp common/target/classes:common/target/test-classes:$(cat cp.txt) \
 *   dev.arbor.bench.GradientPassBench --rows 2000000 --features 100 --partitions 2 \
 *   --precision float32,float64 --repeats 5 [--storage MEMORY_AND_DISK_SER] [--block-size 4096]
 * </pre>
 *
 * Other drivers (e.g. {@code scripts/bench-train}) call {@link #generate} and {@link #run} with
 * their own session.
 */
public final class GradientPassBench {
  private GradientPassBench() {}

  /** What to measure. */
  public record Options(
      long rows,
      int features,
      int partitions,
      int blockSize,
      Precision precision,
      StorageLevel storage,
      int repeats,
      long seed) {}

  /** What was measured; times in milliseconds. */
  public record Result(
      Options options,
      long buildMillis,
      long cachedBytes,
      long payloadBytes,
      double[] passMillis,
      double medianPassMillis,
      double medianPassCpuMillis,
      double loss) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "rows=%d features=%d partitions=%d precision=%s storage=%s block=%d: build %d ms,"
              + " cached %.1f MB (payload %.1f MB), pass median %.0f ms %s (process CPU %.0f ms),"
              + " loss %.6f",
          options.rows(),
          options.features(),
          options.partitions(),
          options.precision().configName(),
          options.storage().description(),
          options.blockSize(),
          buildMillis,
          cachedBytes / 1e6,
          payloadBytes / 1e6,
          medianPassMillis,
          Arrays.toString(Arrays.stream(passMillis).map(Math::rint).toArray()),
          medianPassCpuMillis,
          loss);
    }
  }

  /**
   * A prepared-split-shaped frame: {@code label} (0/1 from a logistic model), {@code weight} = 1
   * and features {@code f_0 … f_{d−1}} uniform in [−1, 1), deterministic for the seed and partition
   * count.
   */
  public static Dataset<Row> generate(
      SparkSession spark, long rows, int features, int partitions, long seed) {
    List<Column> cols = new ArrayList<>();
    Column margin = functions.lit(0.25);
    for (int j = 0; j < features; j++) {
      Column f = functions.rand(seed + j).multiply(2).minus(1);
      cols.add(f.as("f_" + j));
      margin = margin.plus(functions.col("f_" + j).multiply((j % 7 - 3) / 3.0));
    }
    Dataset<Row> x = spark.range(0, rows, 1, partitions).select(cols.toArray(new Column[0]));
    Column p =
        functions.lit(1.0).divide(functions.lit(1.0).plus(functions.exp(margin.multiply(-1))));
    Column label = functions.when(functions.rand(seed - 1).lt(p), 1.0).otherwise(0.0).as("label");
    List<Column> out = new ArrayList<>();
    out.add(label);
    out.add(functions.lit(1.0).as("weight"));
    for (int j = 0; j < features; j++) {
      out.add(functions.col("f_" + j));
    }
    return x.select(out.toArray(new Column[0]));
  }

  /** Builds blocks of {@code split} per the options, times the passes, unpersists the blocks. */
  public static Result run(Dataset<Row> split, Options o) {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < o.features(); j++) {
      names.add("f_" + j);
    }
    long t0 = System.nanoTime();
    try (TrainingBlocks blocks =
        TrainingBlocks.build(
            split, names, 2, ClassWeights.none(), o.blockSize(), o.precision(), o.storage())) {
      long build = (System.nanoTime() - t0) / 1_000_000;
      LossFunction loss = new LogisticLoss(o.features(), true);
      DistributedObjective f = new DistributedObjective(blocks, loss, 0, o.seed());
      double[] w = new double[f.dimension()];
      for (int i = 0; i < w.length; i++) {
        w[i] = 0.01 * ((i % 5) - 2);
      }
      double[] g = new double[w.length];
      double value = f.valueAndGradient(w, g); // two warm-up passes (JIT), not timed
      value = f.valueAndGradient(w, g);
      double[] times = new double[o.repeats()];
      double[] cpu = new double[o.repeats()];
      for (int r = 0; r < o.repeats(); r++) {
        long s = System.nanoTime();
        long c = processCpuNanos();
        value = f.valueAndGradient(w, g);
        times[r] = (System.nanoTime() - s) / 1e6;
        cpu[r] = (processCpuNanos() - c) / 1e6;
      }
      return new Result(
          o,
          build,
          blocks.cachedBytes(),
          blocks.payloadBytes(),
          times,
          median(times),
          median(cpu),
          value);
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** CPU time of this JVM (all threads): wall time alone misleads on a shared machine. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  public static void main(String[] args) {
    long rows = 2_000_000;
    int features = 100;
    int partitions = 2;
    int blockSize = 4096;
    int repeats = 5;
    String storage = "MEMORY_AND_DISK";
    List<Precision> precisions = List.of(Precision.FLOAT32, Precision.FLOAT64);
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(v);
        case "--features" -> features = Integer.parseInt(v);
        case "--partitions" -> partitions = Integer.parseInt(v);
        case "--block-size" -> blockSize = Integer.parseInt(v);
        case "--repeats" -> repeats = Integer.parseInt(v);
        case "--storage" -> storage = v;
        case "--precision" ->
            precisions =
                Arrays.stream(v.split(","))
                    .map(s -> Precision.valueOf(s.trim().toUpperCase(Locale.ROOT)))
                    .toList();
        default -> throw new IllegalArgumentException("Invalid option: " + args[i]);
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("arbor-gradient-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      Dataset<Row> split = generate(spark, rows, features, partitions, 7);
      for (Precision p : precisions) {
        Options o =
            new Options(
                rows,
                features,
                partitions,
                blockSize,
                p,
                StorageLevel.fromString(storage),
                repeats,
                7);
        System.out.println(run(split, o));
      }
    } finally {
      spark.stop();
    }
  }
}

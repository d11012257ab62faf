package dev.arbor.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The data of {@code scripts/bench-scale}: N rows × F numeric features, written as Parquet by Spark
 * (never through the driver), the same bits for the same (N, F, seed) whatever the partitioning:
 * every value is a function of the row number i and the seed only (xxHash64 of (seed, column, i)).
 *
 * <p>Columns: {@code id} BIGINT (i + 1), {@code x0} … {@code x<F-1>} DOUBLE, {@code label} INT.
 * With g_j = √12·(u_j − 1/2) (u_j uniform in [0, 1) from the hash: mean 0, variance 1), x_j = j +
 * (1 + j mod 5)·g_j, and the label is Bernoulli(sigmoid(z)), z = {@link #INTERCEPT} + Σ w_j·g_j,
 * w_j = 0.1·((j mod 7) − 3).
 *
 * <p>So that prepare rejects and imputes: x0 is null for ~1% of the rows (imputed), and for every i
 * ≡ 17 (mod 100,003) the label is null, every i ≡ 5 (mod 200,003) has x1 = NaN, and every i ≡ 999
 * (mod 1,000,003) repeats the id of row i − 1 (both rows are rejected as duplicate ids).
 *
 * <p>Usage: {@code ScaleData <output dir> <rows> <features> [seed]}; does nothing when the output
 * already has its {@code _SUCCESS} marker.
 */
public final class ScaleData {
  /** Intercept of the true logit. */
  public static final double INTERCEPT = -0.3;

  private static final double TWO_POW_53 = 0x1p53;

  private ScaleData() {}

  /** The true weight of standardized feature j. */
  public static double weight(int j) {
    return 0.1 * ((j % 7) - 3);
  }

  /** The generated rows (a plan). */
  public static Dataset<Row> plan(SparkSession spark, long rows, int features, long seed) {
    int partitions = (int) Math.max(2, Math.min(400, rows / 500_000));
    Dataset<Row> df = spark.range(0, rows, 1, partitions).withColumnRenamed("id", "i");
    List<Column> cols = new ArrayList<>();
    Column i = col("i");
    cols.add(
        when(pmod(i, lit(1_000_003L)).equalTo(lit(999L)), i).otherwise(i.plus(lit(1L))).as("id"));
    Column z = lit(INTERCEPT);
    for (int j = 0; j < features; j++) {
      Column g = uniform(seed, "g" + j, i).minus(lit(0.5)).multiply(lit(Math.sqrt(12.0)));
      z = z.plus(g.multiply(lit(weight(j))));
      Column x = lit((double) j).plus(g.multiply(lit(1.0 + j % 5)));
      if (j == 0) {
        x = when(uniform(seed, "null0", i).lt(lit(0.01)), lit(null).cast("double")).otherwise(x);
      } else if (j == 1) {
        x = when(pmod(i, lit(200_003L)).equalTo(lit(5L)), lit(Double.NaN)).otherwise(x);
      }
      cols.add(x.as("x" + j));
    }
    Column p = lit(1.0).divide(lit(1.0).plus(exp(z.multiply(lit(-1.0)))));
    Column label =
        when(pmod(i, lit(100_003L)).equalTo(lit(17L)), lit(null).cast("int"))
            .when(uniform(seed, "label", i).lt(p), lit(1))
            .otherwise(lit(0));
    cols.add(label.as("label"));
    return df.select(cols.toArray(Column[]::new));
  }

  /** Uniform in [0, 1), 53 bits of xxHash64(seed, stream, i). */
  private static Column uniform(long seed, String stream, Column i) {
    return shiftrightunsigned(xxhash64(lit(seed), lit(stream), i), 11)
        .cast("double")
        .divide(lit(TWO_POW_53));
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException("Usage: ScaleData <output dir> <rows> <features> [seed]");
    }
    String out = args[0];
    long rows = Long.parseLong(args[1]);
    int features = Integer.parseInt(args[2]);
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 7L;
    SparkSession spark =
        SparkSession.builder()
            .appName("arbor-bench-scale-data")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      Path success = new Path(out, "_SUCCESS");
      FileSystem fs = success.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(success)) {
        System.out.println("data exists: " + out);
        return;
      }
      long start = System.nanoTime();
      plan(spark, rows, features, seed).write().mode("overwrite").parquet(out);
      System.out.printf(
          java.util.Locale.ROOT,
          "generated %d rows x %d features in %.1f s -> %s%n",
          rows,
          features,
          (System.nanoTime() - start) / 1e9,
          out);
    } finally {
      spark.stop();
    }
  }
}

package dev.arbor.demo;

import dev.arbor.store.StagedOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic synthetic binary-classification dataset: the same {@link DemoSettings} give the
 * same rows, bit for bit.
 *
 * <p>Columns: {@code id} BIGINT, {@code age} INT (18-80, ~2% missing), {@code income} DOUBLE
 * (thousands, log-normal around 45, ~3% missing), {@code score} DOUBLE (standard normal), {@code
 * tenure} INT (months, 0-120), {@code segment} STRING (A-E, ~1% missing), {@code region} STRING
 * (R01-R30, Zipf-like: more than the default top-20, so "other" is used; no effect on the label),
 * {@code channel} INT (1-3, a categorical coded as integers), {@code label} INT (0/1).
 *
 * <p>The label is drawn as Bernoulli(sigmoid(z)) from the complete values, before values are masked
 * as missing, with z = {@link #INTERCEPT} + {@link #COEF_AGE}·(age − 45) + {@link
 * #COEF_INCOME}·(income − 50) + {@link #COEF_SCORE}·score + {@link #COEF_TENURE}·(tenure − 60) +
 * {@link #SEGMENT_EFFECT}[segment] + {@link #CHANNEL_EFFECT}[channel].
 *
 * <p>Invalid rows, at fixed positions i (0-based): {@code i % 1000 == 17} null label; {@code i %
 * 2000 == 123} NaN score; {@code i % 4000 == 321} infinite income; {@code i % 2000 == 1999} the id
 * of row i − 1000 (a duplicate id: both rows are rejected). For 20,000 rows: 20 null labels, 15
 * non-finite features, 20 duplicate-id rows: 55 rejects.
 */
public final class DemoDataset {
  private static final Logger LOG = LoggerFactory.getLogger(DemoDataset.class);

  /** True intercept of the logit. */
  public static final double INTERCEPT = -0.5;

  /** True coefficient of {@code age - 45}. */
  public static final double COEF_AGE = 0.03;

  /** True coefficient of {@code income - 50} (income in thousands). */
  public static final double COEF_INCOME = 0.02;

  /** True coefficient of {@code score}. */
  public static final double COEF_SCORE = 0.8;

  /** True coefficient of {@code tenure - 60}. */
  public static final double COEF_TENURE = -0.01;

  /** True effect of each segment on the logit. */
  public static final Map<String, Double> SEGMENT_EFFECT =
      Map.of("A", 0.0, "B", 0.5, "C", -0.5, "D", 1.0, "E", -1.0);

  /** True effect of each channel on the logit. */
  public static final Map<Integer, Double> CHANNEL_EFFECT = Map.of(1, 0.0, 2, 0.3, 3, -0.3);

  /** Number of regions; region has no effect on the label. */
  public static final int REGIONS = 30;

  private static final int ROWS_PER_PARTITION = 5000;
  private static final String[] SEGMENTS = {"A", "B", "C", "D", "E"};
  private static final double[] SEGMENT_P = {0.3, 0.25, 0.2, 0.15, 0.1};

  /** The dataset's schema. */
  public static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("age", DataTypes.IntegerType, true)
          .add("income", DataTypes.DoubleType, true)
          .add("score", DataTypes.DoubleType, true)
          .add("tenure", DataTypes.IntegerType, true)
          .add("segment", DataTypes.StringType, true)
          .add("region", DataTypes.StringType, true)
          .add("channel", DataTypes.IntegerType, true)
          .add("label", DataTypes.IntegerType, true);

  private DemoDataset() {}

  /** The rows (generated on the driver). */
  public static List<Row> rows(DemoSettings settings) {
    SplittableRandom rng = new SplittableRandom(settings.seed());
    double[] regionCdf = regionCdf();
    List<Row> rows = new ArrayList<>(settings.rows());
    for (int i = 0; i < settings.rows(); i++) {
      int age = 18 + rng.nextInt(63);
      double income = Math.exp(3.8 + 0.5 * gaussian(rng));
      double score = gaussian(rng);
      int tenure = rng.nextInt(121);
      String segment = SEGMENTS[pick(rng.nextDouble(), cdf(SEGMENT_P))];
      String region = String.format("R%02d", 1 + pick(rng.nextDouble(), regionCdf));
      int channel = 1 + rng.nextInt(3);
      double z =
          INTERCEPT
              + COEF_AGE * (age - 45)
              + COEF_INCOME * (income - 50)
              + COEF_SCORE * score
              + COEF_TENURE * (tenure - 60)
              + SEGMENT_EFFECT.get(segment)
              + CHANNEL_EFFECT.get(channel);
      Integer label = rng.nextDouble() < 1.0 / (1.0 + Math.exp(-z)) ? 1 : 0;
      Integer ageOut = rng.nextDouble() < 0.02 ? null : age;
      Double incomeOut = rng.nextDouble() < 0.03 ? null : income;
      String segmentOut = rng.nextDouble() < 0.01 ? null : segment;
      long id = i + 1;
      if (i % 1000 == 17) {
        label = null;
      }
      if (i % 2000 == 123) {
        score = Double.NaN;
      }
      if (i % 4000 == 321) {
        incomeOut = (i / 4000) % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      }
      if (i % 2000 == 1999) {
        id = i - 1000 + 1;
      }
      rows.add(
          RowFactory.create(
              id, ageOut, incomeOut, score, tenure, segmentOut, region, channel, label));
    }
    return rows;
  }

  /**
   * The dataset as a DataFrame, in one partition per 5,000 rows (so that no task carries more than
   * about 1 MB of rows).
   */
  public static Dataset<Row> create(SparkSession spark, DemoSettings settings) {
    int slices = Math.max(1, (settings.rows() + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION);
    JavaRDD<Row> rdd =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows(settings), slices);
    return spark.createDataFrame(rdd, SCHEMA);
  }

  /**
   * Writes the dataset as Parquet to {@code path} (any Hadoop filesystem), atomically through
   * {@link StagedOutput}: an existing dataset there is replaced.
   */
  public static void write(SparkSession spark, String path, DemoSettings settings) {
    try (StagedOutput out = StagedOutput.begin(path, spark.sparkContext().hadoopConfiguration())) {
      create(spark, settings).write().mode(SaveMode.Overwrite).parquet(out.path());
      out.commit();
    }
    LOG.info(
        "Wrote the demo dataset ({} rows, seed {}) to {}", settings.rows(), settings.seed(), path);
  }

  private static double[] regionCdf() {
    double[] w = new double[REGIONS];
    for (int r = 0; r < REGIONS; r++) {
      w[r] = 1.0 / (r + 1);
    }
    return cdf(w);
  }

  private static double[] cdf(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double[] cdf = new double[weights.length];
    double acc = 0;
    for (int i = 0; i < weights.length; i++) {
      acc += weights[i] / total;
      cdf[i] = acc;
    }
    return cdf;
  }

  private static int pick(double u, double[] cdf) {
    for (int i = 0; i < cdf.length - 1; i++) {
      if (u < cdf[i]) {
        return i;
      }
    }
    return cdf.length - 1;
  }

  /** A standard normal draw (Box-Muller; one of the pair, for simple determinism). */
  private static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}

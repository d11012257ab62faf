package dev.arbor.bench;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.spark.ColumnTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The minimal hand-written Spark job {@code scripts/bench-prepare} compares Arbor's {@code prepare}
 * with: only the essential work, none of Arbor's guarantees (no reject reasons or rejects output,
 * no exact stratified split, no staged commit, no schema checks beyond Spark's own).
 *
 * <ol>
 *   <li>Read the input (every numeric column but the id and the label is a feature).
 *   <li>Drop rows with a null label or a NaN/infinite feature; drop every row whose id occurs more
 *       than once (a left-anti join with the duplicate ids, computed on the id column alone).
 *   <li>Split by a hash of (seed, id): 70% train, 15% validation, 15% test (with a separate test
 *       input: 82.35% / 17.65% of the input, and the test input's valid rows are the test split).
 *   <li>Mean and population standard deviation of every feature on the train split (one
 *       aggregation; the mean imputes nulls).
 *   <li>Write the three splits with each feature imputed and standardized.
 * </ol>
 *
 * <p>Usage: {@code PrepareBaseline <input> <output folder> [<test input>]} with id column {@code
 * id} and label column {@code label}. Prints {@code baseline prepare <seconds> s} (from the first
 * read to the last write).
 */
public final class PrepareBaseline {
  private static final long SEED = 42L;
  private static final double TWO_POW_52 = 0x1p52;

  private PrepareBaseline() {}

  /** Runs the job; returns the seconds it took. */
  public static double run(SparkSession spark, String input, String output, String testInput) {
    long start = System.nanoTime();
    Dataset<Row> raw = spark.read().parquet(input);
    List<String> features = features(raw);
    Dataset<Row> valid = valid(raw, features);
    Dataset<Row> duplicates =
        raw.groupBy(col("id")).agg(count(lit(1)).as("n")).filter(col("n").gt(1)).select("id");
    Dataset<Row> clean =
        valid.join(duplicates, CollectionConverters.asScala(List.of("id")).toSeq(), "left_anti");
    Column u = pmod(xxhash64(lit(SEED), col("id")), lit((long) TWO_POW_52)).divide(lit(TWO_POW_52));
    double train = testInput == null ? 0.70 : 0.70 / 0.85;
    double upToValidation = testInput == null ? 0.85 : 1.0;
    Dataset<Row> trainRows = clean.filter(u.lt(lit(train)));
    Dataset<Row> validationRows = clean.filter(u.geq(lit(train)).and(u.lt(lit(upToValidation))));
    Dataset<Row> testRows =
        testInput == null
            ? clean.filter(u.geq(lit(upToValidation)))
            : valid(spark.read().parquet(testInput), features);

    List<Column> aggs = new ArrayList<>();
    for (String f : features) {
      aggs.add(avg(col(f)));
      aggs.add(stddev_pop(col(f)));
    }
    Row stats =
        trainRows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    double[] mean = new double[features.size()];
    double[] std = new double[features.size()];
    for (int j = 0; j < features.size(); j++) {
      mean[j] = stats.isNullAt(2 * j) ? 0.0 : stats.getDouble(2 * j);
      double s = stats.isNullAt(2 * j + 1) ? 0.0 : stats.getDouble(2 * j + 1);
      std[j] = s > 0 ? s : 1.0;
    }
    write(trainRows, features, mean, std, output + "/train");
    write(validationRows, features, mean, std, output + "/validation");
    write(testRows, features, mean, std, output + "/test");
    return (System.nanoTime() - start) / 1e9;
  }

  private static List<String> features(Dataset<Row> raw) {
    Set<String> special = Set.of("id", "label");
    List<String> out = new ArrayList<>();
    for (StructField f : raw.schema().fields()) {
      if (f.dataType() instanceof NumericType && !special.contains(f.name())) {
        out.add(f.name());
      }
    }
    return out;
  }

  private static Dataset<Row> valid(Dataset<Row> raw, List<String> features) {
    List<Column> bad = new ArrayList<>(List.of(col("label").isNull()));
    for (String f : features) {
      if (raw.schema().apply(f).dataType() instanceof DoubleType
          || raw.schema().apply(f).dataType() instanceof FloatType) {
        bad.add(isnan(col(f)));
      }
    }
    return raw.filter(not(ColumnTrees.or(bad)));
  }

  private static void write(
      Dataset<Row> rows, List<String> features, double[] mean, double[] std, String path) {
    List<Column> out = new ArrayList<>(List.of(col("id"), col("label").cast("double").as("label")));
    for (int j = 0; j < features.size(); j++) {
      Column x = col(features.get(j)).cast("double");
      out.add(
          when(x.isNull(), lit(mean[j]))
              .otherwise(x)
              .minus(lit(mean[j]))
              .divide(lit(std[j]))
              .as(features.get(j)));
    }
    rows.select(out.toArray(Column[]::new)).write().mode("overwrite").parquet(path);
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "Usage: PrepareBaseline <input> <output folder> [<test input>]");
    }
    SparkSession spark =
        SparkSession.builder().appName("arbor-bench-prepare-baseline").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      double s = run(spark, args[0], args[1], args.length > 2 ? args[2] : null);
      System.out.printf(Locale.ROOT, "baseline prepare %.1f s%n", s);
    } finally {
      spark.stop();
    }
  }
}

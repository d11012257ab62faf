package dev.arbor.gpu.explain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.config.ArborConfig;
import dev.arbor.gpu.GpuExplainReport;
import dev.arbor.gpu.StagePlan;
import dev.arbor.loss.functions.Losses;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.train.sql.SqlGradientPass;
import dev.arbor.train.sql.SqlLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the DataFrame plans of every stage for a configuration and run date, for {@code
 * gpu-explain}, without running the stages' heavy work (at most one scan of the label column).
 *
 * <p>Covered: the {@code train} stage's sql-backend gradient pass (full pass for every loss, and a
 * mini-batch pass), over the prepared training split {@code
 * <output.root>/prepared/<model.name>/run_date=<date>/train}. The pass is explained over the
 * Parquet split itself: on a GPU cluster it reads the split cached with {@code
 * ParquetCachedBatchSerializer} ({@code conf/spark-gpu.conf}), which RAPIDS also scans on the GPU.
 * Stages whose plan builders are not part of this build are reported as not explained.
 */
public final class StagePlans {
  private static final Logger LOG = LoggerFactory.getLogger(StagePlans.class);
  private static final Set<String> NOT_FEATURES = Set.of("row_id", "label", "weight");

  private StagePlans() {}

  /**
   * The prepared split folder of the contract: {@code <root>/prepared/<model>/run_date=<d>/<s>}.
   */
  public static Path preparedSplit(ArborConfig config, LocalDate runDate, String split) {
    return Paths.get(config.string("output.root"))
        .resolve("prepared")
        .resolve(config.string("model.name"))
        .resolve("run_date=" + runDate)
        .resolve(split);
  }

  /** Explains every stage plan that can be built for {@code config} and {@code runDate}. */
  public static GpuExplainReport explain(
      SparkSession spark, ArborConfig config, LocalDate runDate) {
    GpuExplainReport report = new GpuExplainReport();
    Path train = preparedSplit(config, runDate, "train");
    if (!Files.isDirectory(train)) {
      report.skip(
          "train",
          "no prepared training split at " + train + " (run `scripts/arbor prepare` first)");
    } else {
      for (StagePlan p : gradientPasses(spark.read().parquet(train.toString()), 42L)) {
        report.add(p);
      }
    }
    for (String stage : List.of("prepare", "score", "evaluate")) {
      report.skip(stage, "its plan builder is not part of this build");
    }
    return report;
  }

  /**
   * The sql backend's gradient pass plans over {@code split} (prepared-split columns): one full
   * pass per loss, and one mini-batch pass (logistic). Runs one light job: the label's range, for
   * the number of classes of the multinomial pass.
   */
  public static List<StagePlan> gradientPasses(Dataset<Row> split, long seed) {
    List<String> features =
        Arrays.stream(split.columns()).filter(c -> !NOT_FEATURES.contains(c)).toList();
    int numClasses = numClasses(split);
    Dataset<Row> rows =
        split.withColumn(SqlGradientPass.ROW_HASH, xxhash64(col("row_id"), lit(seed)));
    List<StagePlan> plans = new ArrayList<>();
    int d = features.size();
    for (String name : Losses.NAMES) {
      int k =
          switch (name) {
            case "logistic", "hinge" -> 2;
            case "multinomial" -> numClasses;
            default -> 0;
          };
      SqlGradientPass pass = new SqlGradientPass(features, Losses.create(name, d, k, true, 1.0));
      plans.add(
          new StagePlan(
              "train",
              "gradient pass (sql backend), loss "
                  + SqlLoss.of(pass.loss())
                  + ", "
                  + d
                  + " features",
              StagePlan.Weight.HEAVY,
              pass.aggregation(rows, someWeights(pass.dimension()))));
    }
    SqlGradientPass pass = new SqlGradientPass(features, Losses.create("logistic", d, 2, true, 1));
    plans.add(
        new StagePlan(
            "train",
            "mini-batch gradient pass (sql backend), loss logistic, batch 0 of 8",
            StagePlan.Weight.HEAVY,
            pass.aggregation(
                SqlGradientPass.batch(rows, new MiniBatch(0, 0, 8)),
                someWeights(pass.dimension()))));
    return plans;
  }

  /** Non-zero weights, so that every feature appears in the margins (zeros are left out). */
  private static double[] someWeights(int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.01 * (1 + i % 7);
    }
    return w;
  }

  /** 1 + the largest label when labels are class indices, else 3 (a regression split). */
  private static int numClasses(Dataset<Row> split) {
    Row r =
        split
            .agg(
                min(col("label")),
                max(col("label")),
                sum(when(col("label").notEqual(floor(col("label"))), lit(1L)).otherwise(lit(0L))))
            .first();
    if (r.isNullAt(0) || r.getDouble(0) < 0 || r.getLong(2) > 0 || r.getDouble(1) > 1000) {
      LOG.info("gpu-explain: labels are not class indices; multinomial plan with 3 classes");
      return 3;
    }
    return Math.max(2, (int) r.getDouble(1) + 1);
  }
}

package dev.arbor.gpu.explain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.config.ArborConfig;
import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.PredictionColumns;
import dev.arbor.eval.metrics.Evaluators;
import dev.arbor.gpu.GpuExplainReport;
import dev.arbor.gpu.StagePlan;
import dev.arbor.ingest.Task;
import dev.arbor.loss.functions.Losses;
import dev.arbor.model.Model;
import dev.arbor.model.ModelStore;
import dev.arbor.model.NetworkModel;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.prep.PrepModel;
import dev.arbor.prep.PreparePlans;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.spark.PartFiles;
import dev.arbor.store.RunLayout;
import dev.arbor.train.nn.NetworkSettings;
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
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the DataFrame plans of every stage for a configuration and run date, for {@code
 * gpu-explain}, with the stages' own public plan builders, without running the stages' heavy work.
 *
 * <ul>
 *   <li>{@code prepare}: when the input ({@code input.path}) exists, the stage's own plans ({@link
 *       PreparePlans}: annotation and split of the input and test input, counts, the fit's
 *       statistics, rejects); and the prep model's {@code transform} of the raw input, with the
 *       prep model the stage wrote ({@code prep-model.json}). Every option that changes these plans
 *       is also covered by {@code PrepGpuCoverageTest}.
 *   <li>{@code train}: the sql backend's gradient pass (full pass for every loss, and a mini-batch
 *       pass) over the prepared training split. It is explained over the Parquet split: on a GPU
 *       cluster it reads the split cached with {@code ParquetCachedBatchSerializer} ({@code
 *       conf/spark-gpu.conf}), which RAPIDS also scans on the GPU. The tree backend is RDD code and
 *       has no plan to explain (it stays on the CPU).
 *   <li>{@code score}: {@code Scoring.score} of the prepared test split with the run's model.
 *   <li>{@code evaluate}: the metric plans of the task's evaluator, captured while it runs on a
 *       sample of about {@value #SAMPLE_ROWS} rows of the scored test split (light), or of
 *       placeholder predictions derived from the label when no model exists yet.
 * </ul>
 *
 * Reads at most the label column (one light job per input) besides the small sample runs.
 */
public final class StagePlans {
  private static final Logger LOG = LoggerFactory.getLogger(StagePlans.class);
  private static final Set<String> NOT_FEATURES = Set.of("row_id", "label", "weight");
  private static final int SAMPLE_ROWS = 200;
  private static final String P = PredictionColumns.PREDICTION;

  private StagePlans() {}

  /** The prepared folder of the contract: {@code <root>/prepared/<model>/run_date=<d>}. */
  public static Path preparedRun(ArborConfig config, LocalDate runDate) {
    return Paths.get(
        new RunLayout(config.string("output.root"), config.string("model.name"), runDate)
            .preparedDir());
  }

  /** A prepared split folder: {@code <root>/prepared/<model>/run_date=<d>/<split>}. */
  public static Path preparedSplit(ArborConfig config, LocalDate runDate, String split) {
    return preparedRun(config, runDate).resolve(split);
  }

  /** Explains every stage plan that can be built for {@code config} and {@code runDate}. */
  public static GpuExplainReport explain(
      SparkSession spark, ArborConfig config, LocalDate runDate) {
    GpuExplainReport report = new GpuExplainReport();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String prepRun = "(run `scripts/arbor prepare` first)";

    Path prepFile = preparedRun(config, runDate).resolve(PrepModel.FILE_NAME);
    Path input = Paths.get(config.string("input.path"));
    PrepModel prep = null;
    if (Files.isRegularFile(prepFile)) {
      prep = PrepModel.read(prepFile.toString(), hadoop);
    }
    if (Files.exists(input)) {
      PreparePlans.of(spark, PrepareSettings.from(config), runDate)
          .forEach(
              (description, plan) ->
                  report.add(new StagePlan("prepare", description, StagePlan.Weight.HEAVY, plan)));
    }
    if (prep == null) {
      report.skip("prepare", "no prep model at " + prepFile + " " + prepRun);
    } else if (!Files.exists(input)) {
      report.skip("prepare", "no input at " + input);
    } else {
      report.add(
          new StagePlan(
              "prepare",
              "prep-model transform of the raw input (" + prep.featureNames().size() + " features)",
              StagePlan.Weight.HEAVY,
              prep.transform(spark.read().parquet(input.toString()))));
    }

    Path train = preparedSplit(config, runDate, "train");
    boolean network = NetworkSettings.selected(config);
    if (network) {
      report.skip(
          "train",
          "train.model = mlp: a network trains with RDD code over cached blocks, through the BLAS"
              + " on the CPU (no DataFrame plan for RAPIDS to run)");
    } else if (!Files.isDirectory(train)) {
      report.skip("train", "no prepared training split at " + train + " " + prepRun);
    } else {
      Dataset<Row> split = PartFiles.read(spark, train.toString());
      List<String> features =
          prep != null
              ? prep.featureNames()
              : Arrays.stream(split.columns()).filter(c -> !NOT_FEATURES.contains(c)).toList();
      int numClasses = prep != null ? prep.classes().size() : numClasses(split);
      gradientPasses(split, features, numClasses, config.longValue("train.seed"))
          .forEach(report::add);
    }

    Path test = preparedSplit(config, runDate, "test");
    Path modelFile =
        Paths.get(
            ModelStore.modelPath(
                config.string("output.root"), config.string("model.name"), runDate));
    Model model =
        Files.isRegularFile(modelFile) ? ModelStore.read(modelFile.toString(), hadoop) : null;
    if (!Files.isDirectory(test)) {
      report.skip("score", "no prepared test split at " + test + " " + prepRun);
      report.skip("evaluate", "no prepared test split at " + test + " " + prepRun);
      return report;
    }
    Dataset<Row> testSplit = PartFiles.read(spark, test.toString());
    if (model == null) {
      report.skip("score", "no model at " + modelFile + " (run `scripts/arbor train` first)");
    } else if (model.family().equals(NetworkModel.FAMILY)) {
      report.skip(
          "score",
          "an mlp scores with a partition function (mapPartitions), which RAPIDS runs on the CPU;"
              + " the evaluate plans below are explained on placeholder predictions");
      model = null;
    } else {
      report.add(
          new StagePlan(
              "score",
              "scoring of the test split ("
                  + model.task()
                  + ", "
                  + model.features().size()
                  + " features)",
              StagePlan.Weight.HEAVY,
              model.score(testSplit)));
    }
    metricsPlans(testSplit, model, config).forEach(report::add);
    return report;
  }

  /**
   * The sql backend's gradient pass plans over {@code split} (prepared-split columns): one full
   * pass per loss (the multinomial one with {@code max(3, numClasses)} classes), and one mini-batch
   * pass (logistic).
   */
  public static List<StagePlan> gradientPasses(
      Dataset<Row> split, List<String> features, int numClasses, long seed) {
    Dataset<Row> rows =
        split.withColumn(SqlGradientPass.ROW_HASH, xxhash64(col("row_id"), lit(seed)));
    int d = features.size();
    List<StagePlan> plans = new ArrayList<>();
    for (String name : Losses.NAMES) {
      int k =
          switch (name) {
            case "logistic", "hinge" -> 2;
            case "multinomial" -> Math.max(3, numClasses);
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

  /**
   * The evaluate stage's metric plans ({@code dev.arbor.eval.metrics}), captured by running the
   * task's evaluator on a sample of about {@value #SAMPLE_ROWS} rows of {@code testSplit} (by row
   * hash), scored with {@code model}, or, without a model, with placeholder predictions derived
   * from the label (the plans have the same shape). Running them on the sample is light.
   */
  public static List<StagePlan> metricsPlans(
      Dataset<Row> testSplit, Model model, ArborConfig config) {
    // About SAMPLE_ROWS rows spread over the whole split (both classes), chosen by row hash.
    long buckets = Math.max(1, testSplit.count() / SAMPLE_ROWS);
    Dataset<Row> sample =
        testSplit.filter(pmod(xxhash64(col("row_id")), lit(buckets)).equalTo(lit(0L)));
    Task task;
    Dataset<Row> predictions;
    String source;
    if (model != null) {
      task = model.task();
      predictions = model.score(sample);
      source = "scored";
    } else {
      int numClasses = numClasses(testSplit);
      task = numClasses == 0 ? Task.REGRESSION : numClasses == 2 ? Task.BINARY : Task.MULTICLASS;
      predictions = placeholderPredictions(sample, numClasses);
      source = "placeholder predictions";
    }
    List<StagePlan> plans = new ArrayList<>();
    Consumer<Dataset<Row>> capture =
        plan ->
            plans.add(
                new StagePlan(
                    "evaluate",
                    task
                        + " metrics, plan "
                        + (plans.size() + 1)
                        + " (on a ~"
                        + SAMPLE_ROWS
                        + "-row sample, "
                        + source
                        + ")",
                    StagePlan.Weight.HEAVY,
                    plan));
    EvalSettings settings = EvalSettings.from(config);
    switch (task) {
      case BINARY -> Evaluators.binary(settings, capture).evaluate(predictions);
      case MULTICLASS -> Evaluators.multiclass(settings, capture).evaluate(predictions);
      case REGRESSION -> Evaluators.regression(capture).evaluate(predictions);
    }
    return plans;
  }

  private static Dataset<Row> placeholderPredictions(Dataset<Row> sample, int numClasses) {
    Column label = col("label");
    List<Column> cols = new ArrayList<>(List.of(col("row_id"), label, col("weight")));
    if (numClasses == 0) {
      cols.add(label.multiply(0.9).as(P));
    } else if (numClasses == 2) {
      cols.add(label.as(P));
      cols.add(lit(0.2).plus(label.multiply(0.6)).as(PredictionColumns.SCORE));
    } else {
      cols.add(label.as(P));
      double other = 0.4 / (numClasses - 1);
      for (int k = 0; k < numClasses; k++) {
        cols.add(
            when(label.equalTo(lit((double) k)), lit(0.6))
                .otherwise(lit(other))
                .as(PredictionColumns.prob(k)));
      }
    }
    return sample.select(cols.toArray(Column[]::new));
  }

  /** Non-zero weights, so that every feature appears in the margins (zeros are left out). */
  private static double[] someWeights(int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.01 * (1 + i % 7);
    }
    return w;
  }

  /** 1 + the largest label when labels are class indices, else 0 (a regression split). */
  private static int numClasses(Dataset<Row> split) {
    Row r =
        split
            .agg(
                min(col("label")),
                max(col("label")),
                sum(when(col("label").notEqual(floor(col("label"))), lit(1L)).otherwise(lit(0L))))
            .first();
    if (r.isNullAt(0) || r.getDouble(0) < 0 || r.getLong(2) > 0 || r.getDouble(1) > 1000) {
      LOG.info("gpu-explain: labels are not class indices: a regression split");
      return 0;
    }
    return Math.max(2, (int) r.getDouble(1) + 1);
  }
}

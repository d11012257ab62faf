package dev.arbor.train;

import dev.arbor.DataValidationException;
import dev.arbor.config.ArborConfig;
import dev.arbor.model.Model;
import dev.arbor.model.ModelStore;
import dev.arbor.prep.Feature;
import dev.arbor.prep.PrepModel;
import dev.arbor.spark.JobContext;
import dev.arbor.spark.PartFiles;
import dev.arbor.store.RunLayout;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code train} stage: reads the prepared splits and the prep model of a run date ({@code
 * <output.root>/prepared/<model.name>/run_date=<D>/}), fits the model with {@link Trainer} and
 * writes it atomically to {@code <output.root>/models/<model.name>/run_date=<D>/model.json}; then
 * deletes the run's checkpoints. A failure (bad config, bad data, divergence) writes no model.
 */
public final class TrainStage {
  private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);

  private TrainStage() {}

  /** What a run wrote. */
  public record Outcome(String modelPath, Model model) {}

  /** Runs the stage for the context's run date. */
  public static Outcome run(JobContext context) {
    return run(context.spark(), context.config(), context.runDate(), context.resume());
  }

  /** Runs the stage without resuming. */
  public static Outcome run(SparkSession spark, ArborConfig config, LocalDate runDate) {
    return run(spark, config, runDate, false);
  }

  /**
   * Runs the stage.
   *
   * @param resume whether to continue from a matching checkpoint (the {@code --resume} request)
   */
  public static Outcome run(
      SparkSession spark, ArborConfig config, LocalDate runDate, boolean resume) {
    long start = System.nanoTime();
    TrainInputs in = inputs(spark, config, runDate);
    TrainingSpec spec = TrainingSpec.from(config, runDate, resume);
    Trainer.Outcome out;
    String path;
    try (Trainer trainer = new Trainer(spark, spec, in)) {
      out = trainer.run();
      path =
          ModelStore.write(
              out.model(), spec.outputRoot(), spark.sparkContext().hadoopConfiguration());
      trainer.checkpoints().clear();
    }
    LOG.info(
        "Trained {} for {} in {} s: {} (objective {}); model written to {}",
        config.string("model.name"),
        runDate,
        (System.nanoTime() - start) / 1_000_000_000,
        out.model().optimizer(),
        out.model().trainObjective(),
        path);
    return new Outcome(path, out.model());
  }

  /** The run's folders ({@link RunLayout}). */
  public static RunLayout layout(ArborConfig config, LocalDate runDate) {
    return new RunLayout(config.string("output.root"), config.string("model.name"), runDate);
  }

  /** Reads the prepared splits and prep model of the run date. */
  static TrainInputs inputs(SparkSession spark, ArborConfig config, LocalDate runDate) {
    String dir = layout(config, runDate).preparedDir();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String prepPath = new Path(dir, PrepModel.FILE_NAME).toString();
    DataValidationException.check(
        dev.arbor.model.AtomicFiles.exists(prepPath, hadoop),
        "Cannot train model %s for %s: no prepared data: %s does not exist (run prepare first)",
        config.string("model.name"),
        runDate,
        prepPath);
    PrepModel prep = PrepModel.read(prepPath, hadoop);
    List<Feature> features = prep.features();
    double[] centers = features.stream().mapToDouble(Feature::center).toArray();
    double[] scales = features.stream().mapToDouble(Feature::scale).toArray();
    Dataset<Row> train = PartFiles.read(spark, new Path(dir, "train").toString());
    Dataset<Row> validation = PartFiles.read(spark, new Path(dir, "validation").toString());
    for (String f : prep.featureNames()) {
      DataValidationException.check(
          Arrays.asList(train.columns()).contains(f),
          "Cannot train model %s: the prepared train split %s has no column '%s' (expected the"
              + " prep model's features)",
          config.string("model.name"),
          new Path(dir, "train"),
          f);
    }
    LOG.info(
        "Prepared data {}: task {}, {} features, classes {}",
        dir,
        prep.task().configName(),
        features.size(),
        prep.classes());
    return new TrainInputs(
        prep.task(),
        prep.classes(),
        prep.featureNames(),
        centers,
        scales,
        train,
        validation,
        prepPath);
  }
}

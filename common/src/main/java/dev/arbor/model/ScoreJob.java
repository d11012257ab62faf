package dev.arbor.model;

import dev.arbor.DataValidationException;
import dev.arbor.prep.PrepModel;
import dev.arbor.store.StagedOutput;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a Parquet input with a written model and writes the Predictions as Parquet, atomically
 * ({@link StagedOutput}). Input that already has every feature column of the model is taken as
 * prepared; otherwise it is raw and goes through the model's prep model first.
 */
public final class ScoreJob {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);

  private ScoreJob() {}

  /** What a run wrote. */
  public record Outcome(long rows, String output, boolean prepared) {}

  /**
   * Runs the job.
   *
   * @param modelPath the {@code model.json} to apply
   * @param input Parquet path (prepared or raw rows)
   * @param output folder for the predictions (replaced atomically)
   */
  public static Outcome run(SparkSession spark, String modelPath, String input, String output) {
    return run(spark, modelPath, null, input, output);
  }

  /**
   * Runs the job with an explicit prep model for raw input (a promoted model's copy).
   *
   * @param prepModelPath the {@code prep-model.json} for raw rows, or {@code null} for the one the
   *     model names
   */
  public static Outcome run(
      SparkSession spark, String modelPath, String prepModelPath, String input, String output) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    DataValidationException.check(
        AtomicFiles.exists(modelPath, conf),
        "Cannot score: no model at %s (train first, or pass --model)",
        modelPath);
    Model model = ModelStore.read(modelPath, conf);
    Dataset<Row> in = spark.read().parquet(input);
    List<String> columns = Arrays.asList(in.columns());
    boolean prepared = columns.containsAll(model.features());
    Dataset<Row> predictions;
    if (prepared) {
      predictions = model.score(in);
    } else {
      String prep = prepModelPath != null ? prepModelPath : model.prepModel();
      DataValidationException.check(
          !prep.isEmpty() && AtomicFiles.exists(prep, conf),
          "Cannot score raw input %s with model %s: its prep model %s is missing",
          input,
          modelPath,
          prep);
      predictions = Scoring.scoreRaw(in, model, PrepModel.read(prep, conf));
    }
    try (StagedOutput out = StagedOutput.begin(output, conf)) {
      predictions.write().mode("overwrite").parquet(out.path());
      out.commit();
    }
    long rows = spark.read().parquet(output).count();
    LOG.info(
        "Scored {} {} rows of {} with {} into {}",
        rows,
        prepared ? "prepared" : "raw",
        input,
        modelPath,
        output);
    return new Outcome(rows, output, prepared);
  }
}

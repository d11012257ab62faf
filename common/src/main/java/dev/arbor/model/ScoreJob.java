package dev.arbor.model;

import dev.arbor.DataValidationException;
import dev.arbor.ingest.ParquetInput;
import dev.arbor.prep.PrepModel;
import dev.arbor.store.StagedOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a Parquet input with a written model and writes the Predictions as Parquet, atomically
 * ({@link StagedOutput}). An input is prepared only when it is a split folder written by {@code
 * prepare}; every other input is raw and goes through the model's prep model first, after its
 * columns were checked against it ({@link ScoreInput}). Either way the predictions carry {@code
 * row_id} and {@code weight}.
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
    Dataset<Row> in = ParquetInput.read(spark, input, null, null);
    boolean prepared = ScoreInput.isPreparedSplit(input, conf);
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
      PrepModel prepModel = PrepModel.read(prep, conf);
      ScoreInput.checkRaw(in.schema(), prepModel, input);
      predictions = Scoring.scoreRaw(in, model, prepModel);
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

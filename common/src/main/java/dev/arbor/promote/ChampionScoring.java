package dev.arbor.promote;

import static org.apache.spark.sql.functions.col;

import dev.arbor.DataValidationException;
import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.metrics.Evaluators;
import dev.arbor.ingest.ParquetInput;
import dev.arbor.ingest.Task;
import dev.arbor.model.Model;
import dev.arbor.prep.PrepModel;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.spark.PartFiles;
import dev.arbor.store.RunLayout;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Scores the champion on a run's test split. The champion has its own prep model (fitted on its own
 * training split), so it cannot read the run's prepared features: its prep model is applied to the
 * run's raw input rows (the test input when {@code input.test-path} is set, else the run date's
 * input), which are matched to the run's test split by {@code row_id}; labels and weights are the
 * test split's. The Predictions frame goes through the same evaluator as the {@code evaluate}
 * stage, so both scores come from the same code on the same rows. Every plan is plain DataFrame
 * expressions (RAPIDS-eligible).
 */
public final class ChampionScoring {
  private ChampionScoring() {}

  /**
   * The champion's value of the gate metric on the test split of {@code runDate}.
   *
   * @param classes the run's classes, in class-index order (the champion must have the same)
   * @throws DataValidationException when the champion does not fit the run (task, classes,
   *     features) or the run's raw rows no longer contain every test row
   */
  public static double score(
      SparkSession spark,
      PromoteSettings s,
      LocalDate runDate,
      Model champion,
      PrepModel championPrep,
      Task task,
      List<String> classes) {
    DataValidationException.check(
        champion.task() == task && champion.classes().equals(classes),
        "Cannot compare with the promoted model of %s (%s): its task %s and classes %s differ from"
            + " the run's %s %s",
        s.modelName(),
        champion.runDate(),
        champion.task(),
        champion.classes(),
        task,
        classes);
    Dataset<Row> predictions =
        predictions(spark, s, runDate, champion, championPrep)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long expected = testSplit(spark, s, runDate).count();
      long matched = predictions.count();
      DataValidationException.check(
          matched == expected,
          "Cannot score the promoted model of %s on the test split of %s: %d of its %d rows were"
              + " found by row_id in the input %s (did the input change after prepare?)",
          s.modelName(),
          runDate,
          matched,
          expected,
          rawPath(s.prepare()));
      EvalSettings metrics = s.evaluate().metrics().withClassNames(classes);
      return Evaluators.forTask(task, metrics).evaluate(predictions).value(s.metric().name());
    } finally {
      predictions.unpersist();
    }
  }

  /**
   * The champion's Predictions frame on the run's test split: {@code row_id}, the test split's
   * {@code label} and {@code weight}, {@code prediction}, {@code score} or {@code prob_k}.
   */
  static Dataset<Row> predictions(
      SparkSession spark,
      PromoteSettings s,
      LocalDate runDate,
      Model champion,
      PrepModel championPrep) {
    DataValidationException.check(
        championPrep.featureNames().equals(champion.features()),
        "Cannot score the promoted model of %s: its %d features differ from its prep model's %d",
        s.modelName(),
        champion.features().size(),
        championPrep.featureNames().size());
    PrepareSettings p = s.prepare();
    Dataset<Row> raw =
        p.testPath() != null
            ? ParquetInput.read(spark, p.testPath(), null, runDate)
            : ParquetInput.read(spark, p.inputPath(), p.datePartitionColumn(), runDate);
    Dataset<Row> features = championPrep.transform(raw).drop("label", "weight");
    Dataset<Row> rows = features.join(testSplit(spark, s, runDate), "row_id");
    return champion.score(rows, s.evaluate().metrics().threshold());
  }

  private static Dataset<Row> testSplit(SparkSession spark, PromoteSettings s, LocalDate runDate) {
    String test = new RunLayout(s.outputRoot(), s.modelName(), runDate).prepared("test");
    return PartFiles.read(spark, test).select(col("row_id"), col("label"), col("weight"));
  }

  private static String rawPath(PrepareSettings p) {
    return p.testPath() != null ? p.testPath() : p.inputPath();
  }
}

package dev.arbor.prep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.arbor.spark.ScopedConf;
import dev.arbor.store.StagedOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the prepared splits {@code train/}, {@code validation/} and {@code test/} of the staged
 * output with one Spark job, i.e. one scan of the materialized annotation instead of one per split.
 *
 * <p>The valid rows, transformed by the model, are written partitioned by their split into a
 * scratch folder; each split's folder is then renamed into the staging folder (so the prepared
 * files carry exactly the prepared columns, as before, and become visible only with the staged
 * commit). The write uses Spark's concurrent output writers ({@value #MAX_WRITERS_KEY} set above
 * the number of splits for the job): each task streams its rows to one open file per split, without
 * the sort Spark otherwise adds before a partitioned write, so every file holds its task's rows of
 * that split in input order — the same files three filtered writes give. The write runs with
 * generated methods the JIT compiles ({@link ScopedConf#jitSized}). A split without rows gets an
 * empty, readable Parquet folder with the prepared schema (what a filtered write of no rows gives).
 */
final class SplitWriter {
  static final String MAX_WRITERS_KEY = "spark.sql.maxConcurrentOutputFileWriters";
  private static final List<String> SPLITS =
      List.of(Columns.TRAIN, Columns.VALIDATION, Columns.TEST);

  private SplitWriter() {}

  /**
   * Writes the splits of {@code annotated} (and, when not null, the test split of {@code
   * testAnnotated}, which then replaces the input's) into {@code out}.
   */
  static void write(
      SparkSession spark,
      PrepModel model,
      Dataset<Row> annotated,
      Dataset<Row> testAnnotated,
      StagedOutput out) {
    Dataset<Row> rows;
    if (testAnnotated == null) {
      rows = model.project(annotated.filter(col(Columns.W_SPLIT).isNotNull()), Columns.W_SPLIT);
    } else {
      rows =
          model
              .project(
                  annotated.filter(
                      col(Columns.W_SPLIT).isin(lit(Columns.TRAIN), lit(Columns.VALIDATION))),
                  Columns.W_SPLIT)
              .unionByName(
                  model.project(PrepareStage.split(testAnnotated, Columns.TEST), Columns.W_SPLIT));
    }
    String folder = out.scratch() + "/splits";
    Dataset<Row> splits = rows;
    ScopedConf.with(
        spark,
        MAX_WRITERS_KEY,
        String.valueOf(SPLITS.size() + 1),
        () ->
            ScopedConf.jitSized(
                spark,
                () -> {
                  splits.write().partitionBy(Columns.W_SPLIT).parquet(folder);
                  return null;
                }));
    StructType schema = rows.drop(Columns.W_SPLIT).schema();
    FileSystem fs = out.fileSystem();
    for (String split : SPLITS) {
      Path written = new Path(folder, Columns.W_SPLIT + "=" + split);
      Path target = new Path(out.path(split));
      try {
        if (fs.exists(written)) {
          if (!fs.rename(written, target)) {
            throw new IOException("rename returned false");
          }
          fs.create(new Path(target, "_SUCCESS"), false).close();
        } else {
          spark.createDataFrame(List.<Row>of(), schema).write().parquet(target.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot write the " + split + " split to " + target + ": " + e.getMessage(), e);
      }
    }
  }
}

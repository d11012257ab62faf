package dev.arbor.ingest;

import dev.arbor.DataValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Parquet input: a file, a folder or a glob on any Hadoop filesystem. When the input is
 * date-partitioned (folders {@code <column>=YYYY-MM-DD} below the path), the run date selects one
 * partition and the partition column is dropped from the result. Reading is lazy: only the schema
 * is inspected here, plus the footer of every data file, listed and read before Spark reads any
 * ({@link ParquetFiles}: a corrupt file, a file that is not a regular file (a FIFO), a file with
 * other columns or types, or columns whose names differ only in case fail here with exit 4, naming
 * the file, before any work).
 */
public final class ParquetInput {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetInput.class);

  private ParquetInput() {}

  /** Whether {@code path} (a path or glob) matches anything. */
  public static boolean exists(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(p);
      return matches != null && matches.length > 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list input path " + path, e);
    }
  }

  /**
   * The input rows.
   *
   * @param path Parquet file, folder or glob
   * @param datePartitionColumn partition column selected by {@code runDate}, or {@code null}
   * @param runDate the logical date of the run
   * @throws DataValidationException when the path matches nothing, is not Parquet, has a corrupt or
   *     non-regular file, files with different schemas or columns differing only in case, or has no
   *     partition column of that name
   */
  public static Dataset<Row> read(
      SparkSession spark, String path, String datePartitionColumn, LocalDate runDate) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    // Every file is listed and its footer read before Spark touches any: a corrupt file fails
    // here with one line whatever its name sorts as, and a FIFO is refused instead of opened.
    List<String> files = ParquetFiles.list(path, conf);
    String folder =
        datePartitionColumn == null ? null : "/" + datePartitionColumn + "=" + runDate + "/";
    ParquetFiles.check(
        spark,
        path,
        folder == null ? files : files.stream().filter(f -> f.contains(folder)).toList());
    Dataset<Row> df;
    try {
      df = spark.read().parquet(readOrder(path, files, conf));
    } catch (Exception e) { // NOPMD: Spark throws the checked SparkException undeclared
      throw new DataValidationException(
          "Cannot read input: not a Parquet dataset: " + path + " (" + firstLine(e) + ")", e);
    }
    if (datePartitionColumn == null) {
      return df;
    }
    if (!Arrays.asList(df.columns()).contains(datePartitionColumn)) {
      throw new DataValidationException(
          "Cannot select the run date partition: no column '"
              + datePartitionColumn
              + "' in input "
              + path
              + " (columns: "
              + String.join(", ", df.columns())
              + ")");
    }
    LOG.info("Input {}: partition {}={}", path, datePartitionColumn, runDate);
    // Partition filters only reference partition columns, so Spark prunes the other folders.
    return df.filter(
            InputColumns.ref(datePartitionColumn).cast("string").equalTo(runDate.toString()))
        .drop(datePartitionColumn);
  }

  /**
   * A folder whose data files all lie directly in it is read file by file in name order, so the
   * same files give the same scan order whatever order the file system lists them in ({@link
   * dev.arbor.spark.PartFiles}); a file, a glob, a partitioned folder or a folder with a glob
   * character in a file name is read as Spark reads it.
   */
  private static String[] readOrder(String path, List<String> files, Configuration conf) {
    try {
      Path p = new Path(path);
      Path folder = p.getFileSystem(conf).makeQualified(p);
      boolean flat = !files.isEmpty();
      for (String f : files) {
        // Spark expands each path it is given as a glob: a name with a glob character (data[1])
        // would not match itself, so such a folder is read as a folder.
        flat &=
            folder.equals(new Path(f).getParent())
                && f.chars().noneMatch(c -> "*?[]{}\\".indexOf(c) >= 0);
      }
      return flat ? files.stream().sorted().toArray(String[]::new) : new String[] {path};
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list input path " + path, e);
    }
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}

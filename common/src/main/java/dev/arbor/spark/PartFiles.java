package dev.arbor.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a Parquet folder that Arbor wrote, its part files in name order.
 *
 * <p>{@code spark.read().parquet(folder)} takes a folder's files in the file system's listing
 * order, which on a local disk is not the name order and differs between two writes of the same
 * rows (each write job puts a random UUID in its file names). Spark orders the scan's splits by
 * length only, so files of equal length, and the equal-length splits of files larger than {@code
 * spark.sql.files.maxPartitionBytes}, keep that listing order. The tasks then see the rows in an
 * order that changes from run to run, and every floating-point sum merged over them (a fit's
 * statistics, a gradient) can change in its last bits. Read in name order (that is, in the order of
 * the tasks that wrote them: {@code part-00000-…} first), the same rows give the same splits in the
 * same order, so the same bits.
 */
public final class PartFiles {
  private PartFiles() {}

  /**
   * The rows of the Parquet folder {@code folder}, its data files (names not starting with {@code
   * _} or {@code .}) read in name order. A missing folder, or one with no data file, is read as
   * Spark reads it (and fails or is empty as Spark's own read would be).
   */
  public static Dataset<Row> read(SparkSession spark, String folder) {
    String[] files = dataFiles(spark, folder);
    return files.length == 0 ? spark.read().parquet(folder) : spark.read().parquet(files);
  }

  static String[] dataFiles(SparkSession spark, String folder) {
    Path dir = new Path(folder);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.getFileStatus(dir).isDirectory()) {
        return new String[0];
      }
      return Arrays.stream(fs.listStatus(dir))
          .filter(FileStatus::isFile)
          .map(FileStatus::getPath)
          .filter(p -> !p.getName().startsWith("_") && !p.getName().startsWith("."))
          .map(Path::toString)
          .sorted()
          .toArray(String[]::new);
    } catch (java.io.FileNotFoundException e) {
      return new String[0];
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}

package dev.arbor.ingest;

import dev.arbor.DataValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every data file of a Parquet input before any work: each footer must be readable and every
 * file must have the same columns and types. Spark itself only reads one footer to infer the
 * schema, so without this a corrupt file, or a file whose column types differ, fails in the middle
 * of a job with a task stack trace. Reads one footer per file on the driver (a few KB each).
 */
final class ParquetFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetFiles.class);

  private ParquetFiles() {}

  /**
   * The data files of a Parquet input (a file, a folder or a glob), as Spark would read them:
   * folders are listed recursively, skipping names starting with {@code _} (unless a partition
   * folder {@code k=v}) or {@code .}.
   *
   * @throws DataValidationException when the path matches nothing, or a data file is not a regular
   *     file (a FIFO, socket or device would block or fail Spark's reader)
   */
  static List<String> list(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new DataValidationException("Cannot read input: no such path: " + path);
      }
      List<String> out = new ArrayList<>();
      for (FileStatus m : matches) {
        collect(fs, m, path, out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list input path " + path, e);
    }
  }

  private static void collect(FileSystem fs, FileStatus status, String source, List<String> out)
      throws IOException {
    if (status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        String name = child.getPath().getName();
        boolean hidden =
            (name.startsWith("_") && !name.contains("="))
                || name.startsWith(".")
                || name.endsWith("._COPYING_");
        if (!hidden) {
          collect(fs, child, source, out);
        }
      }
      return;
    }
    URI uri = status.getPath().toUri();
    boolean regular =
        status.isFile() && (!"file".equals(uri.getScheme()) || Files.isRegularFile(Paths.get(uri)));
    if (!regular) {
      throw new DataValidationException(
          "Cannot read input "
              + source
              + ": "
              + status.getPath()
              + " is not a regular file (a FIFO, socket or device; expected a Parquet file)");
    }
    out.add(status.getPath().toString());
  }

  /**
   * Checks {@code files}.
   *
   * @param source the input as configured, for messages
   * @throws DataValidationException naming the first corrupt file, or the first file whose schema
   *     differs from the schema most files share
   */
  static void check(SparkSession spark, String source, List<String> files) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ParquetToSparkSchemaConverter converter =
        new ParquetToSparkSchemaConverter(spark.sessionState().conf());
    Map<String, Map<String, String>> schemas = new LinkedHashMap<>();
    for (String f : files.stream().sorted().toList()) {
      MessageType footer;
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromPath(new Path(f), conf))) {
        footer = reader.getFooter().getFileMetaData().getSchema();
      } catch (IOException | RuntimeException e) {
        throw new DataValidationException(
            "Cannot read input "
                + source
                + ": file "
                + f
                + " is corrupt: "
                + firstLine(e)
                + " (expected a Parquet file)",
            e);
      }
      StructType schema = converter.convert(footer);
      checkCaseDistinct(source, f, schema);
      schemas.put(f, types(schema));
    }
    Map<Map<String, String>, Integer> counts = new LinkedHashMap<>();
    schemas.values().forEach(s -> counts.merge(s, 1, Integer::sum));
    if (counts.size() <= 1) {
      LOG.info("Input {}: {} Parquet file(s), one schema", source, files.size());
      return;
    }
    Map<String, String> reference =
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    String referenceFile = null;
    List<String> odd = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : schemas.entrySet()) {
      if (e.getValue().equals(reference)) {
        referenceFile = referenceFile == null ? e.getKey() : referenceFile;
      } else {
        odd.add(e.getKey());
      }
    }
    String first = odd.get(0);
    throw new DataValidationException(
        "Invalid input "
            + source
            + ": file "
            + first
            + (odd.size() > 1 ? " (and " + (odd.size() - 1) + " more)" : "")
            + " has a different schema: "
            + difference(schemas.get(first), reference)
            + " (expected the columns and types of the other "
            + counts.get(reference)
            + " file(s), e.g. "
            + referenceFile
            + ")");
  }

  /**
   * Column by column, e.g. {@code x1 string (expected double), x2 missing (expected double), x9
   * extra (int)}.
   */
  static String difference(Map<String, String> a, Map<String, String> e) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, String> c : e.entrySet()) {
      String got = a.get(c.getKey());
      if (got == null) {
        parts.add(c.getKey() + " missing (expected " + c.getValue() + ")");
      } else if (!got.equals(c.getValue())) {
        parts.add(c.getKey() + " " + got + " (expected " + c.getValue() + ")");
      }
    }
    for (Map.Entry<String, String> c : a.entrySet()) {
      if (!e.containsKey(c.getKey())) {
        parts.add(c.getKey() + " extra (" + c.getValue() + ")");
      }
    }
    return String.join(", ", parts);
  }

  /** Spark resolves column names case-insensitively: {@code age} and {@code Age} clash. */
  private static void checkCaseDistinct(String source, String file, StructType schema) {
    Map<String, String> seen = new TreeMap<>();
    for (StructField f : schema.fields()) {
      String other = seen.put(f.name().toLowerCase(Locale.ROOT), f.name());
      if (other != null) {
        throw new DataValidationException(
            "Invalid input "
                + source
                + ": file "
                + file
                + " has columns '"
                + other
                + "' and '"
                + f.name()
                + "' that differ only in case (expected distinct names: column names are"
                + " case-insensitive)");
      }
    }
  }

  /** Column name to Spark type ({@code double}, {@code string}, ...); nullability is ignored. */
  private static Map<String, String> types(StructType s) {
    Map<String, String> out = new TreeMap<>();
    for (StructField f : s.fields()) {
      out.put(f.name(), f.dataType().simpleString());
    }
    return out;
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}

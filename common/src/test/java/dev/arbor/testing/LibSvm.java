package dev.arbor.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * LIBSVM text files from the shared datasets (e.g. {@code libsvm/a9a}) as wide DataFrames in the
 * prepared-split layout: {@code row_id} STRING ({@code <file>:<line>}), {@code label} DOUBLE (±1
 * and 0/1 labels both become 0.0/1.0), {@code weight} DOUBLE 1.0, then {@code f1 … f<n>} DOUBLE
 * (absent entries are 0). Each file is converted to Parquet once per JVM, in a temp folder.
 */
public final class LibSvm {
  private static final Map<String, Path> CONVERTED = new HashMap<>();

  private LibSvm() {}

  /** The schema of a converted file with {@code numFeatures} feature columns. */
  public static StructType schema(int numFeatures) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("row_id", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("weight", DataTypes.DoubleType, false));
    for (int j = 1; j <= numFeatures; j++) {
      fields.add(DataTypes.createStructField("f" + j, DataTypes.DoubleType, false));
    }
    return DataTypes.createStructType(fields);
  }

  /** The feature column names {@code f1 … f<numFeatures>}. */
  public static List<String> featureNames(int numFeatures) {
    List<String> names = new ArrayList<>();
    for (int j = 1; j <= numFeatures; j++) {
      names.add("f" + j);
    }
    return names;
  }

  /**
   * Reads {@code datasets/<relative>} as a DataFrame backed by Parquet (converted on first use).
   *
   * @param relative e.g. {@code libsvm/a9a}
   * @param numFeatures the number of features (indices beyond it are an error)
   */
  public static Dataset<Row> read(SparkSession spark, String relative, int numFeatures) {
    return spark.read().parquet(parquet(spark, relative, numFeatures).toString());
  }

  /** The Parquet folder holding the converted file (converted on first use). */
  public static synchronized Path parquet(SparkSession spark, String relative, int numFeatures) {
    String key = relative + "#" + numFeatures;
    Path existing = CONVERTED.get(key);
    if (existing != null) {
      return existing;
    }
    List<Row> rows = parse(TestPaths.dataset(relative), numFeatures);
    Path dir = TestPaths.newTempDir("libsvm").resolve("data.parquet");
    spark.createDataFrame(rows, schema(numFeatures)).coalesce(1).write().parquet(dir.toString());
    CONVERTED.put(key, dir);
    return dir;
  }

  static List<Row> parse(Path file, int numFeatures) {
    String name = file.getFileName().toString();
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] tokens = line.strip().split("\\s+");
        Object[] values = new Object[3 + numFeatures];
        double label = Double.parseDouble(tokens[0]);
        if (label != 1 && label != -1 && label != 0) {
          throw new IllegalStateException(
              "Invalid label in " + file + ":" + lineNo + ": " + tokens[0] + " (expected ±1 or 0)");
        }
        values[0] = String.format("%s:%06d", name, lineNo);
        values[1] = label > 0 ? 1.0 : 0.0;
        values[2] = 1.0;
        for (int j = 0; j < numFeatures; j++) {
          values[3 + j] = 0.0;
        }
        for (int t = 1; t < tokens.length; t++) {
          int colon = tokens[t].indexOf(':');
          int index = Integer.parseInt(tokens[t].substring(0, colon));
          if (index < 1 || index > numFeatures) {
            throw new IllegalStateException(
                "Invalid feature index in " + file + ":" + lineNo + ": " + index);
          }
          values[2 + index] = Double.parseDouble(tokens[t].substring(colon + 1));
        }
        rows.add(RowFactory.create(values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}

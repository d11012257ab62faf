package dev.arbor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The ESL prostate data ({@code esl-prostate/prostate.data}, tab-separated, 97 rows) in the
 * prepared-split layout: {@code row_id}, {@code label} = lpsa, {@code weight} = 1, then the 8
 * predictors standardized with the mean and population standard deviation (ddof 0) of all 97 rows,
 * as the datasets README prescribes for the ESL Table 3.2 reference. The {@code train} column
 * ({@code T}/{@code F} or {@code 1}/{@code 0}) selects the official 67 / 30 split.
 */
public final class Prostate {
  /** The predictors, in file order. */
  public static final List<String> FEATURES =
      List.of("lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45");

  private final List<Row> train = new ArrayList<>();
  private final List<Row> test = new ArrayList<>();
  private final double[] mean = new double[FEATURES.size()];
  private final double[] std = new double[FEATURES.size()];

  private Prostate() {}

  /** Reads and standardizes the file. */
  public static Prostate load() {
    Path file = TestPaths.dataset("esl-prostate/prostate.data");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int p = FEATURES.size();
    List<String> ids = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    List<Boolean> isTrain = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] t = line.split("\t");
      if (t.length != p + 3) {
        throw new IllegalStateException("Invalid line in " + file + ": " + line);
      }
      ids.add(t[0].strip());
      double[] x = new double[p];
      for (int j = 0; j < p; j++) {
        x[j] = Double.parseDouble(t[1 + j].strip());
      }
      xs.add(x);
      ys.add(Double.parseDouble(t[p + 1].strip()));
      String flag = t[p + 2].strip();
      isTrain.add(flag.equals("T") || flag.equals("1"));
    }
    Prostate out = new Prostate();
    int n = xs.size();
    for (double[] x : xs) {
      for (int j = 0; j < p; j++) {
        out.mean[j] += x[j] / n;
      }
    }
    for (double[] x : xs) {
      for (int j = 0; j < p; j++) {
        double d = x[j] - out.mean[j];
        out.std[j] += d * d / n;
      }
    }
    for (int j = 0; j < p; j++) {
      out.std[j] = Math.sqrt(out.std[j]);
    }
    for (int i = 0; i < n; i++) {
      Object[] values = new Object[3 + p];
      values[0] = ids.get(i);
      values[1] = ys.get(i);
      values[2] = 1.0;
      for (int j = 0; j < p; j++) {
        values[3 + j] = (xs.get(i)[j] - out.mean[j]) / out.std[j];
      }
      (isTrain.get(i) ? out.train : out.test).add(RowFactory.create(values));
    }
    return out;
  }

  /** The prepared-split schema. */
  public static StructType schema() {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("row_id", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("weight", DataTypes.DoubleType, false));
    for (String f : FEATURES) {
      fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
    }
    return DataTypes.createStructType(fields);
  }

  /** The 67 official training rows. */
  public Dataset<Row> train(SparkSession spark) {
    return spark.createDataFrame(train, schema());
  }

  /** The 30 official test rows. */
  public Dataset<Row> test(SparkSession spark) {
    return spark.createDataFrame(test, schema());
  }

  /** The 67 training rows as plain rows. */
  public List<Row> trainRows() {
    return List.copyOf(train);
  }

  /** The 30 test rows as plain rows. */
  public List<Row> testRows() {
    return List.copyOf(test);
  }

  /** The mean of each predictor over all 97 rows. */
  public double[] mean() {
    return mean.clone();
  }

  /** The population standard deviation of each predictor over all 97 rows. */
  public double[] std() {
    return std.clone();
  }
}

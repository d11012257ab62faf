package dev.arbor.train.sql;

import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.HuberLoss;
import dev.arbor.loss.functions.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Small deterministic prepared-split-like frames for the sql backend's tests, and a plain-Java
 * reference of each loss (a direct transcription of the textbook formulas, independent of the
 * column expressions under test).
 */
final class SqlTestData {
  final List<String> features;
  final double[][] x;
  final double[] labels;
  final double[] weights;
  final String[] rowIds;

  private SqlTestData(int rows, int d, int numClasses, boolean regression, long seed) {
    Random r = new Random(seed);
    features = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      features.add("x_" + j);
    }
    x = new double[rows][d];
    labels = new double[rows];
    weights = new double[rows];
    rowIds = new String[rows];
    for (int i = 0; i < rows; i++) {
      rowIds[i] = "row-" + i;
      for (int j = 0; j < d; j++) {
        x[i][j] = r.nextGaussian() * (1 + j % 3);
      }
      labels[i] = regression ? 3 * r.nextGaussian() : r.nextInt(numClasses);
      // weights in [0.5, 2], and a few zero-weight rows that must contribute nothing
      weights[i] = i % 17 == 5 ? 0.0 : 0.5 + 1.5 * r.nextDouble();
    }
  }

  /** Classification data with labels {@code 0..numClasses-1}. */
  static SqlTestData classification(int rows, int d, int numClasses, long seed) {
    return new SqlTestData(rows, d, numClasses, false, seed);
  }

  /** Regression data with Gaussian labels. */
  static SqlTestData regression(int rows, int d, long seed) {
    return new SqlTestData(rows, d, 0, true, seed);
  }

  /** The names of every loss. */
  static final List<String> LOSSES = Losses.NAMES;

  /** Classes of the multinomial test data. */
  static final int NUM_CLASSES = 3;

  /** Threshold of the Huber loss in tests. */
  static final double HUBER_DELTA = 1.5;

  /** The loss called {@code name} over {@code d} features, with an intercept. */
  static LossFunction loss(String name, int d) {
    return Losses.create(name, d, numClasses(name), true, HUBER_DELTA);
  }

  /** The number of classes the loss called {@code name} needs (0: regression). */
  static int numClasses(String name) {
    return switch (name) {
      case "logistic", "hinge" -> 2;
      case "multinomial" -> NUM_CLASSES;
      default -> 0;
    };
  }

  /** The classes (as the prep model lists them) of the loss called {@code name}. */
  static List<String> classes(String name) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < numClasses(name); k++) {
      out.add(Integer.toString(k));
    }
    return out;
  }

  /** Labels for {@code loss}'s kind of data. */
  static SqlTestData forLoss(LossFunction loss, int rows, int d, long seed) {
    return loss.numClasses() == 0
        ? regression(rows, d, seed)
        : classification(rows, d, loss.numClasses(), seed);
  }

  static StructType schema(List<String> features) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("row_id", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("weight", DataTypes.DoubleType, false));
    for (String f : features) {
      fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
    }
    return DataTypes.createStructType(fields);
  }

  Dataset<Row> frame(SparkSession spark, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      Object[] v = new Object[3 + features.size()];
      v[0] = rowIds[i];
      v[1] = labels[i];
      v[2] = weights[i];
      for (int j = 0; j < features.size(); j++) {
        v[3 + j] = x[i][j];
      }
      rows.add(RowFactory.create(v));
    }
    return spark.createDataFrame(rows, schema(features)).repartition(partitions);
  }

  /**
   * The reference weighted mean loss at {@code w} (layout: K·d coefficients output-major, then K
   * intercepts when the loss has them); writes the mean gradient into {@code grad}.
   */
  double reference(LossFunction loss, double[] w, double[] grad) {
    int d = features.size();
    int k = loss.layout().numOutputs();
    boolean intercept = loss.layout().fitIntercept();
    double huberDelta = loss instanceof HuberLoss h ? h.delta() : Double.NaN;
    java.util.Arrays.fill(grad, 0);
    double weightSum = 0;
    double lossSum = 0;
    for (int i = 0; i < labels.length; i++) {
      double[] m = new double[k];
      for (int o = 0; o < k; o++) {
        for (int j = 0; j < d; j++) {
          m[o] += x[i][j] * w[o * d + j];
        }
        if (intercept) {
          m[o] += w[k * d + o];
        }
      }
      double y = labels[i];
      double[] dm = new double[k];
      double l;
      switch (loss.name()) {
        case "logistic" -> {
          l = Math.log1p(Math.exp(m[0])) - y * m[0];
          dm[0] = 1 / (1 + Math.exp(-m[0])) - y;
        }
        case "multinomial" -> {
          double z = 0;
          for (double mo : m) {
            z += Math.exp(mo);
          }
          l = Math.log(z) - m[(int) y];
          for (int o = 0; o < k; o++) {
            dm[o] = Math.exp(m[o]) / z - (o == (int) y ? 1 : 0);
          }
        }
        case "squared" -> {
          l = 0.5 * (m[0] - y) * (m[0] - y);
          dm[0] = m[0] - y;
        }
        case "hinge" -> {
          double t = 2 * y - 1;
          l = Math.max(0, 1 - t * m[0]);
          dm[0] = 1 - t * m[0] > 0 ? -t : 0;
        }
        case "huber" -> {
          double r = m[0] - y;
          l = Math.abs(r) <= huberDelta ? 0.5 * r * r : huberDelta * (Math.abs(r) - huberDelta / 2);
          dm[0] = Math.max(-huberDelta, Math.min(huberDelta, r));
        }
        default -> throw new IllegalArgumentException(loss.name());
      }
      double wi = weights[i];
      weightSum += wi;
      lossSum += wi * l;
      for (int o = 0; o < k; o++) {
        for (int j = 0; j < d; j++) {
          grad[o * d + j] += wi * dm[o] * x[i][j];
        }
        if (intercept) {
          grad[k * d + o] += wi * dm[o];
        }
      }
    }
    for (int i = 0; i < grad.length; i++) {
      grad[i] /= weightSum;
    }
    return lossSum / weightSum;
  }
}

package dev.arbor.train.data;

import dev.arbor.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Prepared-split-shaped DataFrames from {@link LabeledRow}s, with a chosen partitioning. */
public final class Frames {
  private Frames() {}

  public static List<String> featureNames(int d) {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f_" + j);
    }
    return names;
  }

  /**
   * A split with columns {@code row_id, label, weight, f_0 … f_{d−1}}, its rows in {@code
   * partitions} contiguous slices (Spark's {@code parallelize}: deterministic contents and order).
   */
  public static Dataset<Row> split(List<LabeledRow> rows, int partitions) {
    SparkSession spark = SparkTestSession.get();
    int d = rows.get(0).features().length;
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("row_id", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("weight", DataTypes.DoubleType, false));
    for (String f : featureNames(d)) {
      fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
    }
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      LabeledRow r = rows.get(i);
      Object[] values = new Object[3 + d];
      values[0] = "r" + i;
      values[1] = r.label();
      values[2] = r.weight();
      for (int j = 0; j < d; j++) {
        values[3 + j] = r.features()[j];
      }
      out.add(RowFactory.create(values));
    }
    JavaRDD<Row> rdd =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(out, partitions);
    return spark.createDataFrame(rdd, DataTypes.createStructType(fields));
  }

  /** The rows of each partition of {@code split}, in order (as Spark holds them). */
  public static List<List<LabeledRow>> partitions(Dataset<Row> split, int d) {
    List<List<LabeledRow>> out = new ArrayList<>();
    StructType schema = split.schema();
    int label = schema.fieldIndex("label");
    int weight = schema.fieldIndex("weight");
    int first = schema.fieldIndex("f_0");
    for (List<Row> part : split.javaRDD().glom().collect()) {
      List<LabeledRow> rows = new ArrayList<>();
      for (Row r : part) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
          x[j] = r.getDouble(first + j);
        }
        rows.add(new LabeledRow(x, r.getDouble(label), r.getDouble(weight)));
      }
      out.add(rows);
    }
    return out;
  }

  /** The same rows with every feature rounded to float (what float32 storage holds). */
  public static List<LabeledRow> roundedToFloat(List<LabeledRow> rows) {
    List<LabeledRow> out = new ArrayList<>();
    for (LabeledRow r : rows) {
      double[] x = r.features().clone();
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) x[j];
      }
      out.add(new LabeledRow(x, r.label(), r.weight()));
    }
    return out;
  }
}

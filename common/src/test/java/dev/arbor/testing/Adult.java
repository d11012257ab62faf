package dev.arbor.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * UCI Adult ({@code ../shared/datasets/uci-adult}): {@code adult.data} (32,561 rows) and {@code
 * adult.test} (16,281 rows) as raw DataFrames, with {@code ?} read as missing and the test file's
 * labels ({@code ">50K."}) written like the training file's ({@code ">50K"}).
 */
public final class Adult {
  /** The categorical columns (per adult.names); the other six are numeric. */
  public static final List<String> CATEGORICAL =
      List.of(
          "workclass",
          "education",
          "marital-status",
          "occupation",
          "relationship",
          "race",
          "sex",
          "native-country");

  /** Column names and types from adult.names; the label is {@code income}. */
  public static final StructType SCHEMA =
      new StructType()
          .add("age", DataTypes.IntegerType)
          .add("workclass", DataTypes.StringType)
          .add("fnlwgt", DataTypes.IntegerType)
          .add("education", DataTypes.StringType)
          .add("education-num", DataTypes.IntegerType)
          .add("marital-status", DataTypes.StringType)
          .add("occupation", DataTypes.StringType)
          .add("relationship", DataTypes.StringType)
          .add("race", DataTypes.StringType)
          .add("sex", DataTypes.StringType)
          .add("capital-gain", DataTypes.IntegerType)
          .add("capital-loss", DataTypes.IntegerType)
          .add("hours-per-week", DataTypes.IntegerType)
          .add("native-country", DataTypes.StringType)
          .add("income", DataTypes.StringType);

  private Adult() {}

  /** Reads {@code uci-adult/<file>} ({@code adult.data} or {@code adult.test}). */
  public static Dataset<Row> read(SparkSession spark, String file) {
    return spark
        .read()
        .schema(SCHEMA)
        .option("header", "false")
        .option("sep", ", ")
        .option("nullValue", "?")
        .option("comment", "|") // adult.test's junk first line
        .option("mode", "FAILFAST")
        .csv(TestPaths.dataset("uci-adult/" + file).toString())
        // adult.test writes its labels ">50K." and "<=50K."
        .withColumn("income", regexp_replace(col("income"), "\\.$", ""));
  }
}

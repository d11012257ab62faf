package dev.arbor.eval.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.arbor.DataValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/** Input checks and plan execution shared by the evaluators. */
final class Frames {
  private Frames() {}

  /**
   * Selects {@code columns} of {@code predictions} as DOUBLE columns of the same names.
   *
   * @throws DataValidationException when a column is missing or not numeric
   */
  static Dataset<Row> selectDoubles(Dataset<Row> predictions, String... columns) {
    List<String> present = Arrays.asList(predictions.columns());
    List<Column> selected = new ArrayList<>();
    for (String c : columns) {
      if (!present.contains(c)) {
        throw new DataValidationException(
            "Invalid predictions: missing column '"
                + c
                + "' (expected columns "
                + String.join(", ", columns)
                + "; found "
                + String.join(", ", present)
                + ")");
      }
      StructField field = predictions.schema().apply(c);
      if (!(field.dataType() instanceof NumericType)) {
        throw new DataValidationException(
            "Invalid predictions: column '"
                + c
                + "' has type "
                + field.dataType().simpleString()
                + " (expected double)");
      }
      selected.add(col(c).cast(DataTypes.DoubleType).as(c));
    }
    return predictions.select(selected.toArray(Column[]::new));
  }

  /** A global aggregation of {@code df} with the (non-empty) aggregate expressions. */
  static Dataset<Row> agg(Dataset<Row> df, Column[] aggregates) {
    return df.agg(aggregates[0], Arrays.copyOfRange(aggregates, 1, aggregates.length));
  }

  /** Counts the rows where {@code condition} holds (an aggregate expression). */
  static Column countIf(Column condition) {
    return sum(when(condition, lit(1L)).otherwise(lit(0L)));
  }

  /** Null, NaN or infinite. */
  static Column notFinite(Column c) {
    return c.isNull()
        .or(isnan(c))
        .or(c.equalTo(lit(Double.POSITIVE_INFINITY)))
        .or(c.equalTo(lit(Double.NEGATIVE_INFINITY)));
  }

  /** Rows with a weight that is not a finite number {@code >= 0}. */
  static Column badWeight(Column weight) {
    return notFinite(weight).or(weight.lt(0.0));
  }

  /** Outside [0, 1] or not a number. */
  static Column notProbability(Column c) {
    return c.isNull().or(isnan(c)).or(c.lt(0.0)).or(c.gt(1.0));
  }

  /** Throws when {@code badRows > 0}: "Invalid predictions: N rows with <what> in column 'c'". */
  static void checkNone(long badRows, String column, String what) {
    DataValidationException.check(
        badRows == 0, "Invalid predictions: %d rows with %s in column '%s'", badRows, what, column);
  }

  /** Hands {@code plan} to the observer, then collects it. */
  static List<Row> collect(Dataset<Row> plan, Consumer<Dataset<Row>> observer) {
    observer.accept(plan);
    return plan.collectAsList();
  }

  /** The single row of a global aggregation. */
  static Row collectOne(Dataset<Row> plan, Consumer<Dataset<Row>> observer) {
    List<Row> rows = collect(plan, observer);
    if (rows.size() != 1) {
      throw new IllegalStateException("Expected one aggregate row, got " + rows.size());
    }
    return rows.get(0);
  }

  /** {@code num / den}, or 0 when {@code den == 0} (scikit-learn's {@code zero_division=0}). */
  static double ratio(double num, double den) {
    return den == 0.0 ? 0.0 : num / den;
  }

  /** F1 from precision and recall as scikit-learn computes it (0 when both are 0). */
  static double f1(double precision, double recall) {
    double denom = precision + recall;
    return denom == 0.0 ? 0.0 : 2.0 * precision * recall / denom;
  }

  /** A nullable double field of an aggregate row, 0 when null (sum over no rows). */
  static double doubleOrZero(Row row, String field) {
    Object v = row.get(row.fieldIndex(field));
    return v == null ? 0.0 : ((Number) v).doubleValue();
  }

  /** A nullable long field of an aggregate row, 0 when null. */
  static long longOrZero(Row row, String field) {
    Object v = row.get(row.fieldIndex(field));
    return v == null ? 0L : ((Number) v).longValue();
  }
}

package dev.arbor.prep;

import static dev.arbor.ingest.InputColumns.ref;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.var_pop;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Statistics of the present values (not null, not NaN, not infinite) of many numeric columns, all
 * computed in one pass over the rows, at any width: per column the present count, the mean, the sum
 * of squared deviations from the mean ({@code var_pop · n}: Spark's numerically stable merge, no
 * catastrophic cancellation of Σx² − n·mean²), the minimum, the maximum and, where asked, the exact
 * median ({@code median} = {@code percentile(x, 0.5)}, interpolating between the two middle
 * values).
 *
 * <h2>Plan</h2>
 *
 * The columns are cut into groups of {@value #GROUP}; every row becomes one row per group (an
 * {@code explode} of an array of structs {@code (g, x0 … x15)}), and one grouped aggregation by
 * {@code g} computes the same {@value #GROUP} sets of aggregates for every group. So the plan's
 * aggregate list has a fixed size (below Spark's {@code spark.sql.codegen.maxFields}, so the
 * aggregation runs whole-stage code-generated) whatever the number of columns, there is no deep
 * expression anywhere, and the shuffle carries one small row per (task, group). Plain Catalyst
 * expressions and aggregates (explode, avg, var_pop, min, max, median): RAPIDS runs the plan on the
 * GPU ({@code PrepGpuCoverageTest}).
 */
final class ColumnStats {
  /** Columns per group (per exploded row). */
  static final int GROUP = 16;

  private static final int PER_SLOT = 6;

  /** Statistics of column i at index i of each array (null median: not asked). */
  record Result(
      long rows,
      long[] present,
      double[] mean,
      double[] m2,
      double[] min,
      double[] max,
      double[] median) {}

  private ColumnStats() {}

  /**
   * The aggregation: one row per group of columns that has rows: {@code g}, {@code rows}, then per
   * slot j of the group {@code n_j}, {@code mean_j}, {@code var_j} (population variance), {@code
   * min_j}, {@code max_j}, {@code median_j} (null where not asked).
   *
   * @param median per column, whether its median is needed
   */
  static Dataset<Row> plan(Dataset<Row> rows, List<String> columns, boolean[] median) {
    int k = columns.size();
    int groups = Math.max(1, (k + GROUP - 1) / GROUP);
    boolean anyMedian = false;
    for (boolean m : median) {
      anyMedian |= m;
    }
    List<Column> structs = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      List<Column> fields = new ArrayList<>();
      fields.add(lit(g).as("g"));
      for (int j = 0; j < GROUP; j++) {
        int i = g * GROUP + j;
        Column x = i < k ? present(columns.get(i)) : lit(null).cast("double");
        fields.add(x.as("x" + j));
        if (anyMedian) {
          fields.add((i < k && median[i] ? x : lit(null).cast("double")).as("m" + j));
        }
      }
      structs.add(struct(fields.toArray(Column[]::new)));
    }
    Dataset<Row> exploded =
        rows.select(explode(array(structs.toArray(Column[]::new))).as("e")).select(col("e.*"));
    List<Column> aggs = new ArrayList<>();
    for (int j = 0; j < GROUP; j++) {
      Column x = col("x" + j);
      aggs.add(count(x).as("n_" + j));
      aggs.add(avg(x).as("mean_" + j));
      aggs.add(var_pop(x).as("var_" + j));
      aggs.add(min(x).as("min_" + j));
      aggs.add(max(x).as("max_" + j));
      aggs.add((anyMedian ? median(col("m" + j)) : lit(null).cast("double")).as("median_" + j));
    }
    return exploded.groupBy(col("g")).agg(count(lit(1)).as("rows"), aggs.toArray(Column[]::new));
  }

  /** Runs {@link #plan} and collects the statistics of every column. */
  static Result compute(Dataset<Row> rows, List<String> columns, boolean[] median) {
    int k = columns.size();
    long n = 0;
    long[] present = new long[k];
    double[] mean = new double[k];
    double[] m2 = new double[k];
    double[] lo = new double[k];
    double[] hi = new double[k];
    double[] med = new double[k];
    for (Row r : plan(rows, columns, median).collectAsList()) {
      int g = r.getInt(0);
      n = r.getLong(1);
      for (int j = 0; j < GROUP && g * GROUP + j < k; j++) {
        int i = g * GROUP + j;
        int at = 2 + PER_SLOT * j;
        present[i] = r.getLong(at);
        mean[i] = doubleOrNaN(r, at + 1);
        m2[i] = doubleOrNaN(r, at + 2) * present[i];
        lo[i] = doubleOrNaN(r, at + 3);
        hi[i] = doubleOrNaN(r, at + 4);
        med[i] = doubleOrNaN(r, at + 5);
      }
    }
    return new Result(n, present, mean, m2, lo, hi, med);
  }

  private static double doubleOrNaN(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }

  /** The column as a double, null when missing or non-finite. */
  static Column present(String column) {
    Column d = ref(column).cast("double");
    return when(
            isnan(d).or(abs(d).equalTo(lit(Double.POSITIVE_INFINITY))), lit(null).cast("double"))
        .otherwise(d);
  }
}

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

import dev.arbor.spark.ScopedConf;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
 * Up to {@value #DIRECT} columns (every benchmark's 50), one aggregation over the rows grouped by a
 * constant (RAPIDS runs {@code var_pop} in a grouped aggregation only, not in a reduction) with the
 * same six aggregates per column. That aggregation has more buffer fields than Spark's {@code
 * spark.sql.codegen.maxFields} (100), so {@link #compute} raises the limit for its action only
 * ({@value #MAX_FIELDS}), and it runs whole-stage code-generated. Measured on the 1M × 50 benchmark
 * input (docs/benchmarks.md): 2.5–3.1 s, against 11.9 s for the exploded plan below.
 *
 * <p>Wider, the columns are cut into groups of {@value #GROUP}; every row becomes one row per group
 * (an {@code explode} of an array of structs {@code (g, x0 … x15)}), and one grouped aggregation by
 * {@code g} computes the same {@value #GROUP} sets of aggregates for every group. So the plan's
 * aggregate list has a fixed size whatever the number of columns, there is no deep expression
 * anywhere, and the shuffle carries one small row per (task, group). One aggregation per 64 columns
 * instead was slower there: WideInputTest's 5,000 columns took 215 s instead of 155 s, each
 * aggregation a job and a code generation of its own.
 *
 * <p>Both plans fold each column's values in the same order, so their statistics are the same bit
 * for bit ({@code ColumnStatsTest}). Plain Catalyst expressions and aggregates (explode, avg,
 * var_pop, min, max, median): RAPIDS runs either plan on the GPU ({@code PrepGpuCoverageTest}).
 */
final class ColumnStats {
  /** Columns up to which the plan is one aggregation without explode. */
  static final int DIRECT = 64;

  /** Columns per group (per exploded row) above {@link #DIRECT}. */
  static final int GROUP = 16;

  /**
   * The {@code spark.sql.codegen.maxFields} of the direct plan's action: above its fields (per
   * column at most 9 buffer fields: count 1, avg 2, var_pop 3, min 1, max 1, median 1).
   */
  static final int MAX_FIELDS = 1000;

  private static final String MAX_FIELDS_KEY = "spark.sql.codegen.maxFields";

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
   * The aggregation: one row per group of columns that has rows (the direct plan: one group of all
   * columns): {@code g}, {@code rows}, then per slot j of the group {@code n_j}, {@code mean_j},
   * {@code var_j} (population variance), {@code min_j}, {@code max_j}, {@code median_j} (null where
   * not asked).
   *
   * @param median per column, whether its median is needed
   */
  static Dataset<Row> plan(Dataset<Row> rows, List<String> columns, boolean[] median) {
    return isDirect(columns) ? direct(rows, columns, median) : exploded(rows, columns, median);
  }

  /** The plan without explode (any width; {@link #plan} uses it up to {@value #DIRECT} columns). */
  static Dataset<Row> direct(Dataset<Row> rows, List<String> columns, boolean[] median) {
    List<Column> aggs = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Column x = present(columns.get(i));
      aggs.addAll(aggregates(i, x, median[i] ? x : null));
    }
    return rows.groupBy(lit(0).as("g")).agg(count(lit(1)).as("rows"), aggs.toArray(Column[]::new));
  }

  /** The exploded plan (any width; {@link #plan} uses it above {@value #DIRECT} columns). */
  static Dataset<Row> exploded(Dataset<Row> rows, List<String> columns, boolean[] median) {
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
      aggs.addAll(aggregates(j, col("x" + j), anyMedian ? col("m" + j) : null));
    }
    return exploded.groupBy(col("g")).agg(count(lit(1)).as("rows"), aggs.toArray(Column[]::new));
  }

  /** The six aggregates of slot j over x (the median over m, null when not asked). */
  private static List<Column> aggregates(int j, Column x, Column m) {
    return List.of(
        count(x).as("n_" + j),
        avg(x).as("mean_" + j),
        var_pop(x).as("var_" + j),
        min(x).as("min_" + j),
        max(x).as("max_" + j),
        (m != null ? median(m) : lit(null).cast("double")).as("median_" + j));
  }

  /** Runs {@link #plan} and collects the statistics of every column. */
  static Result compute(Dataset<Row> rows, List<String> columns, boolean[] median) {
    return isDirect(columns)
        ? collect(
            ScopedConf.with(
                rows.sparkSession(),
                MAX_FIELDS_KEY,
                String.valueOf(Math.max(MAX_FIELDS, maxFields(rows.sparkSession()))),
                () -> direct(rows, columns, median).collectAsList()),
            columns.size(),
            Math.max(1, columns.size()))
        : collectExploded(rows, columns, median);
  }

  /** Runs the exploded plan and collects the statistics of every column. */
  static Result collectExploded(Dataset<Row> rows, List<String> columns, boolean[] median) {
    return collect(exploded(rows, columns, median).collectAsList(), columns.size(), GROUP);
  }

  private static boolean isDirect(List<String> columns) {
    return columns.size() <= DIRECT;
  }

  private static int maxFields(SparkSession spark) {
    return Integer.parseInt(spark.conf().get(MAX_FIELDS_KEY, "100"));
  }

  /** The statistics of k columns from the rows of a plan whose groups have {@code width} slots. */
  private static Result collect(List<Row> groups, int k, int width) {
    long n = 0;
    long[] present = new long[k];
    double[] mean = new double[k];
    double[] m2 = new double[k];
    double[] lo = new double[k];
    double[] hi = new double[k];
    double[] med = new double[k];
    for (Row r : groups) {
      int g = r.getInt(0);
      n = r.getLong(1);
      for (int j = 0; j < width && g * width + j < k; j++) {
        int i = g * width + j;
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

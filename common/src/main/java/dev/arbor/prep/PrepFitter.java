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
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.arbor.DataValidationException;
import dev.arbor.ingest.ResolvedSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link PrepModel} on the training split only (no leakage from validation or test rows),
 * with three aggregations, each computing all statistics of its kind in one pass:
 *
 * <ol>
 *   <li>{@link #numericStatsPlan}: per numeric column the non-missing count, mean and, for median
 *       imputation, the exact median (Spark {@code median} = {@code percentile(x, 0.5)}, which
 *       interpolates between the two middle values; RAPIDS runs it on the GPU, exactly, while its
 *       {@code percentile_approx} is a different t-digest estimate than the CPU's, so the exact
 *       form also keeps CPU and GPU runs equal). Its buffer holds one entry per distinct value:
 *       fine for typical feature columns.
 *   <li>{@link #categoryCountsPlan}: the top-K categories of every categorical column (count
 *       descending, ties by value ascending, missing first), via one explode + group-by.
 *   <li>{@link #scalingStatsPlan}: per numeric column, on imputed values, shifted sums {@code Σ(v -
 *       s)} and {@code Σ(v - s)²} with s the mean from step 1 (a numerically stable variance
 *       without a second pass over the data; RAPIDS has no GPU {@code stddev} for doubles), and the
 *       minimum and maximum.
 * </ol>
 *
 * A column whose imputed training values are all equal (maximum = minimum) is reported constant and
 * gets scale 1: nothing divides by zero, so ANSI mode cannot fail.
 */
final class PrepFitter {
  private static final Logger LOG = LoggerFactory.getLogger(PrepFitter.class);

  private PrepFitter() {}

  /** Fits the model on {@code train} (annotated rows of the training split). */
  static PrepModel fit(Dataset<Row> train, ResolvedSchema schema, PrepareSettings s) {
    List<String> numeric = schema.numericFeatures();
    int k = numeric.size();
    Row stats = numericStatsPlan(train, schema, s).collectAsList().get(0);
    long rows = stats.getLong(0);
    if (rows == 0) {
      throw new DataValidationException(
          "Cannot fit the prep model: the training split is empty (too few valid input rows)");
    }
    double[] impute = new double[k];
    double[] shift = new double[k];
    long[] missing = new long[k];
    for (int i = 0; i < k; i++) {
      String c = numeric.get(i);
      long n = stats.getLong(1 + 3 * i);
      missing[i] = rows - n;
      ImputeRule rule = s.imputeRule(c);
      if (n == 0 && rule.method() != ImputeMethod.CONSTANT) {
        throw new DataValidationException(
            "Cannot fit imputation for column '"
                + c
                + "': no non-missing value in the "
                + rows
                + " rows of the training split (expected at least one for impute method "
                + rule.method().configName()
                + ")");
      }
      double mean = n == 0 ? rule.constant() : stats.getDouble(2 + 3 * i);
      impute[i] =
          switch (rule.method()) {
            case MEAN, DROP_ROW -> mean;
            case MEDIAN -> stats.getDouble(3 + 3 * i);
            case CONSTANT -> rule.constant();
          };
      shift[i] = mean;
    }
    Row scaling =
        k == 0 ? null : scalingStatsPlan(train, schema, impute, shift).collectAsList().get(0);
    double[] unit = unitsForOverflow(scaling, numeric, shift);
    if (unit != null) {
      scaling = scalingStatsPlan(train, schema, impute, shift, unit).collectAsList().get(0);
    }

    FeatureNames names = new FeatureNames();
    List<Feature> features = new ArrayList<>();
    List<NumericColumn> numericColumns = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      String c = numeric.get(i);
      // With a unit u (only for columns whose squares overflow), the sums are of (v - s) / u.
      double u = unit == null ? 1.0 : unit[i];
      double d1 = scaling.getDouble(4 * i) / rows;
      double d2 = scaling.getDouble(4 * i + 1) / rows;
      double lo = scaling.getDouble(4 * i + 2);
      double hi = scaling.getDouble(4 * i + 3);
      double mean = shift[i] + d1 * u;
      double std = Math.sqrt(Math.max(0.0, d2 - d1 * d1)) * u;
      if (!Double.isFinite(mean) || !Double.isFinite(std)) {
        throw new DataValidationException(
            "Cannot fit scaling for column '"
                + c
                + "': its statistics overflow double precision (mean "
                + mean
                + ", standard deviation "
                + std
                + ", range ["
                + lo
                + ", "
                + hi
                + "]) (expected magnitudes below about 1e300)");
      }
      boolean constant = hi == lo;
      double center;
      double scale;
      switch (s.scale()) {
        case STANDARDIZE -> {
          center = mean;
          scale = constant ? 1.0 : std;
        }
        case MIN_MAX -> {
          center = lo;
          scale = constant ? 1.0 : hi - lo;
        }
        default -> {
          center = 0.0;
          scale = 1.0;
        }
      }
      if (constant) {
        LOG.warn(
            "Numeric feature '{}' is constant ({}) on the training split: scale set to 1", c, lo);
      }
      ImputeRule rule = s.imputeRule(c);
      numericColumns.add(new NumericColumn(c, rule.method(), impute[i], missing[i], constant));
      features.add(new Feature(names.unique(c), Feature.Origin.NUMERIC, c, null, center, scale));
    }

    Map<String, List<String>> top = topCategories(train, schema, s);
    for (String c : schema.categoricalColumns()) {
      for (String v : top.getOrDefault(c, List.of())) {
        features.add(
            v == null
                ? new Feature(names.unique(c + "__missing"), Feature.Origin.MISSING, c, null, 0, 1)
                : new Feature(names.unique(c + "__" + v), Feature.Origin.CATEGORY, c, v, 0, 1));
      }
      features.add(new Feature(names.unique(c + "__other"), Feature.Origin.OTHER, c, null, 0, 1));
    }
    PrepModel model =
        new PrepModel(
            PrepModel.FORMAT_VERSION,
            schema.task(),
            schema.labelColumn(),
            schema.weightColumn(),
            schema.idColumn(),
            schema.classes(),
            numericColumns,
            schema.categoricalColumns(),
            s.scale(),
            features,
            rows);
    LOG.info(
        "Fitted prep model on {} training rows: {} features ({} numeric, {} constant)",
        rows,
        features.size(),
        k,
        model.constantFeatures().size());
    return model;
  }

  /**
   * One row: the row count, then per numeric column {@code n_i} (non-missing count), {@code mean_i}
   * (mean of non-missing values) and {@code median_i} (exact median; only computed, else null, for
   * median imputation).
   */
  static Dataset<Row> numericStatsPlan(
      Dataset<Row> train, ResolvedSchema schema, PrepareSettings s) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("rows"));
    List<String> numeric = schema.numericFeatures();
    for (int i = 0; i < numeric.size(); i++) {
      Column x = present(numeric.get(i));
      aggs.add(count(x).as("n_" + i));
      aggs.add(avg(x).as("mean_" + i));
      aggs.add(
          (s.imputeRule(numeric.get(i)).method() == ImputeMethod.MEDIAN
                  ? median(x)
                  : lit(null).cast("double"))
              .as("median_" + i));
    }
    return train.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  /**
   * The top-K categories of every categorical column: rows {@code (c, v, count, rank)} with {@code
   * c} the column's index in {@link ResolvedSchema#categoricalColumns()}, {@code v} the value cast
   * to string (null: missing), rank 1..K.
   */
  static Dataset<Row> categoryCountsPlan(
      Dataset<Row> train, ResolvedSchema schema, PrepareSettings s) {
    List<Column> pairs = new ArrayList<>();
    List<String> cats = schema.categoricalColumns();
    for (int i = 0; i < cats.size(); i++) {
      pairs.add(struct(lit(i).as("c"), ref(cats.get(i)).cast("string").as("v")));
    }
    Dataset<Row> values =
        train
            .select(explode(array(pairs.toArray(Column[]::new))).as("e"))
            .select(col("e.c").as("c"), col("e.v").as("v"));
    if (!s.missingAsCategory()) {
      values = values.filter(col("v").isNotNull());
    }
    Column rank =
        row_number()
            .over(
                Window.partitionBy(col("c"))
                    .orderBy(col("count").desc(), col("v").asc_nulls_first()));
    return values
        .groupBy(col("c"), col("v"))
        .count()
        .withColumn("rank", rank)
        .filter(col("rank").leq(s.topK()));
  }

  /**
   * One row: per numeric column, on imputed values v and with shift s_i, {@code Σ(v - s_i)}, {@code
   * Σ(v - s_i)²}, {@code min(v)} and {@code max(v)}.
   */
  static Dataset<Row> scalingStatsPlan(
      Dataset<Row> train, ResolvedSchema schema, double[] impute, double[] shift) {
    return scalingStatsPlan(train, schema, impute, shift, null);
  }

  /**
   * As {@link #scalingStatsPlan(Dataset, ResolvedSchema, double[], double[])}, with the shifted
   * values divided by {@code unit[i]} (when {@code unit} is not null and {@code unit[i] != 1}) so
   * that their squares stay finite: for columns with magnitudes near 1e300.
   */
  static Dataset<Row> scalingStatsPlan(
      Dataset<Row> train, ResolvedSchema schema, double[] impute, double[] shift, double[] unit) {
    List<Column> aggs = new ArrayList<>();
    List<String> numeric = schema.numericFeatures();
    for (int i = 0; i < numeric.size(); i++) {
      Column x = present(numeric.get(i));
      Column v = when(x.isNull(), lit(impute[i])).otherwise(x);
      Column d = v.minus(lit(shift[i]));
      if (unit != null && unit[i] != 1.0) {
        d = d.divide(lit(unit[i]));
      }
      aggs.add(sum(d).as("d1_" + i));
      aggs.add(sum(d.multiply(d)).as("d2_" + i));
      aggs.add(min(v).as("min_" + i));
      aggs.add(max(v).as("max_" + i));
    }
    return train.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  /**
   * Per column, the unit of a second scaling pass when the first pass's sum of squares overflowed
   * (values near 1e300): the largest distance of the range to the shift, so every scaled value is
   * in [-1, 1]; 1 for the other columns. Null when no column overflowed (the usual case: one pass,
   * and the statistics are exactly those of the plain sums).
   */
  private static double[] unitsForOverflow(Row scaling, List<String> numeric, double[] shift) {
    int k = numeric.size();
    double[] unit = null;
    for (int i = 0; i < k; i++) {
      double lo = scaling.getDouble(4 * i + 2);
      double hi = scaling.getDouble(4 * i + 3);
      boolean overflowed =
          !Double.isFinite(scaling.getDouble(4 * i))
              || !Double.isFinite(scaling.getDouble(4 * i + 1));
      double u = Math.max(Math.abs(lo - shift[i]), Math.abs(hi - shift[i]));
      if (overflowed && Double.isFinite(u) && u > 0) {
        if (unit == null) {
          unit = new double[k];
          java.util.Arrays.fill(unit, 1.0);
        }
        unit[i] = u;
        LOG.warn(
            "Numeric feature '{}': sum of squares overflows (range [{}, {}]): rescaling by {}",
            numeric.get(i),
            lo,
            hi,
            u);
      }
    }
    return unit;
  }

  private static Map<String, List<String>> topCategories(
      Dataset<Row> train, ResolvedSchema schema, PrepareSettings s) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (schema.categoricalColumns().isEmpty()) {
      return out;
    }
    List<Row> rows = categoryCountsPlan(train, schema, s).collectAsList();
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(
        (a, b) ->
            a.getInt(0) != b.getInt(0)
                ? Integer.compare(a.getInt(0), b.getInt(0))
                : Integer.compare(a.getInt(3), b.getInt(3)));
    for (Row r : sorted) {
      String column = schema.categoricalColumns().get(r.getInt(0));
      out.computeIfAbsent(column, c -> new ArrayList<>())
          .add(r.isNullAt(1) ? null : r.getString(1));
    }
    return out;
  }

  /** The column as a double, null when missing or non-finite. */
  private static Column present(String column) {
    Column d = ref(column).cast("double");
    return when(
            isnan(d).or(abs(d).equalTo(lit(Double.POSITIVE_INFINITY))), lit(null).cast("double"))
        .otherwise(d);
  }
}

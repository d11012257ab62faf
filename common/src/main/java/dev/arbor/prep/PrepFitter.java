package dev.arbor.prep;

import static dev.arbor.ingest.InputColumns.ref;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
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
 * with one pass over the numeric columns and, with categorical columns, one more:
 *
 * <ol>
 *   <li>{@link #numericStatsPlan} ({@link ColumnStats}): per numeric column, in one grouped
 *       aggregation at any width, the present count, mean, variance (Spark's numerically stable
 *       merge), minimum, maximum and, for median imputation, the exact median (Spark {@code median}
 *       = {@code percentile(x, 0.5)}, which interpolates between the two middle values; RAPIDS runs
 *       it on the GPU, exactly, while its {@code percentile_approx} is a different t-digest
 *       estimate than the CPU's, so the exact form also keeps CPU and GPU runs equal; its buffer
 *       holds one entry per distinct value: fine for typical feature columns). The statistics of
 *       the imputed values (present values plus copies of the impute value) follow from these
 *       exactly: their mean, and their sum of squared deviations by the parallel-variance merge.
 *   <li>{@link #categoryCountsPlan}: the top-K categories of every categorical column (count
 *       descending, ties by value ascending, missing first), via one explode + group-by.
 * </ol>
 *
 * Only when a column's variance overflows double precision (magnitudes near 1e300) does {@link
 * #scalingStatsPlan} run a second pass, over those columns only, on values shifted and divided so
 * that every square stays finite.
 *
 * <p>A column whose imputed training values are all equal (maximum = minimum) is reported constant
 * and gets scale 1: nothing divides by zero, so ANSI mode cannot fail.
 */
final class PrepFitter {
  private static final Logger LOG = LoggerFactory.getLogger(PrepFitter.class);

  private PrepFitter() {}

  /** Fits the model on {@code train} (annotated rows of the training split). */
  static PrepModel fit(Dataset<Row> train, ResolvedSchema schema, PrepareSettings s) {
    List<String> numeric = schema.numericFeatures();
    int k = numeric.size();
    ColumnStats.Result stats = ColumnStats.compute(train, numeric, medianNeeded(numeric, s));
    long rows = stats.rows();
    if (rows == 0) {
      throw new DataValidationException(
          "Cannot fit the prep model: the training split is empty (too few valid input rows)");
    }
    double[] impute = new double[k];
    long[] missing = new long[k];
    double[] mean = new double[k];
    double[] std = new double[k];
    double[] lo = new double[k];
    double[] hi = new double[k];
    List<Integer> overflowed = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      String c = numeric.get(i);
      long n = stats.present()[i];
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
      impute[i] =
          switch (rule.method()) {
            case MEAN, DROP_ROW -> stats.mean()[i];
            case MEDIAN -> stats.median()[i];
            case CONSTANT -> rule.constant();
          };
      // The imputed values: the n present values and (rows - n) copies of the impute value v.
      // Their mean, and their sum of squared deviations by the parallel-variance merge of the two
      // parts: exact algebra on the one pass's statistics, no second pass over the data.
      double v = impute[i];
      long m = rows - n;
      double mu = n == 0 ? v : stats.mean()[i];
      double m2 = n == 0 ? 0.0 : stats.m2()[i];
      double center = mu + (v - mu) * ((double) m / rows);
      double dm = mu - center;
      double dv = v - center;
      double total = m2 + n * dm * dm + m * dv * dv;
      mean[i] = center;
      std[i] = Math.sqrt(Math.max(0.0, total / rows));
      lo[i] = n == 0 ? v : m > 0 ? Math.min(stats.min()[i], v) : stats.min()[i];
      hi[i] = n == 0 ? v : m > 0 ? Math.max(stats.max()[i], v) : stats.max()[i];
      if (!Double.isFinite(center) || !Double.isFinite(std[i])) {
        overflowed.add(i);
      }
    }
    if (!overflowed.isEmpty()) {
      rescaleOverflowed(train, schema, impute, mean, lo, hi, overflowed, rows, std);
    }

    FeatureNames names = new FeatureNames();
    List<Feature> features = new ArrayList<>();
    List<NumericColumn> numericColumns = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      String c = numeric.get(i);
      if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i])) {
        throw new DataValidationException(
            "Cannot fit scaling for column '"
                + c
                + "': its statistics overflow double precision (mean "
                + mean[i]
                + ", standard deviation "
                + std[i]
                + ", range ["
                + lo[i]
                + ", "
                + hi[i]
                + "]) (expected magnitudes below about 1e300)");
      }
      boolean constant = hi[i] == lo[i];
      double center;
      double scale;
      switch (s.scale()) {
        case STANDARDIZE -> {
          center = mean[i];
          scale = constant ? 1.0 : std[i];
        }
        case MIN_MAX -> {
          center = lo[i];
          scale = constant ? 1.0 : hi[i] - lo[i];
        }
        default -> {
          center = 0.0;
          scale = 1.0;
        }
      }
      if (constant) {
        LOG.warn(
            "Numeric feature '{}' is constant ({}) on the training split: scale set to 1",
            c,
            lo[i]);
      }
      ImputeRule rule = s.imputeRule(c);
      numericColumns.add(new NumericColumn(c, rule.method(), impute[i], missing[i], constant));
      features.add(new Feature(names.unique(c), Feature.Origin.NUMERIC, c, null, center, scale));
    }

    OneHotEncoding.Result oneHot =
        OneHotEncoding.encode(
            schema.categoricalColumns(), topCategories(train, schema, s), s, names);
    features.addAll(oneHot.features());
    PrepModel model =
        new PrepModel(
            PrepModel.formatVersionFor(oneHot.referenceLevels()),
            schema.task(),
            schema.labelColumn(),
            schema.weightColumn(),
            schema.idColumn(),
            schema.classes(),
            numericColumns,
            schema.categoricalColumns(),
            s.scale(),
            features,
            oneHot.referenceLevels(),
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
   * The one pass of per-column statistics over the numeric columns ({@link ColumnStats#plan}): the
   * row count and, per column, the present count, mean, variance, minimum, maximum and, for median
   * imputation only, the exact median.
   */
  static Dataset<Row> numericStatsPlan(
      Dataset<Row> train, ResolvedSchema schema, PrepareSettings s) {
    return ColumnStats.plan(
        train, schema.numericFeatures(), medianNeeded(schema.numericFeatures(), s));
  }

  static boolean[] medianNeeded(List<String> numeric, PrepareSettings s) {
    boolean[] out = new boolean[numeric.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.imputeRule(numeric.get(i)).method() == ImputeMethod.MEDIAN;
    }
    return out;
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
    List<String> numeric = schema.numericFeatures();
    List<Integer> all = java.util.stream.IntStream.range(0, numeric.size()).boxed().toList();
    double[] unit = new double[numeric.size()];
    java.util.Arrays.fill(unit, 1.0);
    return scalingStatsPlan(train, numeric, all, impute, shift, unit);
  }

  /**
   * As {@link #scalingStatsPlan(Dataset, ResolvedSchema, double[], double[])} for the columns at
   * {@code indices} only (in that order), with the shifted values divided by {@code unit[i]} so
   * that their squares stay finite: the second pass for columns with magnitudes near 1e300, whose
   * one-pass variance overflows.
   */
  private static Dataset<Row> scalingStatsPlan(
      Dataset<Row> train,
      List<String> numeric,
      List<Integer> indices,
      double[] impute,
      double[] shift,
      double[] unit) {
    List<Column> aggs = new ArrayList<>();
    for (int i : indices) {
      Column x = ColumnStats.present(numeric.get(i));
      Column v = when(x.isNull(), lit(impute[i])).otherwise(x);
      Column d = v.minus(lit(shift[i]));
      if (unit[i] != 1.0) {
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
   * For the columns at {@code overflowed}, whose one-pass mean or variance is not finite (values
   * near 1e300): a second pass over those columns only, on imputed values shifted by the mean (the
   * midpoint of the range when the mean overflowed) and divided by the largest distance of the
   * range to that shift, so every scaled value is in [-1, 1] and every sum finite. Updates {@code
   * mean} and {@code std} in place.
   */
  private static void rescaleOverflowed(
      Dataset<Row> train,
      ResolvedSchema schema,
      double[] impute,
      double[] mean,
      double[] lo,
      double[] hi,
      List<Integer> overflowed,
      long rows,
      double[] std) {
    List<String> numeric = schema.numericFeatures();
    int k = numeric.size();
    double[] shift = new double[k];
    double[] unit = new double[k];
    java.util.Arrays.fill(unit, 1.0);
    for (int i : overflowed) {
      shift[i] = Double.isFinite(mean[i]) ? mean[i] : lo[i] / 2 + hi[i] / 2;
      double u = Math.max(Math.abs(lo[i] - shift[i]), Math.abs(hi[i] - shift[i]));
      unit[i] = Double.isFinite(u) && u > 0 ? u : 1.0;
      LOG.warn(
          "Numeric feature '{}': its variance overflows (range [{}, {}]): rescaling by {}",
          numeric.get(i),
          lo[i],
          hi[i],
          unit[i]);
    }
    Row r =
        scalingStatsPlan(train, numeric, overflowed, impute, shift, unit).collectAsList().get(0);
    for (int at = 0; at < overflowed.size(); at++) {
      int i = overflowed.get(at);
      double d1 = r.getDouble(4 * at) / rows;
      double d2 = r.getDouble(4 * at + 1) / rows;
      mean[i] = shift[i] + d1 * unit[i];
      std[i] = Math.sqrt(Math.max(0.0, d2 - d1 * d1)) * unit[i];
    }
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
}

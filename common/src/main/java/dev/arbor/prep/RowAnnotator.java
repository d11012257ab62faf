package dev.arbor.prep;

import static dev.arbor.ingest.InputColumns.ref;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;

import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import dev.arbor.spark.ColumnTrees;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;

/**
 * Gives every input row an id ({@link RowIds}), a reject reason ({@link RejectReason}, first that
 * applies) or, for valid rows, a split. The result is the input plus the working columns {@link
 * Columns#W_ROW_ID}, {@link Columns#W_SPLIT_KEY}, {@link Columns#W_REASON} and {@link
 * Columns#W_SPLIT}.
 *
 * <h2>Cost</h2>
 *
 * With an id column the annotation never shuffles or sorts the wide rows: the duplicate ids are
 * found on a projection of the id column alone (a group-by) and broadcast-joined back, and the
 * stratified split compares each row's (split key, row id) with per-class thresholds found by two
 * small jobs over narrow projections (below). Generated ids still number identical rows with one
 * window over their content hashes ({@link RowIds}).
 *
 * <h2>Split</h2>
 *
 * Deterministic, never {@code rand()}: every row has a split key, the 64-bit xxHash of the seed and
 * the id (generated ids: of the content hash), so re-runs and task retries give the same split.
 *
 * <ul>
 *   <li>Stratified (classification with {@code prepare.split.stratify}): within each class the
 *       valid rows are ranked by split key (ties by row id); ranks 1..round(n·train) go to train,
 *       up to round(n·(train + validation)) to validation, the rest to test. Per-class fractions
 *       are exact up to rounding. The ranks are never computed row by row: a row of rank ≤ t is
 *       exactly a row whose (key, row id) is ≤ that of the rank-t row, so only the rank-t rows (two
 *       per class) are needed. The valid rows are counted per (class, bucket), a bucket being the
 *       high bits of the split key (an arithmetic shift, so bucket order is key order); the counts
 *       tell which bucket holds each rank-t row and its rank inside the bucket; the valid rows of
 *       those few buckets (a few hundred rows each) are ranked by (key, row id) and the rank-t rows
 *       collected; the split is then a comparison with these thresholds, row by row. The same split
 *       as one global sort per class.
 *   <li>Otherwise: the split key mapped to u in [0, 1) picks the split by the cumulative fractions;
 *       fractions are then exact in expectation (binomial spread).
 * </ul>
 */
final class RowAnnotator {
  private static final double TWO_POW_52 = 0x1p52;
  private static final String DUPLICATE_ID = "__arbor_duplicate_id";

  private RowAnnotator() {}

  /** Where valid rows go. */
  enum Mode {
    /** Split by the configured fractions (test fraction included). */
    SPLIT,
    /** Split into train and validation only (a separate test input replaces the test split). */
    SPLIT_WITHOUT_TEST,
    /** Every valid row goes to test (the separate test input). */
    ALL_TEST
  }

  /** Cumulative fractions: train, then train + validation (1: no test split). */
  private record Fractions(double train, double upToValidation) {}

  /**
   * The annotated plan. For the stratified split this first runs the two small jobs that find the
   * per-class thresholds; the returned plan itself is not executed.
   */
  static Dataset<Row> annotate(
      Dataset<Row> raw, ResolvedSchema schema, PrepareSettings settings, Mode mode) {
    return annotate(raw, schema, settings, mode, bucketBits(schema));
  }

  /**
   * The annotated plan with {@code 2^bucketBits} split-key buckets per class for finding the
   * stratified split's thresholds (the result does not depend on it; tests use few buckets to get
   * many rows per bucket): {@link #withSplit} of {@link #withReasons}.
   */
  static Dataset<Row> annotate(
      Dataset<Row> raw, ResolvedSchema schema, PrepareSettings settings, Mode mode, int bits) {
    return withSplit(withReasons(raw, schema, settings), schema, settings, mode, bits);
  }

  /**
   * The first half of the annotation: the input plus {@link Columns#W_ROW_ID}, {@link
   * Columns#W_SPLIT_KEY} and {@link Columns#W_REASON}. The plan is not executed.
   */
  static Dataset<Row> withReasons(
      Dataset<Row> raw, ResolvedSchema schema, PrepareSettings settings) {
    Dataset<Row> df = RowIds.withRowId(raw, schema.idColumn(), settings.split().seed());
    List<String> columns = new ArrayList<>(List.of(df.columns()));
    if (schema.idColumn() != null) {
      df = withDuplicateFlag(df, raw, schema.idColumn());
    }
    df = df.withColumn(Columns.W_REASON, reason(df, schema, settings));
    columns.add(Columns.W_REASON);
    return df.select(out(df, columns));
  }

  /**
   * The second half of the annotation: {@code df} (a {@link #withReasons} result, or its
   * materialization) plus {@link Columns#W_SPLIT}. For the stratified split this first runs the two
   * small jobs over {@code df} that find the per-class thresholds (they read only the label,
   * reason, split-key and row-id columns); the returned plan itself is not executed.
   */
  static Dataset<Row> withSplit(
      Dataset<Row> df, ResolvedSchema schema, PrepareSettings settings, Mode mode, int bits) {
    Column split;
    if (mode == Mode.ALL_TEST) {
      split = lit(Columns.TEST);
    } else if (stratified(schema, settings)) {
      Fractions f = fractions(settings, mode);
      split = StratifiedSplit.of(df, labelKey(schema), f.train(), f.upToValidation(), bits);
    } else {
      split = hashSplit(fractions(settings, mode));
    }
    return df.withColumn(
        Columns.W_SPLIT,
        when(col(Columns.W_REASON).isNull(), split).otherwise(lit(null).cast("string")));
  }

  /** {@link #withSplit} with the default number of buckets ({@link #bucketBits}). */
  static Dataset<Row> withSplit(
      Dataset<Row> df, ResolvedSchema schema, PrepareSettings settings, Mode mode) {
    return withSplit(df, schema, settings, mode, bucketBits(schema));
  }

  private static Column[] out(Dataset<Row> df, List<String> columns) {
    return columns.stream()
        .map(c -> df.col("`" + c.replace("`", "``") + "`"))
        .toArray(Column[]::new);
  }

  /**
   * {@code df} with the working column {@link #DUPLICATE_ID}: whether another row of {@code raw}
   * has the same (non-null) id. The duplicate ids come from a group-by of the id column alone (a
   * narrow shuffle) and are broadcast to the rows: duplicates are rare (each costs two rejected
   * rows, and more than {@code prepare.max-rejected-fraction} of rejects fails the run), so the
   * broadcast table is small and the wide rows are never shuffled.
   */
  private static Dataset<Row> withDuplicateFlag(Dataset<Row> df, Dataset<Row> raw, String id) {
    Dataset<Row> duplicates =
        raw.select(ref(id).as(DUPLICATE_ID))
            .filter(col(DUPLICATE_ID).isNotNull())
            .groupBy(col(DUPLICATE_ID))
            .agg(count(lit(1)).as("n"))
            .filter(col("n").gt(1))
            .select(col(DUPLICATE_ID));
    Dataset<Row> joined =
        df.join(broadcast(duplicates), ref(id).equalTo(duplicates.col(DUPLICATE_ID)), "left");
    List<Column> cols = new ArrayList<>();
    for (String c : df.columns()) {
      cols.add(df.col("`" + c.replace("`", "``") + "`"));
    }
    cols.add(duplicates.col(DUPLICATE_ID).isNotNull().as(DUPLICATE_ID));
    return joined.select(cols.toArray(Column[]::new));
  }

  /**
   * Split-key bits per bucket: 2^16 buckets for two classes, fewer with more classes so that the
   * (class, bucket) counts the driver collects stay below ~2^17 rows.
   */
  static int bucketBits(ResolvedSchema schema) {
    int classes = Math.max(2, schema.classes().size());
    int bits = 63 - Long.numberOfLeadingZeros((1L << 17) / classes);
    return Math.max(6, Math.min(16, bits));
  }

  private static boolean stratified(ResolvedSchema schema, PrepareSettings settings) {
    return schema.task().isClassification() && settings.split().stratify();
  }

  private static Column labelKey(ResolvedSchema schema) {
    return ref(schema.labelColumn()).cast("string");
  }

  private static Fractions fractions(PrepareSettings settings, Mode mode) {
    PrepareSettings.Split s = settings.split();
    double upToValidation = s.train() + s.validation();
    if (mode == Mode.SPLIT_WITHOUT_TEST) {
      return new Fractions(s.train() / upToValidation, 1.0);
    }
    return new Fractions(s.train(), s.test() <= 0 ? 1.0 : upToValidation);
  }

  /** The split of a valid row by its split key alone: u in [0, 1) against the fractions. */
  private static Column hashSplit(Fractions f) {
    Column key = col(Columns.W_SPLIT_KEY);
    Column u = pmod(key, lit((long) TWO_POW_52)).cast("double").divide(lit(TWO_POW_52));
    return when(u.lt(f.train()), lit(Columns.TRAIN))
        .when(u.lt(f.upToValidation()), lit(Columns.VALIDATION))
        .otherwise(lit(Columns.TEST));
  }

  private static Column reason(Dataset<Row> df, ResolvedSchema schema, PrepareSettings settings) {
    Column label = ref(schema.labelColumn());
    Column c =
        when(label.isNull(), lit(RejectReason.NULL_LABEL.code()))
            .when(
                SchemaValidator.isInvalidLabel(label, schema.labelType()),
                lit(RejectReason.INVALID_LABEL.code()));
    if (schema.idColumn() != null) {
      c =
          c.when(ref(schema.idColumn()).isNull(), lit(RejectReason.NULL_ID.code()))
              .when(col(DUPLICATE_ID), lit(RejectReason.DUPLICATE_ID.code()));
    }
    if (schema.weightColumn() != null) {
      Column w = ref(schema.weightColumn()).cast("double");
      c =
          c.when(
              w.isNull().or(nonFinite(w)).or(w.lt(0.0)), lit(RejectReason.INVALID_WEIGHT.code()));
    }
    List<Column> nonFinite = new ArrayList<>();
    List<Column> missing = new ArrayList<>();
    for (String f : schema.numericFeatures()) {
      DataType t = df.schema().apply(f).dataType();
      boolean floating = t instanceof DoubleType || t instanceof FloatType;
      Column x = ref(f);
      if (floating && settings.nonFinitePolicy() == NonFinitePolicy.REJECT) {
        nonFinite.add(nonFinite(x));
      }
      if (settings.imputeRule(f).method() == ImputeMethod.DROP_ROW) {
        missing.add(floating ? x.isNull().or(nonFinite(x)) : x.isNull());
      }
    }
    if (!nonFinite.isEmpty()) {
      c = c.when(ColumnTrees.or(nonFinite), lit(RejectReason.NON_FINITE_FEATURE.code()));
    }
    if (!missing.isEmpty()) {
      c = c.when(ColumnTrees.or(missing), lit(RejectReason.MISSING_VALUE.code()));
    }
    return c.otherwise(lit(null).cast("string"));
  }

  private static Column nonFinite(Column x) {
    return isnan(x).or(abs(x).equalTo(lit(Double.POSITIVE_INFINITY)));
  }
}

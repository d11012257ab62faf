package dev.arbor.prep;

import static dev.arbor.ingest.InputColumns.ref;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import dev.arbor.spark.ColumnTrees;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Gives every input row an id ({@link RowIds}), a reject reason ({@link RejectReason}, first that
 * applies) or, for valid rows, a split. The result is the input plus the working columns {@link
 * Columns#W_ROW_ID}, {@link Columns#W_SPLIT_KEY}, {@link Columns#W_REASON} and {@link
 * Columns#W_SPLIT}.
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
 *       are exact up to rounding. The rank is computed in parallel, never by sorting a class in one
 *       task: the rows of a class are cut into buckets by the high bits of the split key (an
 *       arithmetic shift, so bucket order is key order), the valid rows are counted per (class,
 *       bucket) on a narrow projection of the input, a running sum over that small table gives each
 *       bucket's offset and each class its n, it is broadcast-joined back, and rank = offset + row
 *       number within (class, bucket) by (key, row id): the same rank as one global sort.
 *   <li>Otherwise: the split key mapped to u in [0, 1) picks the split by the cumulative fractions;
 *       fractions are then exact in expectation (binomial spread).
 * </ul>
 */
final class RowAnnotator {
  private static final double TWO_POW_52 = 0x1p52;
  private static final String ID_COUNT = "__arbor_id_count";
  private static final String ID_VALUE = "__arbor_id_value";
  private static final String LABEL_KEY = "__arbor_label_key";
  private static final String BUCKET = "__arbor_bucket";
  private static final String BUCKET_N = "__arbor_bucket_n";
  private static final String OFFSET = "__arbor_offset";
  private static final String CLASS_N = "__arbor_class_n";
  private static final String OTHERWISE_VALID = "__arbor_otherwise_valid";
  private static final String VALID = "__arbor_valid";

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

  /** The annotated plan (not executed). */
  static Dataset<Row> annotate(
      Dataset<Row> raw, ResolvedSchema schema, PrepareSettings settings, Mode mode) {
    return annotate(raw, schema, settings, mode, bucketBits(schema));
  }

  /**
   * The annotated plan with {@code 2^bucketBits} split-key buckets per class for the stratified
   * split (the result does not depend on it; tests use few buckets to get many rows per bucket).
   */
  static Dataset<Row> annotate(
      Dataset<Row> raw, ResolvedSchema schema, PrepareSettings settings, Mode mode, int bits) {
    Dataset<Row> df = RowIds.withRowId(raw, schema.idColumn(), settings.split().seed());
    List<String> columns = new ArrayList<>(List.of(df.columns()));
    columns.add(Columns.W_REASON);
    boolean ranked = mode != Mode.ALL_TEST && stratified(schema, settings);
    if (ranked) {
      df =
          df.withColumn(LABEL_KEY, labelKey(schema))
              .withColumn(BUCKET, bucket(col(Columns.W_SPLIT_KEY), bits));
    }
    if (schema.idColumn() != null) {
      Column id = ref(schema.idColumn());
      if (ranked) {
        // The split key, hence the bucket, is a function of the id: counting per (bucket, id) is
        // counting per id, and one shuffle by bucket serves this window and the split's.
        df = df.repartition(col(BUCKET));
        df = df.withColumn(ID_COUNT, count(lit(1)).over(Window.partitionBy(col(BUCKET), id)));
      } else {
        df = df.withColumn(ID_COUNT, count(lit(1)).over(Window.partitionBy(id)));
      }
    }
    df = df.withColumn(Columns.W_REASON, reason(df, schema, settings, true));
    if (!ranked) {
      return df.select(out(df, columns)).withColumn(Columns.W_SPLIT, split(schema, settings, mode));
    }
    Dataset<Row> offsets = broadcast(classOffsets(raw, schema, settings, bits));
    Dataset<Row> joined =
        df.join(offsets, CollectionConverters.asScala(List.of(LABEL_KEY, BUCKET)).toSeq(), "left");
    List<Column> out = new ArrayList<>(List.of(out(joined, columns)));
    out.add(split(schema, settings, mode).as(Columns.W_SPLIT));
    return joined.select(out.toArray(Column[]::new));
  }

  private static Column[] out(Dataset<Row> df, List<String> columns) {
    return columns.stream()
        .map(c -> df.col("`" + c.replace("`", "``") + "`"))
        .toArray(Column[]::new);
  }

  /**
   * Split-key bits per bucket: 2^16 buckets for two classes, fewer with more classes so that the
   * broadcast (class, bucket) table stays below ~2^17 rows.
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

  /** The bucket of a split key: its top {@code bits} bits, signed, so bucket order = key order. */
  private static Column bucket(Column key, int bits) {
    return shiftright(key, 64 - bits);
  }

  /**
   * Per (class, bucket) with valid rows: {@link #LABEL_KEY}, {@link #BUCKET}, {@link #OFFSET}
   * (valid rows of the class in lower buckets) and {@link #CLASS_N} (valid rows of the class).
   * Computed from a narrow projection of the input (label, id, split key and a validity flag), so
   * the duplicate-id count here shuffles a few columns, not the rows.
   */
  private static Dataset<Row> classOffsets(
      Dataset<Row> raw, ResolvedSchema schema, PrepareSettings settings, int bits) {
    Dataset<Row> keyed = RowIds.withSplitKey(raw, schema.idColumn(), settings.split().seed());
    List<Column> narrow = new ArrayList<>();
    narrow.add(labelKey(schema).as(LABEL_KEY));
    narrow.add(bucket(col(Columns.W_SPLIT_KEY), bits).as(BUCKET));
    narrow.add(reason(keyed, schema, settings, false).isNull().as(OTHERWISE_VALID));
    if (schema.idColumn() != null) {
      narrow.add(ref(schema.idColumn()).as(ID_VALUE));
    }
    Dataset<Row> rows = keyed.select(narrow.toArray(Column[]::new));
    Column valid = col(OTHERWISE_VALID);
    if (schema.idColumn() != null) {
      valid = valid.and(count(lit(1)).over(Window.partitionBy(col(ID_VALUE))).equalTo(lit(1L)));
    }
    Dataset<Row> counts =
        rows.withColumn(VALID, valid)
            .filter(col(VALID))
            .groupBy(col(LABEL_KEY), col(BUCKET))
            .agg(count(lit(1)).as(BUCKET_N));
    Column running =
        sum(col(BUCKET_N))
            .over(
                Window.partitionBy(col(LABEL_KEY))
                    .orderBy(col(BUCKET))
                    .rowsBetween(Window.unboundedPreceding(), Window.currentRow()));
    return counts.select(
        col(LABEL_KEY),
        col(BUCKET),
        running.minus(col(BUCKET_N)).as(OFFSET),
        sum(col(BUCKET_N)).over(Window.partitionBy(col(LABEL_KEY))).as(CLASS_N));
  }

  private static Column reason(
      Dataset<Row> df, ResolvedSchema schema, PrepareSettings settings, boolean duplicates) {
    Column label = ref(schema.labelColumn());
    Column c =
        when(label.isNull(), lit(RejectReason.NULL_LABEL.code()))
            .when(
                SchemaValidator.isInvalidLabel(label, schema.labelType()),
                lit(RejectReason.INVALID_LABEL.code()));
    if (schema.idColumn() != null) {
      c = c.when(ref(schema.idColumn()).isNull(), lit(RejectReason.NULL_ID.code()));
      if (duplicates) {
        c = c.when(col(ID_COUNT).gt(1), lit(RejectReason.DUPLICATE_ID.code()));
      }
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
      c = c.when(any(nonFinite), lit(RejectReason.NON_FINITE_FEATURE.code()));
    }
    if (!missing.isEmpty()) {
      c = c.when(any(missing), lit(RejectReason.MISSING_VALUE.code()));
    }
    return c.otherwise(lit(null).cast("string"));
  }

  private static Column split(ResolvedSchema schema, PrepareSettings settings, Mode mode) {
    Column valid = col(Columns.W_REASON).isNull();
    if (mode == Mode.ALL_TEST) {
      return when(valid, lit(Columns.TEST)).otherwise(lit(null).cast("string"));
    }
    PrepareSettings.Split s = settings.split();
    double trainFraction = s.train();
    double upToValidation = s.train() + s.validation();
    if (mode == Mode.SPLIT_WITHOUT_TEST) {
      trainFraction = s.train() / upToValidation;
      upToValidation = 1.0;
    } else if (s.test() <= 0) {
      upToValidation = 1.0;
    }
    Column key = col(Columns.W_SPLIT_KEY);
    Column assigned;
    if (stratified(schema, settings)) {
      Column rank =
          col(OFFSET)
              .plus(
                  row_number()
                      .over(
                          Window.partitionBy(valid, col(LABEL_KEY), col(BUCKET))
                              .orderBy(key, col(Columns.W_ROW_ID))));
      Column n = col(CLASS_N);
      assigned =
          when(rank.leq(roundedShare(n, trainFraction)), lit(Columns.TRAIN))
              .when(rank.leq(roundedShare(n, upToValidation)), lit(Columns.VALIDATION))
              .otherwise(lit(Columns.TEST));
    } else {
      Column u = pmod(key, lit((long) TWO_POW_52)).cast("double").divide(lit(TWO_POW_52));
      assigned =
          when(u.lt(trainFraction), lit(Columns.TRAIN))
              .when(u.lt(upToValidation), lit(Columns.VALIDATION))
              .otherwise(lit(Columns.TEST));
    }
    return when(valid, assigned).otherwise(lit(null).cast("string"));
  }

  /** round(n · fraction), half up; exactly n for fraction 1. */
  private static Column roundedShare(Column n, double fraction) {
    if (fraction >= 1.0) {
      return n;
    }
    return floor(n.cast("double").multiply(lit(fraction)).plus(lit(0.5)));
  }

  private static Column nonFinite(Column x) {
    return isnan(x).or(abs(x).equalTo(lit(Double.POSITIVE_INFINITY)));
  }

  /** Any of {@code conditions}, as a balanced OR tree (shallow at any width). */
  private static Column any(List<Column> conditions) {
    return ColumnTrees.or(conditions);
  }
}

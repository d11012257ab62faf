package dev.arbor.prep;

import static dev.arbor.ingest.InputColumns.ref;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;

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
 *       are exact up to rounding. Each class is sorted in one task: fine up to tens of millions of
 *       rows per class.
 *   <li>Otherwise: the split key mapped to u in [0, 1) picks the split by the cumulative fractions;
 *       fractions are then exact in expectation (binomial spread).
 * </ul>
 */
final class RowAnnotator {
  private static final double TWO_POW_52 = 0x1p52;

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
    Dataset<Row> df = RowIds.withRowId(raw, schema.idColumn(), settings.split().seed());
    if (schema.idColumn() != null) {
      df =
          df.withColumn(
              "__arbor_id_count", count(lit(1)).over(Window.partitionBy(ref(schema.idColumn()))));
    }
    df = df.withColumn(Columns.W_REASON, reason(df, schema, settings));
    if (schema.idColumn() != null) {
      df = df.drop("__arbor_id_count");
    }
    return df.withColumn(Columns.W_SPLIT, split(schema, settings, mode));
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
              .when(col("__arbor_id_count").gt(1), lit(RejectReason.DUPLICATE_ID.code()));
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
    if (schema.task().isClassification() && s.stratify()) {
      Column label = ref(schema.labelColumn()).cast("string");
      Column rank =
          row_number().over(Window.partitionBy(valid, label).orderBy(key, col(Columns.W_ROW_ID)));
      Column n = count(lit(1)).over(Window.partitionBy(valid, label));
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

  private static Column any(List<Column> conditions) {
    Column c = conditions.get(0);
    for (int i = 1; i < conditions.size(); i++) {
      c = c.or(conditions.get(i));
    }
    return c;
  }
}

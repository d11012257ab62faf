package dev.arbor.ingest;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import dev.arbor.DataValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an input against the {@link DatasetSchema} before any work is done: columns exist and have
 * allowed types, the input has rows, and a classification label has an allowed number of classes
 * (all inside the declared {@code classes}, when declared). Every failure is a {@link
 * DataValidationException} of the form {@code Invalid input <path>: <problem> (expected ...)}.
 *
 * <p>Type rules: label numeric for regression; string, boolean or numeric for classification;
 * numeric features of any numeric type; categorical columns string or integer; weight numeric; id
 * string, integer, decimal or date.
 */
public final class SchemaValidator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaValidator.class);

  /** Input columns must not start with this: it marks Arbor's working columns. */
  public static final String RESERVED_PREFIX = "__arbor_";

  private SchemaValidator() {}

  /**
   * Resolves the declared columns and, for classification, the classes. Runs one small aggregation
   * over the label column (at most {@value DatasetSchema#MAX_CLASSES} + 2 groups are read).
   *
   * @param source the input's path, used in messages
   */
  public static ResolvedSchema validate(Dataset<Row> df, DatasetSchema schema, String source) {
    StructType st = df.schema();
    List<String> columns = Arrays.asList(st.fieldNames());
    for (String c : columns) {
      if (c.startsWith(RESERVED_PREFIX)) {
        throw invalid(source, "column '" + c + "' uses the reserved prefix " + RESERVED_PREFIX);
      }
    }
    DataType labelType = field(st, source, schema.labelColumn(), "schema.label-column").dataType();
    if (schema.task() == Task.REGRESSION ? !isNumeric(labelType) : !isClassLabel(labelType)) {
      throw invalid(
          source,
          "label column '"
              + schema.labelColumn()
              + "' has type "
              + labelType.simpleString()
              + " (expected "
              + (schema.task() == Task.REGRESSION
                  ? "a numeric type"
                  : "a string, boolean or numeric type")
              + " for task "
              + schema.task().configName()
              + ")");
    }
    if (schema.weightColumn() != null) {
      DataType t = field(st, source, schema.weightColumn(), "schema.weight-column").dataType();
      if (!isNumeric(t)) {
        throw invalid(
            source,
            "weight column '"
                + schema.weightColumn()
                + "' has type "
                + t.simpleString()
                + " (expected a numeric type)");
      }
    }
    if (schema.idColumn() != null) {
      DataType t = field(st, source, schema.idColumn(), "schema.id-column").dataType();
      if (!(t instanceof StringType
          || isIntegral(t)
          || t instanceof DecimalType
          || t instanceof DateType)) {
        throw invalid(
            source,
            "id column '"
                + schema.idColumn()
                + "' has type "
                + t.simpleString()
                + " (expected string, an integer, decimal or date type)");
      }
    }
    for (String c : schema.categoricalColumns()) {
      DataType t = field(st, source, c, "schema.categorical-columns").dataType();
      if (!(t instanceof StringType || isIntegral(t))) {
        throw invalid(
            source,
            "categorical column '"
                + c
                + "' has type "
                + t.simpleString()
                + " (expected string or an integer type)");
      }
    }
    List<String> numeric = new ArrayList<>();
    if (schema.featureColumns().isEmpty()) {
      for (StructField f : st.fields()) {
        if (isNumeric(f.dataType()) && !isSpecial(schema, f.name())) {
          numeric.add(f.name());
        }
      }
    } else {
      for (String c : schema.featureColumns()) {
        DataType t = field(st, source, c, "schema.feature-columns").dataType();
        if (!isNumeric(t)) {
          throw invalid(
              source,
              "feature column '"
                  + c
                  + "' has type "
                  + t.simpleString()
                  + " (expected a numeric type; list it in schema.categorical-columns to"
                  + " one-hot encode it)");
        }
        numeric.add(c);
      }
    }
    if (numeric.isEmpty() && schema.categoricalColumns().isEmpty()) {
      throw invalid(
          source,
          "no feature columns (expected schema.feature-columns, schema.categorical-columns or"
              + " other numeric columns)");
    }
    List<String> classes = resolveLabel(df, schema, labelType, source);
    LOG.info(
        "Input {}: label {} ({}), {} numeric and {} categorical features, classes {}",
        source,
        schema.labelColumn(),
        schema.task().configName(),
        numeric.size(),
        schema.categoricalColumns().size(),
        classes);
    return new ResolvedSchema(
        schema.labelColumn(),
        labelType,
        schema.task(),
        numeric,
        schema.categoricalColumns(),
        schema.weightColumn(),
        schema.idColumn(),
        classes,
        columns);
  }

  /**
   * The aggregation {@link #validate} runs over the label: one row per distinct label value with
   * its string form ({@code s}), its value ({@code v}) and its row count ({@code n}).
   */
  public static Dataset<Row> labelValuesPlan(Dataset<Row> df, String labelColumn) {
    return df.groupBy(InputColumns.ref(labelColumn).as("v"))
        .count()
        .select(col("v").cast("string").as("s"), col("v"), col("count").as("n"));
  }

  /** The emptiness check of a regression input: at most one row of the label column. */
  public static Dataset<Row> firstRowPlan(Dataset<Row> df, String labelColumn) {
    return df.select(InputColumns.ref(labelColumn)).limit(1);
  }

  /**
   * A label value that can never be a class or a target: NaN or infinite numbers, blank strings.
   * Null labels are not "invalid" (they are missing); check them separately.
   */
  public static Column isInvalidLabel(Column label, DataType labelType) {
    if (labelType instanceof DoubleType || labelType instanceof FloatType) {
      return isnan(label).or(abs(label).equalTo(lit(Double.POSITIVE_INFINITY)));
    }
    if (labelType instanceof StringType) {
      return trim(label).equalTo(lit(""));
    }
    return lit(false);
  }

  private static List<String> resolveLabel(
      Dataset<Row> df, DatasetSchema schema, DataType labelType, String source) {
    if (schema.task() == Task.REGRESSION) {
      if (firstRowPlan(df, schema.labelColumn()).count() == 0) {
        throw invalid(source, "no rows");
      }
      return List.of();
    }
    // Read at most MAX_CLASSES + 2 groups: a mistaken label column must not flood the driver.
    // (A limit in the plan would add a CollectLimit, which RAPIDS runs on the CPU.)
    List<Row> values = new ArrayList<>();
    Iterator<Row> it = labelValuesPlan(df, schema.labelColumn()).toLocalIterator();
    while (it.hasNext() && values.size() < DatasetSchema.MAX_CLASSES + 2) {
      values.add(it.next());
    }
    if (values.isEmpty()) {
      throw invalid(source, "no rows");
    }
    List<Row> valid = new ArrayList<>();
    for (Row r : values) {
      if (!r.isNullAt(1) && !isInvalidValue(r.get(1))) {
        valid.add(r);
      }
    }
    valid.sort(LABEL_ORDER);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row r : valid) {
      counts.put(r.getString(0), r.getLong(2));
    }
    String label = "label column '" + schema.labelColumn() + "'";
    if (!schema.classes().isEmpty()) {
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        if (!schema.classes().contains(e.getKey())) {
          throw invalid(
              source,
              label
                  + " has value '"
                  + e.getKey()
                  + "' ("
                  + e.getValue()
                  + " rows) outside schema.classes "
                  + schema.classes());
        }
      }
      return schema.classes();
    }
    List<String> seen = new ArrayList<>(counts.keySet());
    String shown =
        seen.size() > 10 ? seen.subList(0, 10).toString().replace("]", ", ...]") : seen.toString();
    String distinct = seen.size() > DatasetSchema.MAX_CLASSES ? "more than " : "";
    if (schema.task() == Task.BINARY && seen.size() != 2) {
      throw invalid(
          source,
          label
              + " has "
              + distinct
              + seen.size()
              + " distinct values "
              + shown
              + " (expected exactly 2 for task binary)");
    }
    if (schema.task() == Task.MULTICLASS
        && (seen.size() < 2 || seen.size() > DatasetSchema.MAX_CLASSES)) {
      throw invalid(
          source,
          label
              + " has "
              + distinct
              + seen.size()
              + " distinct values "
              + shown
              + " (expected 2 to "
              + DatasetSchema.MAX_CLASSES
              + " for task multiclass)");
    }
    return seen;
  }

  /** Numbers in numeric order, booleans false first, strings in code-point order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Comparator<Row> LABEL_ORDER =
      (a, b) -> {
        Object x = a.get(1);
        Object y = b.get(1);
        if (x instanceof Number nx && y instanceof Number ny) {
          return new java.math.BigDecimal(nx.toString())
              .compareTo(new java.math.BigDecimal(ny.toString()));
        }
        return ((Comparable) x).compareTo(y);
      };

  private static boolean isInvalidValue(Object v) {
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite();
    }
    if (v instanceof Float f) {
      return f.isNaN() || f.isInfinite();
    }
    return v instanceof String s && s.isBlank();
  }

  private static StructField field(StructType st, String source, String name, String key) {
    for (StructField f : st.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw invalid(
        source,
        "column '"
            + name
            + "' ("
            + key
            + ") not found (columns: "
            + String.join(", ", st.fieldNames())
            + ")");
  }

  private static boolean isSpecial(DatasetSchema s, String name) {
    return name.equals(s.labelColumn())
        || name.equals(s.weightColumn())
        || name.equals(s.idColumn())
        || s.categoricalColumns().contains(name);
  }

  /** Whether {@code t} is a numeric Spark type (integer, floating point or decimal). */
  public static boolean isNumeric(DataType t) {
    return t instanceof NumericType;
  }

  private static boolean isIntegral(DataType t) {
    return t instanceof ByteType
        || t instanceof ShortType
        || t instanceof IntegerType
        || t instanceof LongType;
  }

  private static boolean isClassLabel(DataType t) {
    return t instanceof StringType || t instanceof BooleanType || t instanceof NumericType;
  }

  private static DataValidationException invalid(String source, String problem) {
    return new DataValidationException(
        String.format(Locale.ROOT, "Invalid input %s: %s", source, problem));
  }
}

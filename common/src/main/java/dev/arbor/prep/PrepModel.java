package dev.arbor.prep;

import static dev.arbor.ingest.InputColumns.ref;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.arbor.ingest.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The fitted transformation from raw input rows to prepared rows, saved as {@code prep-model.json}
 * next to the prepared splits. {@code train} reads the feature order and scaling (to map weights
 * back to original units: {@code w_original = w / scale}, intercept shifted by {@code -Σ w · center
 * / scale}); scoring calls {@link #transform}.
 *
 * <p>Prepared columns, in order: {@code row_id} STRING, {@code label} DOUBLE (binary 0/1,
 * multiclass class index in {@link #classes()} order, regression the value), {@code weight} DOUBLE
 * (1.0 without a weight column), then one DOUBLE per {@link #features()} entry.
 *
 * @param formatVersion version of the JSON layout ({@value #FORMAT_VERSION})
 * @param task what the label is
 * @param labelColumn input label column
 * @param weightColumn input weight column, or {@code null}
 * @param idColumn input id column, or {@code null} (ids generated from row content)
 * @param classes class values (input label cast to string) in class-index order; empty for
 *     regression
 * @param numericColumns imputation of each numeric input column, in feature order
 * @param categoricalColumns categorical input columns, in feature order
 * @param scale how numeric features were scaled
 * @param features output feature columns, in order
 * @param referenceLevels the reference level of each categorical column that has one ({@code
 *     prepare.categorical.drop}): a {@link Feature.Origin#CATEGORY} or {@link
 *     Feature.Origin#MISSING} feature left out of {@link #features()} (it is all zeros in the other
 *     one-hot columns of its column, and still not "other"); empty when nothing was dropped
 * @param trainRows rows of the training split the model was fitted on
 */
public record PrepModel(
    int formatVersion,
    Task task,
    String labelColumn,
    String weightColumn,
    String idColumn,
    List<String> classes,
    List<NumericColumn> numericColumns,
    List<String> categoricalColumns,
    ScaleMethod scale,
    List<Feature> features,
    List<Feature> referenceLevels,
    long trainRows) {

  /**
   * The newest JSON layout version, which this code writes when a column has a reference level;
   * without one it writes version 1 (the layout before reference levels, byte for byte), so that an
   * older reader refuses only the models it would mis-score. Both are read.
   */
  public static final int FORMAT_VERSION = 2;

  /** The JSON layout version without reference levels. */
  public static final int FORMAT_VERSION_WITHOUT_REFERENCES = 1;

  /** The file name of the model inside a prepared folder. */
  public static final String FILE_NAME = "prep-model.json";

  public PrepModel {
    classes = List.copyOf(classes);
    numericColumns = List.copyOf(numericColumns);
    categoricalColumns = List.copyOf(categoricalColumns);
    features = List.copyOf(features);
    referenceLevels = List.copyOf(referenceLevels);
    if (formatVersion != formatVersionFor(referenceLevels)) {
      throw new IllegalArgumentException(
          "Invalid prep model: format-version "
              + formatVersion
              + " with "
              + referenceLevels.size()
              + " reference levels (expected "
              + formatVersionFor(referenceLevels)
              + ")");
    }
    Set<String> seen = new HashSet<>();
    for (Feature r : referenceLevels) {
      boolean level = r.origin() == Feature.Origin.CATEGORY || r.origin() == Feature.Origin.MISSING;
      if (!level || !categoricalColumns.contains(r.column()) || !seen.add(r.column())) {
        throw new IllegalArgumentException(
            "Invalid prep model: reference level "
                + r
                + " (expected at most one category or missing level per categorical column)");
      }
    }
  }

  /** The format version of a model with {@code referenceLevels}. */
  public static int formatVersionFor(List<Feature> referenceLevels) {
    return referenceLevels.isEmpty() ? FORMAT_VERSION_WITHOUT_REFERENCES : FORMAT_VERSION;
  }

  /** The reference level of categorical column {@code column}, if it has one. */
  public Optional<Feature> referenceLevel(String column) {
    return referenceLevels.stream().filter(r -> r.column().equals(column)).findFirst();
  }

  /** The output feature column names, in order. */
  public List<String> featureNames() {
    return features.stream().map(Feature::name).toList();
  }

  /** Names of the features reported constant on the training split (given scale 1). */
  public List<String> constantFeatures() {
    Map<String, NumericColumn> byColumn =
        numericColumns.stream()
            .collect(Collectors.toMap(NumericColumn::column, Function.identity()));
    return features.stream()
        .filter(f -> f.origin() == Feature.Origin.NUMERIC && byColumn.get(f.column()).constant())
        .map(Feature::name)
        .toList();
  }

  /**
   * Turns raw input rows (the input's columns; the label and weight columns may be absent) into
   * prepared rows. Rows are never dropped: missing and non-finite numeric values are imputed
   * (drop-row columns with the training mean), unknown categories go to "other". The label column
   * is left out when the input has none; a label value outside {@link #classes()} becomes null. The
   * weight is the weight column cast to double, or 1.0 when the model or the input has no weight
   * column. Row ids are the id column or, without one, generated from each row's content (see the
   * stage documentation). Plain Column expressions only: RAPIDS-eligible.
   */
  public Dataset<Row> transform(Dataset<Row> raw) {
    return project(RowIds.withRowId(raw, idColumn, 0L).drop(Columns.W_SPLIT_KEY));
  }

  /**
   * The prepared columns of {@code df}, which carries {@link Columns#W_ROW_ID}, followed by its
   * columns {@code keep} unchanged (e.g. the split, to partition the output by).
   */
  Dataset<Row> project(Dataset<Row> df, String... keep) {
    List<String> present = Arrays.asList(df.columns());
    List<Column> out = new ArrayList<>();
    out.add(col(Columns.W_ROW_ID).as(Columns.ROW_ID));
    if (present.contains(labelColumn)) {
      out.add(labelExpression().as(Columns.LABEL));
    }
    out.add(
        (weightColumn == null || !present.contains(weightColumn)
                ? lit(1.0)
                : ref(weightColumn).cast("double"))
            .as(Columns.WEIGHT));
    Map<String, NumericColumn> numeric =
        numericColumns.stream()
            .collect(Collectors.toMap(NumericColumn::column, Function.identity()));
    for (Feature f : features) {
      out.add(featureExpression(f, numeric).as(f.name()));
    }
    for (String k : keep) {
      out.add(col(k));
    }
    return df.select(out.toArray(Column[]::new));
  }

  private Column labelExpression() {
    Column label = ref(labelColumn);
    if (task == Task.REGRESSION) {
      return label.cast("double");
    }
    Column s = label.cast("string");
    Column c = when(s.equalTo(lit(classes.get(0))), lit(0.0));
    for (int i = 1; i < classes.size(); i++) {
      c = c.when(s.equalTo(lit(classes.get(i))), lit((double) i));
    }
    return c.otherwise(lit(null).cast("double"));
  }

  private Column featureExpression(Feature f, Map<String, NumericColumn> numeric) {
    Column x = ref(f.column());
    switch (f.origin()) {
      case NUMERIC -> {
        Column d = x.cast("double");
        Column missing = d.isNull().or(isnan(d)).or(abs(d).equalTo(lit(Double.POSITIVE_INFINITY)));
        Column v = when(missing, lit(numeric.get(f.column()).imputeValue())).otherwise(d);
        if (f.center() != 0.0) {
          v = v.minus(lit(f.center()));
        }
        return f.scale() == 1.0 ? v : v.divide(lit(f.scale()));
      }
      case CATEGORY -> {
        return when(x.cast("string").equalTo(lit(f.category())), lit(1.0)).otherwise(lit(0.0));
      }
      case MISSING -> {
        return when(x.isNull(), lit(1.0)).otherwise(lit(0.0));
      }
      case OTHER -> {
        // Every fitted level of the column is known, the reference level included.
        List<Object> known = new ArrayList<>();
        boolean missingKnown = false;
        for (Feature g : levelsOf(f.column())) {
          if (g.origin() == Feature.Origin.CATEGORY) {
            known.add(g.category());
          }
          missingKnown |= g.origin() == Feature.Origin.MISSING;
        }
        Column isKnown =
            known.isEmpty()
                ? lit(false)
                : coalesce(x.cast("string").isin(known.toArray()), lit(false));
        if (missingKnown) {
          isKnown = isKnown.or(x.isNull());
        }
        return when(isKnown, lit(0.0)).otherwise(lit(1.0));
      }
      default -> throw new IllegalStateException("Unknown feature origin: " + f.origin());
    }
  }

  /** The features and the reference level of categorical column {@code column}. */
  private List<Feature> levelsOf(String column) {
    List<Feature> out = new ArrayList<>();
    for (List<Feature> list : List.of(features, referenceLevels)) {
      list.stream().filter(g -> g.column().equals(column)).forEach(out::add);
    }
    return out;
  }

  // ---- JSON ------------------------------------------------------------------------------------

  /** The model as pretty-printed JSON (see {@link PrepModelJson} for the layout). */
  public String toJson() {
    return PrepModelJson.write(this);
  }

  /**
   * Parses {@link #toJson()} output.
   *
   * @throws IllegalArgumentException when the JSON is not a prep model of a known version
   */
  public static PrepModel fromJson(String json) {
    return PrepModelJson.read(json);
  }

  /** Writes the JSON to {@code path} (any Hadoop filesystem); fails if the file exists. */
  public void write(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      try (OutputStream out = fs.create(p, false)) {
        out.write(toJson().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write prep model " + path + ": " + e.getMessage(), e);
    }
  }

  /** Reads a model written by {@link #write}. */
  public static PrepModel read(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      try (InputStream in = fs.open(p)) {
        return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read prep model " + path + ": " + e.getMessage(), e);
    }
  }
}

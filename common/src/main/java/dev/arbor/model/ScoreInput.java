package dev.arbor.model;

import dev.arbor.DataValidationException;
import dev.arbor.ingest.SchemaValidator;
import dev.arbor.ingest.Task;
import dev.arbor.prep.NumericColumn;
import dev.arbor.prep.PrepModel;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link ScoreJob} decides and checks about its input before any work.
 *
 * <p><b>Prepared or raw</b> is decided by an explicit marker, never by the columns: an input is
 * prepared only when it is a split folder written by {@code prepare} ({@code train}, {@code
 * validation} or {@code test} next to a {@value PrepModel#FILE_NAME}). Everything else is raw and
 * goes through the model's prep model. (Guessing from the columns scored raw rows whose numeric
 * features had the model's names as if they were already imputed and scaled.)
 *
 * <p><b>Raw input</b> must have every column the prep model reads, numeric columns (and the weight
 * and a regression label, when present) of a numeric type, and no two columns whose names differ
 * only in case; otherwise exit 4 naming the column.
 */
final class ScoreInput {
  private static final List<String> SPLITS = List.of("train", "validation", "test");

  private ScoreInput() {}

  /** Whether {@code input} is a split folder of a prepared output (see the class comment). */
  static boolean isPreparedSplit(String input, Configuration conf) {
    Path p = new Path(input);
    if (p.getParent() == null || !SPLITS.contains(p.getName())) {
      return false;
    }
    return AtomicFiles.exists(new Path(p.getParent(), PrepModel.FILE_NAME).toString(), conf);
  }

  /**
   * Checks raw input columns against the prep model.
   *
   * @throws DataValidationException naming the first offending column
   */
  static void checkRaw(StructType schema, PrepModel prep, String input) {
    Map<String, String> lower = new HashMap<>();
    Map<String, DataType> types = new HashMap<>();
    for (StructField f : schema.fields()) {
      String other = lower.put(f.name().toLowerCase(Locale.ROOT), f.name());
      DataValidationException.check(
          other == null,
          "Cannot score input %s: columns '%s' and '%s' differ only in case (expected distinct"
              + " names; Spark resolves columns case-insensitively)",
          input,
          other,
          f.name());
      types.put(f.name(), f.dataType());
    }
    if (prep.idColumn() != null) {
      require(types, prep.idColumn(), input, "the id column");
    }
    for (NumericColumn c : prep.numericColumns()) {
      requireNumeric(types, c.column(), input, "numeric feature column");
    }
    for (String c : prep.categoricalColumns()) {
      require(types, c, input, "categorical feature column");
    }
    if (prep.weightColumn() != null && types.containsKey(prep.weightColumn())) {
      requireNumeric(types, prep.weightColumn(), input, "weight column");
    }
    if (prep.task() == Task.REGRESSION && types.containsKey(prep.labelColumn())) {
      requireNumeric(types, prep.labelColumn(), input, "label column");
    }
  }

  private static void require(
      Map<String, DataType> types, String column, String input, String what) {
    DataValidationException.check(
        types.containsKey(column),
        "Cannot score input %s: missing %s '%s' (expected every input column the model was"
            + " prepared from; columns: %s)",
        input,
        what,
        column,
        String.join(", ", types.keySet().stream().sorted().toList()));
  }

  private static void requireNumeric(
      Map<String, DataType> types, String column, String input, String what) {
    require(types, column, input, what);
    DataType t = types.get(column);
    DataValidationException.check(
        SchemaValidator.isNumeric(t),
        "Cannot score input %s: %s '%s' has type %s (expected a numeric type, as in training)",
        input,
        what,
        column,
        t.simpleString());
  }
}

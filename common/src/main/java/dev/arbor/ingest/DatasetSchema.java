package dev.arbor.ingest;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The declared schema of the input: the {@code schema} section of the configuration. Column names
 * are the input's; nothing here is checked against data (see {@link SchemaValidator}).
 *
 * @param labelColumn the label column
 * @param task what the label is
 * @param featureColumns numeric feature columns in order; empty means every other numeric column
 * @param categoricalColumns categorical feature columns in order
 * @param weightColumn row-weight column, or {@code null} (every row weighs 1.0)
 * @param idColumn row-id column, or {@code null} (ids generated from the row content)
 * @param classes declared label values in class-index order, or empty (the values seen, sorted)
 */
public record DatasetSchema(
    String labelColumn,
    Task task,
    List<String> featureColumns,
    List<String> categoricalColumns,
    String weightColumn,
    String idColumn,
    List<String> classes) {

  /** The largest number of classes a multiclass label may have. */
  public static final int MAX_CLASSES = 1000;

  public DatasetSchema {
    featureColumns = List.copyOf(featureColumns);
    categoricalColumns = List.copyOf(categoricalColumns);
    classes = List.copyOf(classes);
  }

  /**
   * Reads and checks the {@code schema} section.
   *
   * @throws ConfigException naming the key, the value and what is allowed
   */
  public static DatasetSchema from(ArborConfig config) {
    String label = nonBlank(config, "schema.label-column", config.string("schema.label-column"));
    Task task = config.enumValue("schema.task", Task.class);
    List<String> features = config.strings("schema.feature-columns");
    List<String> categorical = config.strings("schema.categorical-columns");
    String weight = blankToNull(config.optionalString("schema.weight-column"));
    String id = blankToNull(config.optionalString("schema.id-column"));
    List<String> classes = config.strings("schema.classes");

    checkNoDuplicates("schema.feature-columns", features);
    checkNoDuplicates("schema.categorical-columns", categorical);
    checkNoDuplicates("schema.classes", classes);
    for (String f : features) {
      nonBlank(config, "schema.feature-columns", f);
      if (categorical.contains(f)) {
        throw ArborConfig.outOfRange(
            "schema.feature-columns",
            f,
            "columns not also listed in schema.categorical-columns " + categorical);
      }
    }
    List<String> special = new ArrayList<>();
    special.add(label);
    if (weight != null) {
      special.add(weight);
    }
    if (id != null) {
      special.add(id);
    }
    checkNoDuplicates("schema.label-column/weight-column/id-column", special);
    for (String s : special) {
      if (features.contains(s)) {
        throw ArborConfig.outOfRange(
            "schema.feature-columns", s, "no label, weight or id column among the features");
      }
      if (categorical.contains(s)) {
        throw ArborConfig.outOfRange(
            "schema.categorical-columns", s, "no label, weight or id column among the features");
      }
    }
    if (!classes.isEmpty()) {
      if (!task.isClassification()) {
        throw ArborConfig.outOfRange(
            "schema.classes", classes, "[] when schema.task is " + task.configName());
      }
      if (task == Task.BINARY && classes.size() != 2) {
        throw ArborConfig.outOfRange(
            "schema.classes", classes, "exactly 2 values for a binary task, or []");
      }
      if (task == Task.MULTICLASS && (classes.size() < 2 || classes.size() > MAX_CLASSES)) {
        throw ArborConfig.outOfRange(
            "schema.classes",
            classes,
            "2 to " + MAX_CLASSES + " values for a multiclass task, or []");
      }
    }
    return new DatasetSchema(label, task, features, categorical, weight, id, classes);
  }

  private static String nonBlank(ArborConfig config, String key, String value) {
    if (value == null || value.isBlank()) {
      throw ArborConfig.outOfRange(key, "\"" + value + "\"", "a column name");
    }
    return value;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static void checkNoDuplicates(String key, List<String> values) {
    Set<String> seen = new HashSet<>();
    for (String v : values) {
      if (!seen.add(v)) {
        throw ArborConfig.outOfRange(key, values, "no repeated value, but '" + v + "' repeats");
      }
    }
  }
}

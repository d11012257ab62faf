package dev.arbor.ingest;

import java.util.List;
import org.apache.spark.sql.types.DataType;

/**
 * The declared schema checked against one input: every column exists with an allowed type, feature
 * lists are explicit, and for classification the classes are known.
 *
 * @param labelColumn the label column
 * @param labelType the label column's Spark type
 * @param task what the label is
 * @param numericFeatures numeric feature columns in order
 * @param categoricalColumns categorical feature columns in order
 * @param weightColumn row-weight column, or {@code null}
 * @param idColumn row-id column, or {@code null}
 * @param classes class values (the label cast to string) in class-index order; empty for regression
 * @param inputColumns every column of the input, in input order
 */
public record ResolvedSchema(
    String labelColumn,
    DataType labelType,
    Task task,
    List<String> numericFeatures,
    List<String> categoricalColumns,
    String weightColumn,
    String idColumn,
    List<String> classes,
    List<String> inputColumns) {

  public ResolvedSchema {
    numericFeatures = List.copyOf(numericFeatures);
    categoricalColumns = List.copyOf(categoricalColumns);
    classes = List.copyOf(classes);
    inputColumns = List.copyOf(inputColumns);
  }
}

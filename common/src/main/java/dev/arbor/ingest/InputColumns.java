package dev.arbor.ingest;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** References to input columns whatever their names contain (dots, spaces, backticks). */
public final class InputColumns {
  private InputColumns() {}

  /** The column named exactly {@code name} (no nested-field or wildcard parsing). */
  public static Column ref(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }
}

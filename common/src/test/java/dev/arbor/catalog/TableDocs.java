package dev.arbor.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes {@code docs/tables.md}, the column reference of the evaluation tables, from {@link
 * TableDefinitions}: the page cannot drift from the tables Arbor creates, because {@code
 * TableDocsTest} fails when the committed page differs from {@link #markdown()}. Run by {@code
 * scripts/docs}; the table and column comments are the same text Iceberg stores ({@code DESCRIBE}).
 */
public final class TableDocs {
  /** The page's path, relative to the project root. */
  public static final String PAGE = "docs/tables.md";

  private TableDocs() {}

  /**
   * Writes the page.
   *
   * @param args one argument: the file to write (usually {@code docs/tables.md})
   * @throws IOException when the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException(
          "Cannot write the tables page: expected one argument, the output file: " + List.of(args));
    }
    Path out = Paths.get(args[0]);
    Files.writeString(out, markdown(), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The whole page, Markdown, ending with a newline. */
  public static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("<!-- Generated from dev.arbor.catalog.TableDefinitions by scripts/docs:")
        .append(" do not edit by hand. -->\n\n")
        .append("# Evaluation tables: columns\n\n")
        .append("The columns of every evaluation table, table layout version ")
        .append(TableDefinitions.SCHEMA_VERSION)
        .append(" (table property `")
        .append(TableDefinitions.VERSION_PROPERTY)
        .append("`). How the tables are written, the metric names and example queries: ")
        .append("[Evaluation tables](evaluation.md); the stage ledger in `runs.stages`: ")
        .append(
            "[Stage bookkeeping](pipeline.md#stage-bookkeeping-skipping-what-already-completed);")
        .append(" `promotions`: [Promotion gate](promotion.md). The descriptions are the column")
        .append(" comments stored in the Iceberg schema (`DESCRIBE <table>`).\n\n")
        .append("Every table is partitioned by `run_date` and `model` (identity transforms) and")
        .append(" starts with these key columns:\n\n");
    table(sb, TableDefinitions.keyColumns());
    sb.append("\nTables: ")
        .append(
            Arrays.stream(TableDefinitions.values())
                .map(t -> "[`" + t.tableName() + "`](#" + t.tableName() + ")")
                .collect(Collectors.joining(", ")))
        .append(".\n");
    int keys = TableDefinitions.keyColumns().size();
    for (TableDefinitions t : TableDefinitions.values()) {
      sb.append("\n## ").append(t.tableName()).append("\n\n").append(t.comment()).append("\n\n");
      table(sb, t.columns().subList(keys, t.columns().size()));
    }
    return sb.toString();
  }

  private static void table(StringBuilder sb, List<TableDefinitions.Column> columns) {
    sb.append("| column | type | meaning |\n| --- | --- | --- |\n");
    for (TableDefinitions.Column c : columns) {
      sb.append("| `")
          .append(c.name())
          .append("` | `")
          .append(c.type())
          .append("` | ")
          .append(cell(c.comment()))
          .append(" |\n");
    }
  }

  /** Escapes what Markdown would read as a cell border or an HTML tag. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }
}

package dev.arbor.catalog;

import java.util.List;

/**
 * The result of one SQL statement, as text cells, with its plain-text rendering.
 *
 * @param columns column names (empty for a statement without result set)
 * @param rightAligned per column: whether it is numeric (rendered right-aligned)
 * @param rows the rows, each cell already rendered ({@code NULL} for null)
 * @param truncated whether more rows existed than were fetched
 */
public record ResultTable(
    List<String> columns, List<Boolean> rightAligned, List<List<String>> rows, boolean truncated) {
  public ResultTable {
    columns = List.copyOf(columns);
    rightAligned = List.copyOf(rightAligned);
    rows = rows.stream().map(List::copyOf).toList();
  }

  /**
   * Aligned columns under a header and a rule, then the row count, e.g.
   *
   * <pre>
   * model | metric  |  value
   * ------+---------+-------
   * adult | auc_roc | 0.9051
   * (1 row)
   * </pre>
   */
  public String render() {
    if (columns.isEmpty()) {
      return "OK\n";
    }
    int[] width = new int[columns.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = columns.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, columns, width);
    for (int c = 0; c < width.length; c++) {
      out.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
    }
    out.append('\n');
    for (List<String> row : rows) {
      line(out, row, width);
    }
    int n = rows.size();
    out.append(
        truncated
            ? "(first " + n + " rows shown; more rows exist)\n"
            : "(" + n + (n == 1 ? " row" : " rows") + ")\n");
    return out.toString();
  }

  private void line(StringBuilder out, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      if (c > 0) {
        line.append(" | ");
      }
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      line.append(rightAligned.get(c) ? pad + cell : cell + pad);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}

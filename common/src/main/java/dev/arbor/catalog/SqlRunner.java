package dev.arbor.catalog;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Runs SQL against the evaluation catalog and renders the results as plain-text tables (the {@code
 * arbor sql} command). Unqualified table names resolve in the catalog's namespace ({@code SELECT *
 * FROM metrics}); fully qualified names work too. The session's current catalog and namespace are
 * restored after each statement. Read-only unless built writable: a statement that writes is
 * refused from its logical plan before it runs ({@link SqlSafety}).
 *
 * <p>Not thread-safe (it switches the session's current namespace while a statement runs).
 */
public final class SqlRunner {
  private final SparkSession spark;
  private final CatalogSettings catalog;
  private final int maxRows;
  private final boolean writable;

  /**
   * A read-only runner.
   *
   * @param maxRows the most rows fetched and printed per statement
   */
  public SqlRunner(SparkSession spark, CatalogSettings catalog, int maxRows) {
    this(spark, catalog, maxRows, false);
  }

  /**
   * @param maxRows the most rows fetched and printed per statement
   * @param writable whether statements may write ({@code INSERT}, {@code DELETE}, DDL, ...);
   *     otherwise a statement that writes is refused before it runs ({@link SqlSafety})
   */
  public SqlRunner(SparkSession spark, CatalogSettings catalog, int maxRows, boolean writable) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("Invalid maxRows: " + maxRows + " (expected >= 1)");
    }
    this.spark = spark;
    this.catalog = catalog;
    this.maxRows = maxRows;
    this.writable = writable;
  }

  /**
   * Runs one statement.
   *
   * @throws ArborException with {@link ExitCode#USAGE} when Spark rejects the statement (syntax
   *     error, unknown table or column), with Spark's first message line, or when the statement
   *     writes and the runner is read-only; execution errors propagate unchanged
   */
  public ResultTable run(String statement) {
    String previousCatalog = spark.catalog().currentCatalog();
    String previousNamespace = spark.catalog().currentDatabase();
    spark.catalog().setCurrentCatalog(catalog.name());
    spark.catalog().setCurrentDatabase(catalog.namespace());
    try {
      if (!writable) {
        SqlSafety.requireReadOnly(spark, statement);
      }
      Dataset<Row> df = spark.sql(statement);
      return toTable(df);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw invalid(e);
      }
      throw e;
    } finally {
      spark.catalog().setCurrentCatalog(previousCatalog);
      spark.catalog().setCurrentDatabase(previousNamespace);
    }
  }

  /** The usage error for a statement Spark rejects, with Spark's first message line. */
  static ArborException invalid(Exception e) {
    String message = e.getMessage() == null ? "" : e.getMessage().strip();
    int eol = message.indexOf('\n');
    return new ArborException(
        ExitCode.USAGE,
        "Invalid SQL statement: " + (eol < 0 ? message : message.substring(0, eol)),
        e);
  }

  /** Runs every statement of a script (statements separated by {@code ;}), in order. */
  public List<ResultTable> runScript(String script) {
    List<ResultTable> out = new ArrayList<>();
    for (String statement : splitStatements(script)) {
      out.add(run(statement));
    }
    return out;
  }

  private ResultTable toTable(Dataset<Row> df) {
    List<String> columns = new ArrayList<>();
    List<Boolean> numeric = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      columns.add(f.name());
      numeric.add(f.dataType() instanceof NumericType);
    }
    List<Row> fetched = df.limit(maxRows + 1).collectAsList();
    boolean truncated = fetched.size() > maxRows;
    List<List<String>> rows = new ArrayList<>();
    for (Row r : fetched.subList(0, Math.min(maxRows, fetched.size()))) {
      List<String> cells = new ArrayList<>(r.size());
      for (int i = 0; i < r.size(); i++) {
        cells.add(cell(r.get(i)));
      }
      rows.add(cells);
    }
    return new ResultTable(columns, numeric, rows, truncated);
  }

  private static String cell(Object v) {
    if (v == null) {
      return "NULL";
    }
    return v.toString().replace("\n", "\\n").replace("\t", " ");
  }

  /**
   * Splits a script at top-level {@code ;}: not inside quotes ({@code '…'}, {@code "…"}, {@code
   * `…`}) or comments ({@code -- …} to end of line, {@code /* … *}{@code /}). Blank statements are
   * dropped; comments are kept in their statement (Spark ignores them).
   */
  public static List<String> splitStatements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    boolean lineComment = false;
    boolean blockComment = false;
    for (int i = 0; i < script.length(); i++) {
      char ch = script.charAt(i);
      char next = i + 1 < script.length() ? script.charAt(i + 1) : 0;
      if (lineComment) {
        lineComment = ch != '\n';
      } else if (blockComment) {
        if (ch == '*' && next == '/') {
          blockComment = false;
          current.append(ch);
          ch = next;
          i++;
        }
      } else if (quote != 0) {
        if (ch == '\\' && next != 0) {
          current.append(ch);
          ch = next;
          i++;
        } else if (ch == quote) {
          quote = 0;
        }
      } else if (ch == '\'' || ch == '"' || ch == '`') {
        quote = ch;
      } else if (ch == '-' && next == '-') {
        lineComment = true;
      } else if (ch == '/' && next == '*') {
        blockComment = true;
      } else if (ch == ';') {
        addStatement(out, current);
        current.setLength(0);
        continue;
      }
      current.append(ch);
    }
    addStatement(out, current);
    return out;
  }

  private static void addStatement(List<String> out, StringBuilder sb) {
    String s = sb.toString().strip();
    if (!s.isEmpty() && !onlyComments(s)) {
      out.add(s);
    }
  }

  private static boolean onlyComments(String s) {
    String rest = s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)--.*$", "");
    return rest.isBlank();
  }
}

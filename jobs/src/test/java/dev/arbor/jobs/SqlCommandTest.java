package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code arbor sql} on the shared test session, with its own catalog in a temp folder. */
@Tag("spark")
class SqlCommandTest {
  private static Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void session() {
    SparkTestSession.get();
    dir = TestPaths.newTempDir("sql-command");
  }

  private int run(String... args) {
    String[] catalog = {
      "--set", "catalog.name=t_sqlcmd",
      "--set", "catalog.uri=jdbc:sqlite:" + dir.resolve("catalog.db"),
      "--set", "catalog.warehouse=" + dir.resolve("warehouse"),
    };
    String[] all = new String[args.length + catalog.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(catalog, 0, all, args.length, catalog.length);
    return Main.run(new PrintWriter(out), new PrintWriter(err), all);
  }

  @Test
  void printsAQueryResultAsATable() {
    assertThat(run("sql", "SELECT count(*) AS n, 'x' AS s FROM metrics")).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString()).isEqualTo("n | s\n--+--\n0 | x\n(1 row)\n");
  }

  @Test
  void runsEveryStatementOfAFile() throws Exception {
    Path file = dir.resolve("q.sql");
    Files.writeString(
        file,
        "-- tables\nSHOW TABLES;\nSELECT metric, value FROM t_sqlcmd.arbor.metrics WHERE false;\n");
    assertThat(run("sql", "--file", file.toString())).isZero();
    assertThat(out.toString())
        .contains("metrics")
        .contains("predictions")
        .contains("promotions")
        .contains("(9 rows)\n\nmetric | value\n-------+------\n(0 rows)\n");
  }

  @Test
  void badSqlIsAUsageErrorWithSparksMessage() {
    assertThat(run("sql", "SELECT nope FROM metrics")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("arbor: error: Invalid SQL statement: [UNRESOLVED_COLUMN")
        .contains("nope");
  }

  @Test
  @Tag("reliability")
  @DisplayName(
      "arbor sql without --write: DELETE, DROP … PURGE, INSERT, INSERT OVERWRITE DIRECTORY, CTAS,"
          + " EXECUTE IMMEDIATE, SET, a write behind a comment or CTE — exit 2 naming --write,"
          + " nothing changed; with --write a DELETE runs")
  void isReadOnlyUnlessWrite() throws Exception {
    Path escaped = dir.resolve("escaped");
    String[] writes = {
      "DELETE FROM metrics",
      "DROP TABLE runs PURGE",
      "INSERT INTO runs SELECT * FROM runs",
      "INSERT OVERWRITE DIRECTORY '" + escaped + "' USING parquet SELECT 1 AS x",
      "CREATE TABLE t_copy AS SELECT * FROM metrics",
      "EXECUTE IMMEDIATE 'DELETE FROM metrics'",
      "SET spark.sql.ansi.enabled=false",
      "/* just a query */ DELETE FROM metrics WHERE true",
      "WITH m AS (SELECT * FROM metrics) INSERT INTO metrics SELECT * FROM m",
      "TRUNCATE TABLE metrics",
      "ALTER TABLE metrics SET TBLPROPERTIES ('x' = 'y')",
      "CACHE TABLE metrics",
    };
    for (String w : writes) {
      err.getBuffer().setLength(0);
      assertThat(run("sql", w)).as(w + ": " + err).isEqualTo(2);
      assertThat(err.toString())
          .as(w)
          .startsWith("arbor: error: ")
          .containsAnyOf("is read-only", "Invalid SQL statement")
          .endsWith("\n");
      assertThat(err.toString().strip()).as(w).doesNotContain("\n");
    }
    assertThat(Files.exists(escaped)).isFalse();
    out.getBuffer().setLength(0);
    assertThat(run("sql", "SHOW TABLES; DESCRIBE TABLE runs; EXPLAIN DELETE FROM metrics"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("runs").contains("metrics").contains("run_id");
    assertThat(run("sql", "--write", "DELETE FROM metrics WHERE false"))
        .as(err.toString())
        .isZero();
    assertThat(run("sql", "SELECT count(*) FROM runs")).isZero();
  }

  @Test
  @Tag("reliability")
  @DisplayName("arbor sql on a Parquet path (parquet.`/path`) — read directly, read-only, exit 0")
  void readsAParquetPathDirectly() {
    Path parquet = dir.resolve("direct.parquet");
    SparkTestSession.get().range(3).write().parquet(parquet.toString());
    assertThat(run("sql", "SELECT count(*) AS n FROM parquet.`" + parquet + "`"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).isEqualTo("n\n-\n3\n(1 row)\n");
  }

  @Test
  void needsExactlyOneOfStatementAndFile() {
    assertThat(run("sql")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("arbor: error: Error: Missing required argument (specify one of these)");
    assertThat(run("sql", "--file", dir.resolve("missing.sql").toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("arbor: error: Cannot read SQL file: no such file: ")
        .contains("missing.sql");
  }
}

package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
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

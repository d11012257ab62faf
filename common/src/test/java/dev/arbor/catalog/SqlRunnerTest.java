package dev.arbor.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL runner's script splitting and table rendering (no Spark). */
class SqlRunnerTest {
  @Test
  void splitsAtTopLevelSemicolonsOnly() {
    String script =
        "-- trend; last 30 days\n"
            + "SELECT 'a;b' AS s, \"x;\" FROM metrics; /* ; */ SELECT `c;d` FROM t;\n"
            + "SELECT 1 -- trailing; comment\n;\n  ;  -- only a comment;\n";
    assertThat(SqlRunner.splitStatements(script))
        .containsExactly(
            "-- trend; last 30 days\nSELECT 'a;b' AS s, \"x;\" FROM metrics",
            "/* ; */ SELECT `c;d` FROM t",
            "SELECT 1 -- trailing; comment");
  }

  @Test
  void rendersAlignedColumnsAndRowCount() {
    ResultTable t =
        new ResultTable(
            List.of("model", "metric", "value"),
            List.of(false, false, true),
            List.of(List.of("adult", "auc_roc", "0.9051"), List.of("a9a", "f1", "NULL")),
            false);
    assertThat(t.render())
        .isEqualTo(
            "model | metric  |  value\n"
                + "------+---------+-------\n"
                + "adult | auc_roc | 0.9051\n"
                + "a9a   | f1      |   NULL\n"
                + "(2 rows)\n");
    assertThat(new ResultTable(List.of("n"), List.of(true), List.of(List.of("1")), true).render())
        .endsWith("(first 1 rows shown; more rows exist)\n");
    assertThat(new ResultTable(List.of(), List.of(), List.of(), false).render()).isEqualTo("OK\n");
  }
}

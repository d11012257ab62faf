package dev.arbor.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.TestPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code docs/tables.md} is exactly what {@link TableDocs} generates from the definitions. */
class TableDocsTest {
  @Test
  void committedPageIsTheGeneratedOne() throws Exception {
    Path page = TestPaths.projectDir().resolve(TableDocs.PAGE);
    assertThat(Files.readString(page, StandardCharsets.UTF_8))
        .as("%s differs from what TableDefinitions generates: run scripts/docs", TableDocs.PAGE)
        .isEqualTo(TableDocs.markdown());
  }

  @Test
  void pageListsEveryTableAndColumnWithItsType() {
    String page = TableDocs.markdown();
    for (TableDefinitions t : TableDefinitions.values()) {
      assertThat(page).contains("\n## " + t.tableName() + "\n\n" + t.comment() + "\n");
      for (TableDefinitions.Column c : t.columns()) {
        assertThat(page).contains("| `" + c.name() + "` | `" + c.type() + "` | ");
      }
    }
    assertThat(page).contains("layout version " + TableDefinitions.SCHEMA_VERSION);
  }
}

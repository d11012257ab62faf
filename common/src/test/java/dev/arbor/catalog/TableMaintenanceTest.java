package dev.arbor.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Table maintenance on the embedded JDBC/SQLite catalog: 30 re-runs of one date of the {@code
 * history} table (written directly, not by 30 pipelines), each followed by the after-run
 * maintenance; then {@code maintain} with orphan files. One catalog, the cases in order.
 */
@Tag("spark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TableMaintenanceTest {
  private static final LocalDate DAY = LocalDate.of(2025, 3, 1);
  private static final int RUNS = 30;
  private static final int METADATA_VERSIONS = 3;
  private static final SparkSession spark = SparkTestSession.get();
  private static CatalogSettings catalog;
  private static EvaluationTables tables;
  private static TableMaintenance maintenance;

  @BeforeAll
  static void openCatalog() {
    catalog = CatalogSettings.localJdbc("t_maint", "arbor", TestPaths.newTempDir("maintenance"));
    catalog.applyTo(spark);
    tables = EvaluationTables.open(spark, catalog);
    // Retention 0 days: only the current snapshot is kept.
    maintenance =
        new TableMaintenance(
            spark, catalog, new MaintenanceSettings(true, 0, METADATA_VERSIONS, 1));
  }

  private static List<HistoryRow> history(int run) {
    List<HistoryRow> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(new HistoryRow("final", i, 1.0 / (run + i + 1), null, 0.1 * i, 1.0, 10L * i));
    }
    return rows;
  }

  @Test
  @Order(1)
  @DisplayName(
      "30 runs of one date: metadata files stay bounded by the retention, and a raw Parquet read"
          + " of the partition's data files equals the table")
  void thirtyRunsKeepTheMetadataBoundedAndTheDataFilesEqualToTheTable() throws IOException {
    Path metadata = folder(table("history")).resolve("metadata");
    List<Integer> totals = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      tables.writeHistory(new RunKey("m", DAY, "r-" + run), history(run));
      if (run == RUNS - 1) {
        // Without maintenance the partition's folder holds the overwritten run's file too.
        assertThat(rawPartition("history").count()).isEqualTo(10);
      }
      maintenance.afterRun();
      totals.add(files(metadata).size());
      assertThat(files(metadata))
          .as("metadata folder after run %d", run)
          .filteredOn(f -> f.endsWith(".metadata.json"))
          .hasSizeLessThanOrEqualTo(METADATA_VERSIONS + 1);
      assertThat(files(metadata))
          .as("manifest lists after run %d", run)
          .filteredOn(f -> f.startsWith("snap-"))
          .hasSize(1);
    }
    // Bounded: the folder holds as many files after the 30th run as after the 10th.
    assertThat(totals.get(RUNS - 1)).isEqualTo(totals.get(9)).isLessThanOrEqualTo(10);
    Table history = table("history");
    assertThat(history.snapshots()).hasSize(1);
    assertThat(history.properties())
        .containsEntry(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true")
        .containsEntry(
            TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, Integer.toString(METADATA_VERSIONS));

    List<String> raw = rows(rawPartition("history").selectExpr(HISTORY_COLUMNS));
    List<String> table =
        rows(
            spark.sql(
                "SELECT "
                    + String.join(", ", HISTORY_COLUMNS)
                    + " FROM "
                    + catalog.qualified("history")
                    + " WHERE model = 'm' AND run_date = DATE'"
                    + DAY
                    + "'"));
    assertThat(raw).hasSize(5).isEqualTo(table);
    assertThat(table).allMatch(r -> r.contains("r-" + (RUNS - 1)));
  }

  @Test
  @Order(2)
  @DisplayName(
      "maintain deletes files no snapshot references once older than orphan-min-age-days, and"
          + " keeps younger ones (a commit in progress)")
  void maintainDeletesOldOrphansOnly() throws IOException {
    Path partition = partitionFolder("history");
    Path dataFile;
    try (Stream<Path> s = Files.list(partition)) {
      dataFile = s.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Path old = Files.copy(dataFile, partition.resolve("orphan-old.parquet"));
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(10, ChronoUnit.DAYS)));
    Path young = Files.copy(dataFile, partition.resolve("orphan-young.parquet"));

    List<TableMaintenance.TableResult> results = maintenance.all();

    assertThat(results).hasSize(TableDefinitions.values().length);
    TableMaintenance.TableResult history =
        results.stream().filter(r -> r.table().endsWith(".history")).findFirst().orElseThrow();
    assertThat(history.orphanFiles()).isEqualTo(1);
    assertThat(history.line()).contains("1 orphan file(s) deleted");
    assertThat(old).doesNotExist();
    assertThat(young).exists();
    Files.delete(young);
    assertThat(rawPartition("history").count()).isEqualTo(5);
  }

  private static final String[] HISTORY_COLUMNS = {
    "model", "run_date", "run_id", "candidate", "iteration", "train_loss"
  };

  private static org.apache.spark.sql.Dataset<Row> rawPartition(String name) {
    return spark.read().parquet(partitionFolder(name).toString());
  }

  private static Path partitionFolder(String name) {
    return folder(table(name)).resolve("data/run_date=" + DAY + "/model=m");
  }

  private static List<String> rows(org.apache.spark.sql.Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static Table table(String name) {
    try {
      return Spark3Util.loadIcebergTable(spark, catalog.qualified(name));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Path folder(Table t) {
    return Path.of(URI.create(t.location()));
  }

  private static List<String> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(f -> f.getFileName().toString()).filter(f -> !f.endsWith(".crc")).toList();
    }
  }
}

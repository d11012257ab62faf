package dev.arbor.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.testing.TestPaths;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class CatalogSettingsTest {
  private static final Path BASE = Path.of("/srv/arbor");

  @Test
  void defaultIsJdbcOnSqliteWithAbsolutePaths() {
    CatalogSettings s = CatalogSettings.from(ArborConfig.defaults(), BASE);
    assertThat(s.sparkConf())
        .containsExactly(
            entry("spark.sql.catalog.arbor", "org.apache.iceberg.spark.SparkCatalog"),
            entry("spark.sql.catalog.arbor.type", "jdbc"),
            entry(
                "spark.sql.catalog.arbor.uri",
                "jdbc:sqlite:/srv/arbor/work/output/warehouse/catalog.db"),
            entry("spark.sql.catalog.arbor.warehouse", "file:///srv/arbor/work/output/warehouse"),
            entry("spark.sql.catalog.arbor.jdbc.schema-version", "V1"),
            entry("spark.sql.catalog.arbor.cache-enabled", "false"),
            entry(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"));
    assertThat(s.catalogConf()).doesNotContainKey("spark.sql.extensions").hasSize(6);
    assertThat(s.qualified("metrics")).isEqualTo("arbor.arbor.metrics");
  }

  @Test
  void remoteLocationsAndPropertiesPassThrough() {
    ArborConfig config =
        ArborConfig.load(
            null,
            Map.of(
                "catalog.type", "rest",
                "catalog.name", "lake",
                "catalog.uri", "https://catalog.example.com/api/catalog",
                "catalog.warehouse", "s3://bucket/warehouse",
                "catalog.properties.credential", "id:secret",
                "catalog.properties.cache-enabled", "true"));
    Map<String, String> conf = CatalogSettings.from(config, BASE).sparkConf();
    assertThat(conf)
        .containsEntry("spark.sql.catalog.lake.type", "rest")
        .containsEntry("spark.sql.catalog.lake.uri", "https://catalog.example.com/api/catalog")
        .containsEntry("spark.sql.catalog.lake.warehouse", "s3://bucket/warehouse")
        .containsEntry("spark.sql.catalog.lake.credential", "id:secret")
        .containsEntry("spark.sql.catalog.lake.cache-enabled", "true")
        .doesNotContainKey("spark.sql.catalog.lake.jdbc.schema-version");
  }

  @Test
  void hadoopNeedsOnlyAWarehouse() {
    ArborConfig config =
        ArborConfig.load(
            null, Map.of("catalog.type", "hadoop", "catalog.warehouse", "hdfs://nn:8020/wh"));
    CatalogSettings s = CatalogSettings.from(config, BASE);
    assertThat(s.uri()).isNull();
    assertThat(s.sparkConf())
        .containsEntry("spark.sql.catalog.arbor.warehouse", "hdfs://nn:8020/wh")
        .doesNotContainKey("spark.sql.catalog.arbor.uri");
  }

  @Test
  void relativeSqlitePathsBecomeAbsoluteOthersAreKept() {
    assertThat(CatalogSettings.absoluteUri("jdbc:sqlite:a/b.db", BASE))
        .isEqualTo("jdbc:sqlite:/srv/arbor/a/b.db");
    assertThat(CatalogSettings.absoluteUri("jdbc:sqlite:/x/b.db", BASE))
        .isEqualTo("jdbc:sqlite:/x/b.db");
    assertThat(CatalogSettings.absoluteUri("jdbc:sqlite::memory:", BASE))
        .isEqualTo("jdbc:sqlite::memory:");
    assertThat(CatalogSettings.absoluteUri("jdbc:postgresql://h/db", BASE))
        .isEqualTo("jdbc:postgresql://h/db");
    assertThat(CatalogSettings.absoluteLocation("../wh", BASE)).isEqualTo("file:///srv/wh");
    assertThat(CatalogSettings.absoluteLocation("file:/tmp/wh", BASE)).isEqualTo("file:/tmp/wh");
  }

  @Test
  void badNamesAndTypesAreConfigErrors() {
    assertThatThrownBy(
            () ->
                CatalogSettings.from(
                    ArborConfig.load(null, Map.of("catalog.name", "my-cat")), BASE))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'catalog.name': my-cat (expected letters, digits and"
                + " underscores only)");
    assertThatThrownBy(
            () ->
                CatalogSettings.from(ArborConfig.load(null, Map.of("catalog.type", "glue")), BASE))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'catalog.type': glue (expected one of jdbc, rest, hive,"
                + " hadoop)");
    assertThatThrownBy(
            () ->
                CatalogSettings.from(
                    ArborConfig.load(null, Map.of("catalog.type", "rest", "catalog.uri", "")),
                    BASE))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'catalog.uri': null (expected a catalog URI for type rest)");
    CatalogSettings s = CatalogSettings.from(ArborConfig.defaults(), BASE);
    assertThatThrownBy(() -> s.qualified("metrics; DROP"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid table name: 'metrics; DROP' (expected letters, digits and underscores only:"
                + " [A-Za-z0-9_]+)");
  }

  /**
   * Iceberg's JDBC catalog adds its {@code iceberg_type} column after checking that it is missing;
   * several writers opening a fresh catalog at once raced there ("duplicate column name").
   */
  @Test
  void writersOpeningAFreshJdbcCatalogAtOnceAllSucceed() throws Exception {
    Path dir = TestPaths.newTempDir("jdbc-race");
    int writers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 15; round++) {
        CatalogSettings catalog =
            CatalogSettings.localJdbc("race", "arbor", dir.resolve("r" + round));
        catalog.prepareLocalStorage();
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Future<?>> opened = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          opened.add(
              pool.submit(
                  () -> {
                    start.await();
                    catalog.initializeJdbcTables(new Configuration(false));
                    return null;
                  }));
        }
        for (Future<?> f : opened) {
          f.get(); // rethrows a writer's failure
        }
        try (Connection c = DriverManager.getConnection(catalog.uri());
            ResultSet column =
                c.getMetaData().getColumns(null, null, "iceberg_tables", "iceberg_type")) {
          assertThat(column.next()).as("round %d: the V1 column exists", round).isTrue();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aJdbcUriWithoutADriverIsAConfigErrorNamingTheUri() {
    CatalogSettings catalog =
        new CatalogSettings(
            "lake",
            "jdbc",
            "jdbc:nosuchdb://db.example.com/catalog",
            "file:/tmp/w",
            "arbor",
            Map.of());
    assertThatThrownBy(() -> catalog.initializeJdbcTables(new Configuration(false)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("catalog.uri: jdbc:nosuchdb://db.example.com/catalog")
        .hasMessageContaining("no JDBC driver");
  }
}

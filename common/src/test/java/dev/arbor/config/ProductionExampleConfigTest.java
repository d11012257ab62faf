package dev.arbor.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.eval.EvalSettings;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.testing.TestPaths;
import dev.arbor.train.TrainSettings;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/production-example.conf} loads against the reference, so it cannot rot when keys are
 * renamed or removed; and it is what it claims to be (a REST catalog, date-partitioned input).
 */
class ProductionExampleConfigTest {
  private static final Path FILE = TestPaths.projectDir().resolve("conf/production-example.conf");

  @Test
  void loadsAgainstTheReference() {
    ArborConfig config = ArborConfig.load(FILE, Map.of());

    assertThat(config.string("model.name")).isEqualTo("churn");
    assertThat(config.string("input.path")).startsWith("hdfs://");
    assertThat(config.optionalString("input.date-partition-column")).isEqualTo("event_date");
    assertThat(config.bool("input.generate-demo-if-missing")).isFalse();
    assertThat(config.string("output.root")).startsWith("hdfs://");
    assertThat(config.string("catalog.type")).isEqualTo("rest");
    assertThat(config.string("catalog.uri")).startsWith("https://");
    assertThat(config.string("catalog.warehouse")).isEqualTo("analytics");
    assertThat(config.stringMap("catalog.properties")).containsEntry("scope", "PRINCIPAL_ROLE:ALL");
    assertThat(config.integer("train.checkpoint-every")).isEqualTo(10);
    assertThat(config.stringMap("spark.conf")).containsEntry("spark.sql.shuffle.partitions", "400");
  }

  @Test
  void itsCatalogSectionIsAValidRestCatalog() {
    CatalogSettings catalog = CatalogSettings.from(ArborConfig.load(FILE, Map.of()));

    assertThat(catalog.type()).isEqualTo("rest");
    assertThat(catalog.uri()).isEqualTo("https://iceberg-catalog.example.com/api/catalog");
    // A REST catalog's warehouse is a name the server knows, not a path: kept as written.
    assertThat(catalog.warehouse()).isEqualTo("analytics");
    assertThat(catalog.namespace()).isEqualTo("ml");
  }

  @Test
  void everyStageAcceptsItsSettings() {
    ArborConfig config = ArborConfig.load(FILE, Map.of());

    assertThat(PrepareSettings.from(config).outputDir(LocalDate.of(2026, 1, 2)))
        .isEqualTo("hdfs://namenode:8020/arbor/output/prepared/churn/run_date=2026-01-02");
    assertThat(PrepareSettings.from(config).schema().labelColumn()).isEqualTo("churned");
    TrainSettings train = TrainSettings.from(config);
    assertThat(train.warmStart()).isEqualTo("previous");
    assertThat(train.checkpointEvery()).isEqualTo(10);
    // No evaluate section: the reference's defaults.
    assertThat(EvalSettings.from(config)).isEqualTo(EvalSettings.DEFAULTS);
  }

  @Test
  void theCatalogSecretComesOnlyFromTheEnvironment() {
    ArborConfig config = ArborConfig.load(FILE, Map.of());

    String fromEnv = System.getenv("ARBOR_CATALOG_CREDENTIAL");
    assertThat(config.has("catalog.properties.credential")).isEqualTo(fromEnv != null);
    ArborConfig withSecret =
        ArborConfig.load(FILE, Map.of("catalog.properties.credential", "id:hunter2"));
    assertThat(withSecret.renderRedacted()).contains("*****").doesNotContain("hunter2");
  }
}

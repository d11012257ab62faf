package dev.arbor.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.catalog.CatalogSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {

  @Test
  void settingsGivenToSparkSubmitWinOverTheConfig() {
    Map<String, String> fromConfig =
        Map.of("spark.sql.shuffle.partitions", "64", "spark.sql.ansi.enabled", "true");
    Set<String> launched = Set.of("spark.sql.shuffle.partitions");

    Map<String, String> applied = Sessions.settingsToApply(fromConfig, launched::contains);

    assertThat(applied).containsExactly(Map.entry("spark.sql.ansi.enabled", "true"));
  }

  @Test
  void everySettingAppliesWhenNothingWasLaunchedWith() {
    Map<String, String> fromConfig = Map.of("b", "2", "a", "1");

    assertThat(Sessions.settingsToApply(fromConfig, key -> false))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @Test
  void theCatalogIsConfiguredAndTheSparkConfMapWinsOverIt() {
    CatalogSettings catalog = CatalogSettings.localJdbc("cat", "ns", Path.of("/tmp/wh"));

    Map<String, String> conf =
        Sessions.fromConfig(catalog, Map.of("spark.sql.catalog.cat.cache-enabled", "true"));

    assertThat(conf)
        .containsEntry("spark.sql.catalog.cat", CatalogSettings.SPARK_CATALOG)
        .containsEntry("spark.sql.catalog.cat.type", "jdbc")
        .containsEntry("spark.sql.catalog.cat.uri", "jdbc:sqlite:/tmp/wh/catalog.db")
        .containsEntry("spark.sql.extensions", CatalogSettings.EXTENSIONS)
        .containsEntry("spark.sql.catalog.cat.cache-enabled", "true");
  }
}

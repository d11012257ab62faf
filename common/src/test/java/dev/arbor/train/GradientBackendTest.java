package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.testing.SparkTestSession;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class GradientBackendTest {
  private final SparkSession spark = SparkTestSession.get();

  private static ArborConfig backend(String value) {
    return ArborConfig.load(null, Map.of(GradientBackend.KEY, value));
  }

  @Test
  void explicitChoicesWinAndAutoIsTreeWithoutRapids() {
    assertThat(GradientBackend.choose(ArborConfig.defaults(), spark))
        .as("default auto, test session without the plugin")
        .isEqualTo(GradientBackend.TREE);
    assertThat(GradientBackend.choose(backend("sql"), spark)).isEqualTo(GradientBackend.SQL);
    assertThat(GradientBackend.choose(backend("TREE"), spark)).isEqualTo(GradientBackend.TREE);
  }

  @Test
  void autoPicksSqlWhenTheRapidsSqlPluginIsOn() {
    String plugin = GradientBackend.RAPIDS_PLUGIN;
    assertThat(GradientBackend.rapidsSqlEnabled("", "true")).isFalse();
    assertThat(GradientBackend.rapidsSqlEnabled("a.Other, " + plugin, "true")).isTrue();
    assertThat(GradientBackend.rapidsSqlEnabled(plugin, " False")).isFalse();
    assertThat(GradientBackend.rapidsSqlEnabled(plugin + "X", "true")).isFalse();
  }

  @Test
  void anUnknownBackendIsAConfigError() {
    assertThatThrownBy(() -> GradientBackend.choose(backend("gpu"), spark))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.backend': gpu (expected one of tree, sql, auto)");
  }
}

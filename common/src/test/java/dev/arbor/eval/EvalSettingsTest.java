package dev.arbor.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalSettingsTest {
  @Test
  void defaultsComeFromTheReferenceConfig() {
    assertThat(EvalSettings.from(ArborConfig.defaults())).isEqualTo(EvalSettings.DEFAULTS);
    EvalSettings named = EvalSettings.DEFAULTS.withClassNames(List.of("<=50K", ">50K"));
    assertThat(named.className(1)).isEqualTo(">50K");
    assertThat(EvalSettings.DEFAULTS.className(1)).isEqualTo("1");
  }

  @Test
  void outOfRangeValuesAreConfigErrors() {
    assertThatThrownBy(
            () -> EvalSettings.from(ArborConfig.load(null, Map.of("evaluate.threshold", "1.5"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'evaluate.threshold': 1.5 (expected a number in [0.0, 1.0])");
    assertThatThrownBy(
            () ->
                EvalSettings.from(ArborConfig.load(null, Map.of("evaluate.max-curve-points", "2"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'evaluate.max-curve-points': 2 (expected an integer in [3,"
                + " 1000000])");
  }
}

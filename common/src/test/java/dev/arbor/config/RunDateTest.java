package dev.arbor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunDateTest {

  @Test
  void parsesAnIsoLocalDate() {
    assertThat(RunDate.parse("2026-02-28")).contains(LocalDate.of(2026, 2, 28));
    assertThat(RunDate.parse("2024-02-29")).contains(LocalDate.of(2024, 2, 29));
  }

  @Test
  void rejectsAnythingElse() {
    assertThat(RunDate.parse("2026-02-30")).isEmpty();
    assertThat(RunDate.parse("2025-02-29")).isEmpty();
    assertThat(RunDate.parse("2026-13-01")).isEmpty();
    assertThat(RunDate.parse("2026-1-5")).isEmpty();
    assertThat(RunDate.parse("+2026-01-05")).isEmpty();
    assertThat(RunDate.parse("20260105")).isEmpty();
    assertThat(RunDate.parse("2026-01-05T00:00")).isEmpty();
    assertThat(RunDate.parse("")).isEmpty();
    assertThat(RunDate.parse(null)).isEmpty();
  }

  @Test
  void defaultsToTheConfiguredDate() {
    assertThat(RunDate.fromConfig(ArborConfig.defaults())).isEqualTo(LocalDate.of(2026, 1, 1));
    assertThat(RunDate.fromConfig(ArborConfig.load(null, Map.of("run.date", "2026-03-04"))))
        .isEqualTo(LocalDate.of(2026, 3, 4));
  }

  @Test
  void aBadConfiguredDateIsAConfigError() {
    ArborConfig config = ArborConfig.load(null, Map.of("run.date", "2026-02-30"));
    assertThatThrownBy(() -> RunDate.fromConfig(config))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'run.date': 2026-02-30"
                + " (expected a calendar date YYYY-MM-DD)");
  }
}

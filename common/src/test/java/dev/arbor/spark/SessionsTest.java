package dev.arbor.spark;

import static org.assertj.core.api.Assertions.assertThat;

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
}

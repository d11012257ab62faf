package dev.arbor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ArborVersionTest {
  @Test
  @Tag("reliability")
  @DisplayName(
      "runs.arbor_version and the model's versions — the build's project version, not 'dev'")
  void isTheProjectVersion() {
    assertThat(ArborVersion.get()).isNotEqualTo("dev").matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(dev.arbor.evaluate.EvaluateStage.arborVersion()).isEqualTo(ArborVersion.get());
  }
}

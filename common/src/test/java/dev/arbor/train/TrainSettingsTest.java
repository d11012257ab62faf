package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
  @Test
  void defaults() {
    TrainSettings s = TrainSettings.from(ArborConfig.defaults());
    assertThat(s.solver()).isEqualTo(TrainSettings.Solver.AUTO);
    assertThat(s.earlyStopping()).isEmpty();
    assertThat(s.checkpointEvery()).isZero();
    assertThat(s.candidates()).isEmpty();
    assertThat(s.selectionMetric("binary")).isEqualTo(ValidationMetric.AUC);
    assertThat(s.selectionMetric("regression")).isEqualTo(ValidationMetric.RMSE);
    assertThat(s.warmStart()).isEqualTo("none");
  }

  @Test
  void parsesCandidatesAndEarlyStopping() {
    ArborConfig c =
        ArborConfig.load(
            null,
            Map.of(
                "train.candidates",
                "[{\"train.regularization.strength\" = 0.1}, {train.optimizer {name = adam}}]",
                "train.early-stopping.metric",
                "log-loss",
                "train.cv-folds",
                "3"));
    TrainSettings s = TrainSettings.from(c);
    assertThat(s.candidates()).hasSize(2);
    assertThat(s.candidates().get(0)).containsEntry("train.regularization.strength", 0.1);
    assertThat(s.candidates().get(1)).containsEntry("train.optimizer.name", "adam");
    assertThat(s.earlyStopping()).contains(ValidationMetric.LOG_LOSS);
    assertThat(s.cvFolds()).isEqualTo(3);
  }

  @Test
  void rejectsBadValuesNamingTheKey() {
    assertThatThrownBy(
            () -> TrainSettings.from(ArborConfig.load(null, Map.of("train.solver", "magic"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.solver': magic (expected one of auto, normal,"
                + " iterative)");
    assertThatThrownBy(
            () -> TrainSettings.from(ArborConfig.load(null, Map.of("train.cv-folds", "1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'train.cv-folds': 1");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    ArborConfig.load(null, Map.of("train.candidates", "[{train.nope = 1}]"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown config key 'train.nope'");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    ArborConfig.load(
                        null, Map.of("train.candidates", "[{train.checkpoint-every = 1}]"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid key 'train.checkpoint-every' in train.candidates[0]");
    assertThatThrownBy(
            () -> TrainSettings.from(ArborConfig.load(null, Map.of("train.candidates", "[3]"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.candidates[0]': 3 (expected an object of config"
                + " overrides)");
  }
}

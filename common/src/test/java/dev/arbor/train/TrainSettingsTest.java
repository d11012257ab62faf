package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import java.util.List;
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
    assertThat(s.selectionMetric(Task.BINARY)).isEqualTo(ValidationMetric.AUC);
    assertThat(s.selectionMetric(Task.REGRESSION)).isEqualTo(ValidationMetric.RMSE);
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

  private static TrainSettings grid(String grid, String... more) {
    Map<String, String> set = new java.util.HashMap<>();
    set.put("train.grid", grid);
    for (int i = 0; i < more.length; i += 2) {
      set.put(more[i], more[i + 1]);
    }
    return TrainSettings.from(ArborConfig.load(null, set));
  }

  @Test
  void expandsTheGridIntoTheCartesianProductInAStableOrder() {
    // Keys written out of alphabetical order, nested and dotted: the expansion sorts the keys and
    // keeps each key's values in the order written (last key fastest).
    String written =
        "{ regularization { strength = [0.1, 0.01] }, optimizer.name = [adam, lbfgs],"
            + " loss = [hinge, logistic] }";
    List<Map<String, Object>> c = grid(written).candidates();
    assertThat(c).hasSize(8);
    assertThat(c)
        .extracting(
            m ->
                m.get("train.loss")
                    + "/"
                    + m.get("train.optimizer.name")
                    + "/"
                    + m.get("train.regularization.strength"))
        .containsExactly(
            "hinge/adam/0.1",
            "hinge/adam/0.01",
            "hinge/lbfgs/0.1",
            "hinge/lbfgs/0.01",
            "logistic/adam/0.1",
            "logistic/adam/0.01",
            "logistic/lbfgs/0.1",
            "logistic/lbfgs/0.01");
    assertThat(c.get(0))
        .containsOnlyKeys("train.loss", "train.optimizer.name", "train.regularization.strength");
    // The same grid written in another order gives the same candidates.
    assertThat(
            grid("{ loss = [hinge, logistic], optimizer { name = [adam, lbfgs] },"
                    + " regularization.strength = [0.1, 0.01] }")
                .candidates())
        .isEqualTo(c);
    // Every key of the brief's grid is accepted (types checked when a candidate is built).
    assertThat(
            grid("{ loss = [logistic], regularization.type = [l1, l2, elastic-net],"
                    + " regularization.strength = [0.01], optimizer.name = [sgd, adam],"
                    + " optimizer.learning-rate = [0.1, 0.01] }")
                .candidates())
        .hasSize(12);
    assertThat(TrainSettings.from(ArborConfig.defaults()).candidates()).isEmpty();
  }

  @Test
  void rejectsBadGridsNamingTheKey() {
    assertThatThrownBy(() -> grid("{ loss = [logistic], x = [1] }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown config key 'train.x'");
    assertThatThrownBy(() -> grid("{ cv-folds = [2, 3] }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid key 'train.cv-folds' in train.grid (expected a train.*");
    assertThatThrownBy(() -> grid("{ loss = hinge }"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.grid.loss': \"hinge\" (expected a non-empty list of"
                + " values for train.loss)");
    assertThatThrownBy(() -> grid("{ loss = [] }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid config value for 'train.grid.loss': []");
    assertThatThrownBy(() -> grid("{ regularization.strength = [0.1, 0.1] }"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.grid.regularization.strength': [0.1,0.1] (expected"
                + " distinct values, 0.1 is repeated)");
    assertThatThrownBy(
            () ->
                grid(
                    "{ loss = [logistic] }",
                    "train.candidates",
                    "[{\"train.regularization.strength\" = 0.1}]"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config: 'train.grid' and 'train.candidates' cannot both be set (expected one"
                + " of them, got 1 grid and 1 listed candidates)");
    assertThatThrownBy(
            () ->
                grid(
                    "{ regularization.strength = [0, 0.001, 0.01, 0.1, 1],"
                        + " optimizer.name = [sgd, adam] }",
                    "train.grid-max-candidates",
                    "9"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.grid': 10 candidates (optimizer.name 2 x"
                + " regularization.strength 5) (expected at most 9, the limit set by"
                + " 'train.grid-max-candidates')");
    assertThat(
            grid(
                    "{ regularization.strength = [0, 0.001, 0.01, 0.1, 1], optimizer.name = [sgd,"
                        + " adam] }",
                    "train.grid-max-candidates",
                    "10")
                .candidates())
        .hasSize(10);
  }
}

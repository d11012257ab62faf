package dev.arbor.train.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.train.data.ClassWeights;
import dev.arbor.train.data.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientSettingsTest {

  @Test
  void defaultsAreDeclaredInTheReferenceConfig() {
    GradientSettings s = GradientSettings.defaults();
    assertThat(s.loss()).isEqualTo("logistic");
    assertThat(s.fitIntercept()).isTrue();
    assertThat(s.classWeights()).isEqualTo("none");
    assertThat(s.blockSize()).isEqualTo(4096);
    assertThat(s.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(s.aggregationDepth()).isZero();
    assertThat(s.huberDelta()).isEqualTo(1.0);
  }

  @Test
  void overridesAreReadAndExplicitClassWeightsResolveByNameOrIndex() {
    GradientSettings s =
        GradientSettings.from(
            ArborConfig.load(
                null,
                Map.of(
                    "train.loss", "hinge",
                    "train.precision", "float64",
                    "train.class-weights", "explicit",
                    "train.class-weight-values.\">50K\"", "3",
                    "train.class-weight-values.\"0\"", "0.5")));
    assertThat(s.loss()).isEqualTo("hinge");
    assertThat(s.precision()).isEqualTo(Precision.FLOAT64);
    assertThat(s.classWeightValues()).containsEntry(">50K", 3.0).containsEntry("0", 0.5);
    ClassWeights cw = TrainingObjectives.classWeights(s, List.of("<=50K", ">50K"));
    assertThat(cw.multipliers(2, null)).containsExactly(0.5, 3.0);
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> settings(Map.of("train.loss", "probit")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.loss': probit (expected one of logistic, multinomial,"
                + " squared, hinge, huber)");
    assertThatThrownBy(() -> settings(Map.of("train.precision", "float16")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.precision': float16 (expected one of float32,"
                + " float64)");
    assertThatThrownBy(() -> settings(Map.of("train.block-size", "0")))
        .hasMessage(
            "Invalid config value for 'train.block-size': 0 (expected an integer in [1, 1048576])");
    assertThatThrownBy(() -> settings(Map.of("train.class-weights", "explicit")))
        .hasMessage(
            "Invalid config value for 'train.class-weight-values': {} (expected at least one class"
                + " when train.class-weights = explicit)");
    assertThatThrownBy(() -> settings(Map.of("train.class-weight-values.\"1\"", "2")))
        .hasMessage(
            "Invalid config value for 'train.class-weights': none (expected explicit when"
                + " train.class-weight-values is set)");
    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "train.class-weights", "explicit",
                        "train.class-weight-values.\"1\"", "-2")))
        .hasMessage(
            "Invalid config value for 'train.class-weight-values.1': -2 (expected a finite number"
                + " > 0)");
  }

  @Test
  void lossesAndClassWeightsMustFitTheTask() {
    GradientSettings squared = settings(Map.of("train.loss", "squared"));
    assertThatThrownBy(() -> TrainingObjectives.loss(squared, 3, 2))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.loss': squared (Cannot use the squared loss: it needs"
                + " a regression task (0 classes) but the task has: 2)");
    GradientSettings balanced = settings(Map.of("train.class-weights", "balanced"));
    assertThatThrownBy(() -> TrainingObjectives.classWeights(balanced, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.class-weights': balanced (expected none for a"
                + " regression task)");
    GradientSettings unknown =
        settings(Map.of("train.class-weights", "explicit", "train.class-weight-values.maybe", "2"));
    assertThatThrownBy(() -> TrainingObjectives.classWeights(unknown, List.of("no", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.class-weight-values.maybe': maybe (expected a class of"
                + " [no, yes] or a class index 0 to 1)");
  }

  private static GradientSettings settings(Map<String, String> overrides) {
    return GradientSettings.from(ArborConfig.load(null, overrides));
  }
}

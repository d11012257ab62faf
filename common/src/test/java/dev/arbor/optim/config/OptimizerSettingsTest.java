package dev.arbor.optim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.ExitCode;
import dev.arbor.config.ArborConfig;
import dev.arbor.optim.Decay;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.StoppingCriteria;
import dev.arbor.optim.gd.GradientDescent;
import dev.arbor.optim.lbfgs.Lbfgs;
import dev.arbor.optim.sgd.StochasticOptimizer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerSettingsTest {

  private static OptimizerSettings settings(String... keyValues) {
    Map<String, String> overrides = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      overrides.put(keyValues[i], keyValues[i + 1]);
    }
    return OptimizerSettings.from(ArborConfig.load(null, overrides));
  }

  private static void assertRejected(String message, String... keyValues) {
    assertThatThrownBy(() -> settings(keyValues))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((ConfigException) e).exitCode()).isEqualTo(ExitCode.CONFIG));
  }

  @Test
  void defaultsAreLbfgsWithTheDocumentedStoppingCriteria() {
    OptimizerSettings s = OptimizerSettings.from(ArborConfig.defaults());
    assertThat(s.name()).isEqualTo(OptimizerKind.LBFGS);
    assertThat(s.lineSearch()).isEqualTo(LineSearchKind.STRONG_WOLFE);
    assertThat(s.lbfgsHistory()).isEqualTo(10);
    assertThat(s.stopping()).isEqualTo(new StoppingCriteria(100, 1e-6, 0, Duration.ZERO));
    Optimizer o = Optimizers.create(s);
    assertThat(o).isInstanceOf(Lbfgs.class);
    assertThat(o.toString()).contains("history=10");
  }

  @Test
  void perOptimizerDefaultsFillNullKeys() {
    assertThat(settings("train.optimizer.name", "adam").learningRate()).isEqualTo(0.001);
    assertThat(settings("train.optimizer.name", "sgd").learningRate()).isEqualTo(0.01);
    assertThat(settings("train.optimizer.name", "sgd").lineSearch()).isEqualTo(LineSearchKind.NONE);
    OptimizerSettings gd = settings("train.optimizer.name", "gd");
    assertThat(gd.learningRate()).isEqualTo(1.0);
    assertThat(gd.lineSearch()).isEqualTo(LineSearchKind.BACKTRACKING);
  }

  @Test
  void everyOptimizerIsBuiltAndPrintsItsHyperparameters() {
    assertThat(Optimizers.create(settings("train.optimizer.name", "owlqn")).toString())
        .isEqualTo("Lbfgs(history=10, line-search=strong-wolfe, owl-qn when l1 > 0)");
    assertThat(
            Optimizers.create(
                    settings(
                        "train.optimizer.name", "gd",
                        "train.optimizer.line-search", "none",
                        "train.optimizer.learning-rate", "0.5",
                        "train.optimizer.decay.type", "exponential",
                        "train.optimizer.decay.rate", "0.01"))
                .toString())
        .isEqualTo("GradientDescent(learning-rate=0.5, decay=exponential(0.01), line-search=none)");
    assertThat(
            Optimizers.create(
                    settings(
                        "train.optimizer.name", "sgd",
                        "train.optimizer.momentum", "0.9",
                        "train.optimizer.nesterov", "true",
                        "train.optimizer.batch-size", "64"))
                .toString())
        .isEqualTo(
            "StochasticOptimizer(rule=Sgd(momentum=0.9, nesterov=true), learning-rate=0.01,"
                + " decay=none, batch-size=64, evaluate-full-objective=true)");
    assertThat(Optimizers.create(settings("train.optimizer.name", "adagrad")).toString())
        .contains("rule=AdaGrad(epsilon=1.0E-8)", "learning-rate=0.01", "batch-size=256");
    assertThat(
            Optimizers.create(
                    settings("train.optimizer.name", "rmsprop", "train.optimizer.rho", "0.95"))
                .toString())
        .contains("rule=RmsProp(rho=0.95, epsilon=1.0E-8)", "learning-rate=0.001");
    assertThat(Optimizers.create(settings("train.optimizer.name", "adam")).toString())
        .contains("rule=Adam(beta1=0.9, beta2=0.999, epsilon=1.0E-8)");
    Optimizer adamw =
        Optimizers.create(
            settings(
                "train.optimizer.name", "adamw",
                "train.optimizer.evaluate-full-loss", "false",
                "train.optimizer.decay.type", "inverse",
                "train.optimizer.decay.rate", "0.5"));
    assertThat(adamw).isInstanceOf(StochasticOptimizer.class);
    assertThat(adamw.name()).isEqualTo("adamw");
    assertThat(adamw.toString())
        .contains(
            "rule=AdamW(beta1=0.9, beta2=0.999, epsilon=1.0E-8, weight-decay=0.01)",
            "decay=inverse(0.5)",
            "evaluate-full-objective=false");
    assertThat(Optimizers.create(settings("train.optimizer.name", "gd")))
        .isInstanceOf(GradientDescent.class);
  }

  @Test
  void stoppingKeysBuildTheCriteria() {
    OptimizerSettings s =
        settings(
            "train.optimizer.max-iterations", "40",
            "train.optimizer.tolerance", "0",
            "train.optimizer.gradient-tolerance", "1e-5",
            "train.optimizer.max-seconds", "1.5");
    assertThat(s.stopping()).isEqualTo(new StoppingCriteria(40, 0, 1e-5, Duration.ofMillis(1500)));
    assertThat(s.decay()).isEqualTo(Decay.none());
  }

  @Test
  void outOfRangeValuesNameKeyValueAndExpectation() {
    assertRejected(
        "Invalid config value for 'train.optimizer.learning-rate': -0.1 (expected a finite number"
            + " > 0)",
        "train.optimizer.learning-rate",
        "-0.1");
    assertRejected(
        "Invalid config value for 'train.optimizer.name': newton (expected one of lbfgs, owlqn,"
            + " gd, sgd, adagrad, rmsprop, adam, adamw)",
        "train.optimizer.name",
        "newton");
    assertRejected(
        "Invalid config value for 'train.optimizer.momentum': 1.0 (expected a number in [0, 1))",
        "train.optimizer.momentum",
        "1");
    assertRejected(
        "Invalid config value for 'train.optimizer.nesterov': true (expected false when"
            + " train.optimizer.momentum = 0)",
        "train.optimizer.name",
        "sgd",
        "train.optimizer.nesterov",
        "true");
    assertRejected(
        "Invalid config value for 'train.optimizer.beta2': 1.0 (expected a number in [0, 1))",
        "train.optimizer.beta2",
        "1.0");
    assertRejected(
        "Invalid config value for 'train.optimizer.epsilon': 0.0 (expected a finite number > 0)",
        "train.optimizer.epsilon",
        "0");
    assertRejected(
        "Invalid config value for 'train.optimizer.batch-size': 0 (expected an integer >= 1)",
        "train.optimizer.batch-size",
        "0");
    assertRejected(
        "Invalid config value for 'train.optimizer.lbfgs-history': 0 (expected an integer >= 1)",
        "train.optimizer.lbfgs-history",
        "0");
    assertRejected(
        "Invalid config value for 'train.optimizer.max-iterations': 0 (expected an integer >= 1)",
        "train.optimizer.max-iterations",
        "0");
    assertRejected(
        "Invalid config value for 'train.optimizer.tolerance': -1.0 (expected a finite number >="
            + " 0)",
        "train.optimizer.tolerance",
        "-1");
    assertRejected(
        "Invalid config value for 'train.optimizer.max-seconds': -5.0 (expected a finite number"
            + " >= 0)",
        "train.optimizer.max-seconds",
        "-5");
    assertRejected(
        "Invalid config value for 'train.optimizer.decay.type': cosine (expected one of none,"
            + " inverse, exponential)",
        "train.optimizer.decay.type",
        "cosine");
    assertRejected(
        "Invalid config value for 'train.optimizer.line-search': backtracking (expected"
            + " strong-wolfe for lbfgs)",
        "train.optimizer.line-search",
        "backtracking");
    assertRejected(
        "Invalid config value for 'train.optimizer.line-search': strong-wolfe (expected one of"
            + " backtracking, none for gd)",
        "train.optimizer.name",
        "gd",
        "train.optimizer.line-search",
        "strong-wolfe");
    assertRejected(
        "Invalid config value for 'train.optimizer.line-search': backtracking (expected none for"
            + " adam)",
        "train.optimizer.name",
        "adam",
        "train.optimizer.line-search",
        "backtracking");
  }

  @Test
  void regularizationSection() {
    assertThat(RegularizationSettings.from(ArborConfig.defaults()).regularization())
        .isEqualTo(Regularization.none());
    RegularizationSettings en =
        RegularizationSettings.from(
            ArborConfig.load(
                null,
                Map.of(
                    "train.regularization.type", "elastic-net",
                    "train.regularization.strength", "0.1",
                    "train.regularization.elastic-net-mix", "0.3")));
    assertThat(en.regularization().excluding(7))
        .isEqualTo(Regularization.elasticNet(0.1, 0.3).excluding(7));
    RegularizationSettings l1 =
        RegularizationSettings.from(
            ArborConfig.load(
                null,
                Map.of("train.regularization.type", "l1", "train.regularization.strength", "2")));
    assertThat(l1.regularization().l1Strength()).isEqualTo(2);
    assertThat(l1.regularization().l2Strength()).isZero();
    assertThatThrownBy(
            () ->
                RegularizationSettings.from(
                    ArborConfig.load(null, Map.of("train.regularization.strength", "-1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.regularization.strength': -1.0 (expected a finite"
                + " number >= 0)");
    assertThatThrownBy(
            () ->
                RegularizationSettings.from(
                    ArborConfig.load(null, Map.of("train.regularization.elastic-net-mix", "1.5"))))
        .hasMessage(
            "Invalid config value for 'train.regularization.elastic-net-mix': 1.5 (expected a"
                + " number in [0, 1])");
    assertThatThrownBy(
            () ->
                RegularizationSettings.from(
                    ArborConfig.load(null, Map.of("train.regularization.type", "l3"))))
        .hasMessage(
            "Invalid config value for 'train.regularization.type': l3 (expected one of none, l1,"
                + " l2, elastic-net)");
  }
}

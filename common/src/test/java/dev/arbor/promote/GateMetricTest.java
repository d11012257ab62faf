package dev.arbor.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's comparison rule and its configuration. */
class GateMetricTest {
  @Test
  void passesUnlessWorseByMoreThanTheTolerance() {
    GateMetric auc = GateMetric.of("auto", Task.BINARY).orElseThrow();
    assertThat(auc).isEqualTo(new GateMetric("auc_roc", true));
    assertThat(auc.passes(0.80, 0.80, 0.0)).isTrue();
    assertThat(auc.passes(0.81, 0.80, 0.0)).isTrue();
    assertThat(auc.passes(0.795, 0.80, 0.01)).isTrue();
    assertThat(auc.passes(0.789, 0.80, 0.01)).isFalse();
    assertThat(auc.passes(Double.NaN, 0.80, 1.0)).isFalse();
    assertThat(auc.drop(0.75, 0.80)).isEqualTo(0.80 - 0.75);

    GateMetric rmse = GateMetric.of("auto", Task.REGRESSION).orElseThrow();
    assertThat(rmse).isEqualTo(new GateMetric("rmse", false));
    assertThat(rmse.passes(2.0, 2.0, 0.0)).isTrue();
    assertThat(rmse.passes(1.5, 2.0, 0.0)).isTrue();
    assertThat(rmse.passes(2.05, 2.0, 0.1)).isTrue();
    assertThat(rmse.passes(2.2, 2.0, 0.1)).isFalse();
    assertThat(GateMetric.of("auto", Task.MULTICLASS)).contains(new GateMetric("log_loss", false));
    assertThat(GateMetric.of("rmse", Task.BINARY)).isEmpty();
  }

  @Test
  void settingsRejectAMetricOfAnotherTaskAndANegativeTolerance() {
    PromoteSettings s = PromoteSettings.from(ArborConfig.defaults());
    assertThat(s.enabled()).isTrue();
    assertThat(s.metric()).isEqualTo(new GateMetric("auc_roc", true));
    assertThat(s.tolerance()).isEqualTo(0.01);
    assertThat(s.onReject()).isEqualTo(OnReject.FAIL);
    assertThat(s.requireDataChecks()).isTrue();
    assertThat(s.maxRejectedFraction()).isEqualTo(0.05);

    assertThatThrownBy(
            () -> PromoteSettings.from(ArborConfig.load(null, Map.of("promote.metric", "rmse"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'promote.metric': rmse")
        .hasMessageContaining(
            "one of auto, auc_roc, auc_pr, log_loss, brier, accuracy, f1, precision, recall for"
                + " task binary");
    assertThatThrownBy(
            () -> PromoteSettings.from(ArborConfig.load(null, Map.of("promote.tolerance", "-0.1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'promote.tolerance': -0.1")
        .hasMessageContaining("a finite number >= 0");
    assertThatThrownBy(
            () ->
                PromoteSettings.from(ArborConfig.load(null, Map.of("promote.on-reject", "ignore"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'promote.on-reject': ignore")
        .hasMessageContaining("one of fail, warn");
  }
}

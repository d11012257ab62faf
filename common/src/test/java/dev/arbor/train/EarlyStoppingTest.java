package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  @Test
  void stopsAfterPatienceEvaluationsWithoutImprovementAndKeepsTheBest() {
    EarlyStopping es =
        new EarlyStopping(ValidationMetric.LOG_LOSS, 2, EarlyStopping.State.initial());
    assertThat(es.update(1, 0.9, new double[] {1})).isFalse();
    assertThat(es.update(2, 0.5, new double[] {2})).isFalse();
    assertThat(es.update(3, 0.5, new double[] {3})).isFalse(); // equal is not better
    assertThat(es.update(4, 0.7, new double[] {4})).isTrue();
    assertThat(es.bestWeights()).containsExactly(2);
    assertThat(es.state().bestIteration()).isEqualTo(2);
    // Resuming from the state continues identically.
    EarlyStopping resumed = new EarlyStopping(ValidationMetric.LOG_LOSS, 3, es.state());
    assertThat(resumed.update(5, 0.4, new double[] {5})).isFalse();
    assertThat(resumed.bestWeights()).containsExactly(5);
  }

  @Test
  void higherIsBetterForAuc() {
    EarlyStopping es = new EarlyStopping(ValidationMetric.AUC, 1, EarlyStopping.State.initial());
    es.update(1, 0.8, new double[] {1});
    assertThat(es.update(2, 0.9, new double[] {2})).isFalse();
    assertThat(es.update(3, Double.NaN, new double[] {3})).isTrue();
    assertThat(es.bestWeights()).containsExactly(2);
  }
}

package dev.arbor.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.catalog.CoefficientRow;
import dev.arbor.catalog.HistoryRow;
import dev.arbor.ingest.Task;
import dev.arbor.model.CandidateResult;
import dev.arbor.model.LinearModel;
import dev.arbor.model.TrainingStep;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a model becomes history and coefficient rows, and the deterministic run id. */
class RunArtifactsTest {
  private static LinearModel.Builder binary() {
    return LinearModel.builder("m", LocalDate.parse("2025-01-01"), Task.BINARY, "logistic")
        .classes(List.of("no", "yes"))
        .weights(List.of("a", "b"), new double[][] {{2.0, -1.0}}, new double[] {0.5}, true)
        .scaling(new double[] {10.0, 0.0}, new double[] {4.0, 1.0});
  }

  @Test
  void coefficientsInOriginalUnitsAndAsTrainedWithTheInterceptFirst() {
    List<CoefficientRow> rows = RunArtifacts.coefficients(binary().build());

    // w_raw = w / scale; b_raw = b - sum(w * center / scale) = 0.5 - 2 * 10 / 4 = -4.5
    assertThat(rows)
        .containsExactly(
            new CoefficientRow(null, "(intercept)", -4.5, 0.5),
            new CoefficientRow(null, "a", 0.5, 2.0),
            new CoefficientRow(null, "b", -1.0, -1.0));
  }

  @Test
  void multiclassCoefficientsNameTheirClass() {
    LinearModel m =
        LinearModel.builder("m", LocalDate.parse("2025-01-01"), Task.MULTICLASS, "multinomial")
            .classes(List.of("x", "y", "z"))
            .weights(List.of("a"), new double[][] {{1}, {2}, {3}}, new double[3], false)
            .build();

    assertThat(RunArtifacts.coefficients(m))
        .extracting(CoefficientRow::className, CoefficientRow::feature)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("x", "a"),
            org.assertj.core.groups.Tuple.tuple("y", "a"),
            org.assertj.core.groups.Tuple.tuple("z", "a"));
  }

  @Test
  void historyHasEveryIterationAndOneRowPerCandidateWhenThereWereSeveral() {
    LinearModel m =
        binary()
            .training(
                "lbfgs",
                "converged",
                0.3,
                List.of(
                    new TrainingStep(1, 0.6, Double.NaN, 1.0, 1.0, 10),
                    new TrainingStep(2, 0.3, 0.81, 0.1, 1.0, 20)))
            .candidates(
                List.of(
                    new CandidateResult(
                        0,
                        Map.of("train.regularization.strength", "0.1"),
                        "auc",
                        0.80,
                        List.of(),
                        0.4,
                        7,
                        false),
                    new CandidateResult(
                        1,
                        Map.of("train.regularization.strength", "0.01"),
                        "auc",
                        0.81,
                        List.of(),
                        0.3,
                        2,
                        true)))
            .build();

    List<HistoryRow> rows = RunArtifacts.history(m);

    assertThat(rows)
        .containsExactly(
            new HistoryRow("final", 1, 0.6, null, 1.0, 1.0, 10),
            new HistoryRow("final", 2, 0.3, 0.81, 0.1, 1.0, 20),
            new HistoryRow(
                "candidate-0 train.regularization.strength=0.1", 7, 0.4, 0.80, null, null, 0),
            new HistoryRow(
                "candidate-1* train.regularization.strength=0.01", 2, 0.3, 0.81, null, null, 0));
    assertThat(RunArtifacts.history(binary().candidates(List.of(m.candidates().get(1))).build()))
        .isEmpty();
  }

  @Test
  void runIdsAreDeterministicAndChangeWithConfigAndData() {
    LocalDate d = LocalDate.of(2025, 1, 1);
    String id = RunIds.of("m", d, "{}", "sha256:1");

    assertThat(id).matches("r-[0-9a-f]{16}").isEqualTo(RunIds.of("m", d, "{}", "sha256:1"));
    assertThat(RunIds.of("m", d, "{\"a\":1}", "sha256:1")).isNotEqualTo(id);
    assertThat(RunIds.of("m", d, "{}", "sha256:2")).isNotEqualTo(id);
    assertThat(RunIds.of("m", d.plusDays(1), "{}", "sha256:1")).isNotEqualTo(id);
    assertThat(RunIds.of("n", d, "{}", "sha256:1")).isNotEqualTo(id);
  }
}

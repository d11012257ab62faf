package dev.arbor.train.pass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.loss.LossFixtures;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.SquaredLoss;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.train.data.LabeledRow;
import dev.arbor.train.data.Precision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalObjectiveTest {

  /**
   * Rows whose batch membership can be read off the gradient: row {@code i} is the unit vector
   * {@code eᵢ} with label 1, so at {@code w = 0} the squared-loss gradient is {@code −1/|B|} at the
   * rows of batch {@code B} and 0 elsewhere.
   */
  static List<LabeledRow> unitRows(int n) {
    List<LabeledRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[n];
      x[i] = 1;
      rows.add(new LabeledRow(x, 1, 1));
    }
    return rows;
  }

  /** Which rows (by feature index) a batch gradient at w = 0 says were used. */
  static List<Integer> rowsOf(double[] gradient) {
    List<Integer> used = new ArrayList<>();
    for (int j = 0; j < gradient.length; j++) {
      if (gradient[j] != 0) {
        used.add(j);
      }
    }
    return used;
  }

  @Test
  void theBatchesOfAnEpochUseEveryRowExactlyOnce() {
    int n = 53;
    List<LabeledRow> rows = unitRows(n);
    List<List<LabeledRow>> parts =
        List.of(rows.subList(0, 20), rows.subList(20, 21), rows.subList(21, n));
    LossFunction f = new SquaredLoss(n, false);
    LocalObjective obj = LocalObjective.ofPartitions(f, parts, Precision.FLOAT32, 1, 99);
    for (long epoch = 0; epoch < 3; epoch++) {
      int[] uses = new int[n];
      int steps = 6;
      for (int s = 0; s < steps; s++) {
        double[] g = new double[n];
        double value = obj.batchValueAndGradient(new double[n], g, new MiniBatch(epoch, s, steps));
        List<Integer> used = rowsOf(g);
        assertThat(value).isEqualTo(0.5);
        assertThat(obj.aggregateBatch(new double[n], new MiniBatch(epoch, s, steps)).rowCount())
            .isEqualTo(used.size());
        // about n/steps rows per batch: each partition contributes ⌊(s+1)·n_p/S⌋ − ⌊s·n_p/S⌋
        assertThat(used.size()).isBetween(n / steps - 3, n / steps + 3);
        for (int j : used) {
          uses[j]++;
          assertThat(g[j]).isEqualTo(-1.0 / used.size());
        }
      }
      assertThat(uses).as("epoch %d", epoch).containsOnly(1);
    }
  }

  @Test
  void batchesAreDeterministicAndChangeWithTheEpoch() {
    int n = 40;
    LossFunction f = new SquaredLoss(n, false);
    LocalObjective a = LocalObjective.of(f, unitRows(n), Precision.FLOAT64, 5);
    LocalObjective b = LocalObjective.of(f, unitRows(n), Precision.FLOAT64, 5);
    LocalObjective otherSeed = LocalObjective.of(f, unitRows(n), Precision.FLOAT64, 6);
    assertThat(batchRows(a, 0, 1)).isEqualTo(batchRows(b, 0, 1));
    assertThat(batchRows(a, 0, 1)).isNotEqualTo(batchRows(a, 1, 1));
    assertThat(batchRows(a, 0, 1)).isNotEqualTo(batchRows(otherSeed, 0, 1));
  }

  @Test
  void fullObjectiveEqualsTheMeanOverAllRows() {
    List<LabeledRow> rows = LossFixtures.rows(3, 500, 4, 0, true);
    LossFunction f = new SquaredLoss(4, true);
    double[] w = LossFixtures.point(4, 5, 1);
    LocalObjective obj = LocalObjective.of(f, rows, Precision.FLOAT64, 1);
    double[] g = new double[5];
    assertThat(obj.valueAndGradient(w, g)).isEqualTo(LossFixtures.fold(f, w, rows).loss());
    assertThat(obj.numExamples()).isEqualTo(500);
  }

  private static List<Integer> batchRows(LocalObjective obj, long epoch, int step) {
    double[] g = new double[obj.dimension()];
    obj.batchValueAndGradient(new double[obj.dimension()], g, new MiniBatch(epoch, step, 4));
    return rowsOf(g);
  }
}

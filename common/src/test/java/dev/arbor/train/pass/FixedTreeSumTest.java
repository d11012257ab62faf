package dev.arbor.train.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.LossFixtures;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.SquaredLoss;
import dev.arbor.train.data.LabeledRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedTreeSumTest {
  private static final LossFunction LOSS = new SquaredLoss(3, true);
  private static final double[] W = {0.1, -0.2, 0.3, 0.05};

  @Test
  void levelSizesMirrorSparkTreeAggregate() {
    // Spark 4.0 RDD.treeAggregate: scale = max(ceil(n^(1/depth)), 2); while n > scale +
    // ceil(n/scale) { n /= scale }
    assertThat(FixedTreeSum.levelSizes(1, 2)).containsExactly(1);
    assertThat(FixedTreeSum.levelSizes(8, 1)).containsExactly(8);
    assertThat(FixedTreeSum.levelSizes(16, 2)).containsExactly(16, 4);
    assertThat(FixedTreeSum.levelSizes(100, 2)).containsExactly(100, 10);
    assertThat(FixedTreeSum.levelSizes(1000, 3)).containsExactly(1000, 100, 10);
    assertThat(FixedTreeSum.levelSizes(24, 2)).containsExactly(24, 4);
  }

  @Test
  void resultIsBitIdenticalWhateverTheArrivalOrderAndGrouping() {
    int n = 37;
    for (int depth = 1; depth <= 3; depth++) {
      int[] sizes = FixedTreeSum.levelSizes(n, depth);
      LossAggregator reference = sumInOrder(sizes, partials(n), identity(n));
      Random rnd = new Random(depth);
      for (int trial = 0; trial < 20; trial++) {
        List<Integer> order = identity(n);
        Collections.shuffle(order, rnd);
        // also split the arrivals over random sub-sums merged in random order, as Spark's
        // reducers and the driver's fold do
        int groups = 1 + rnd.nextInt(6);
        List<FixedTreeSum<LossAggregator>> subs = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
          subs.add(FixedTreeSum.ofLosses(sizes));
        }
        List<LossAggregator> parts = partials(n);
        for (int p : order) {
          subs.get(rnd.nextInt(groups)).add(p, parts.get(p));
        }
        Collections.shuffle(subs, rnd);
        FixedTreeSum<LossAggregator> total = FixedTreeSum.ofLosses(sizes);
        for (FixedTreeSum<LossAggregator> s : subs) {
          total.merge(s);
        }
        LossAggregator r = total.result();
        assertThat(r.lossSum()).isEqualTo(reference.lossSum());
        assertThat(r.weightSum()).isEqualTo(reference.weightSum());
        assertThat(r.gradientSum()).containsExactly(reference.gradientSum());
      }
    }
  }

  @Test
  void theDataIsOrderSensitiveSoTheTestAboveHasPower() {
    // A plain sum of the same partials in two orders differs in the last bits: exactly the
    // nondeterminism FixedTreeSum removes.
    List<LossAggregator> forward = partials(37);
    List<LossAggregator> backward = partials(37);
    LossAggregator a = forward.get(0);
    for (int p = 1; p < 37; p++) {
      a.merge(forward.get(p));
    }
    LossAggregator b = backward.get(36);
    for (int p = 35; p >= 0; p--) {
      b.merge(backward.get(p));
    }
    assertThat(a.lossSum()).isNotEqualTo(b.lossSum());
  }

  @Test
  void missingOrDuplicatePartialsAreReported() {
    int[] sizes = FixedTreeSum.levelSizes(3, 1);
    FixedTreeSum<LossAggregator> s = FixedTreeSum.ofLosses(sizes);
    List<LossAggregator> parts = partials(3);
    s.add(0, parts.get(0));
    assertThatThrownBy(s::result)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Cannot finish the aggregation: expected 3 top-level partial sums but have 1");
    assertThatThrownBy(() -> s.add(0, parts.get(1)))
        .hasMessage("Cannot add a partial sum twice: level 0 index 0");
  }

  /** Partition p's rows have magnitudes 10^(2·(p mod 8)): order-sensitive sums. */
  static List<LossAggregator> partials(int n) {
    List<LossAggregator> out = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      double scale = Math.pow(10, 2 * (p % 8));
      List<LabeledRow> rows = new ArrayList<>();
      for (LabeledRow r : LossFixtures.rows(p, 5, 3, 0, true)) {
        double[] x = r.features().clone();
        for (int j = 0; j < x.length; j++) {
          x[j] *= scale;
        }
        rows.add(new LabeledRow(x, r.label() * scale, r.weight()));
      }
      out.add(LossFixtures.fold(LOSS, W, rows));
    }
    return out;
  }

  private static LossAggregator sumInOrder(
      int[] sizes, List<LossAggregator> parts, List<Integer> order) {
    FixedTreeSum<LossAggregator> s = FixedTreeSum.ofLosses(sizes);
    for (int p : order) {
      s.add(p, parts.get(p));
    }
    return s.result();
  }

  private static List<Integer> identity(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}

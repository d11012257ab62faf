package dev.arbor.loss;

import static dev.arbor.loss.LossFixtures.fold;
import static dev.arbor.loss.LossFixtures.loss;
import static dev.arbor.loss.LossFixtures.maxRelDiff;
import static dev.arbor.loss.LossFixtures.point;
import static dev.arbor.loss.LossFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.loss.functions.Losses;
import dev.arbor.train.data.BlockBuilder;
import dev.arbor.train.data.LabeledRow;
import dev.arbor.train.data.Precision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LossAggregatorTest {

  static List<String> losses() {
    return Losses.NAMES;
  }

  @ParameterizedTest
  @MethodSource("losses")
  void mergingAnEmptyAggregatorChangesNothingBitForBit(String name) {
    LossFunction f = loss(name, 4, true);
    double[] w = point(1, f.layout().dimension(), 0.5);
    LossAggregator agg = fold(f, w, rows(2, 50, 4, LossFixtures.classesFor(name), true));
    double loss = agg.lossSum();
    double weight = agg.weightSum();
    double[] grad = agg.gradientSum();

    agg.merge(f.newAggregator(w));
    LossAggregator empty = f.newAggregator(w).merge(agg);

    assertThat(agg.lossSum()).isEqualTo(loss);
    assertThat(agg.weightSum()).isEqualTo(weight);
    assertThat(agg.gradientSum()).containsExactly(grad);
    assertThat(empty.lossSum()).isEqualTo(loss);
    assertThat(empty.gradientSum()).containsExactly(grad);
  }

  @ParameterizedTest
  @MethodSource("losses")
  void mergeIsTheWeightedSumOfTheParts(String name) {
    LossFunction f = loss(name, 5, true);
    double[] w = point(3, f.layout().dimension(), 0.4);
    int k = LossFixtures.classesFor(name);
    List<LabeledRow> a = rows(4, 40, 5, k, true);
    List<LabeledRow> b = rows(5, 90, 5, k, true);
    List<LabeledRow> all = new ArrayList<>(a);
    all.addAll(b);

    LossAggregator partA = fold(f, w, a);
    LossAggregator partB = fold(f, w, b);
    double meanA = partA.loss();
    double meanB = partB.loss();
    LossAggregator merged = partA.merge(partB);
    LossAggregator whole = fold(f, w, all);

    assertThat(merged.weightSum()).isCloseTo(whole.weightSum(), within(1e-12));
    assertThat(merged.rowCount()).isEqualTo(130);
    // the mean of the union is the weight-weighted average of the parts' means
    double wa = fold(f, w, a).weightSum();
    double wb = fold(f, w, b).weightSum();
    assertThat(merged.loss()).isCloseTo((wa * meanA + wb * meanB) / (wa + wb), within(1e-12));
    assertThat(merged.loss()).isCloseTo(whole.loss(), within(1e-12));
    double[] gm = new double[w.length];
    double[] gw = new double[w.length];
    merged.gradient(gm);
    whole.gradient(gw);
    assertThat(maxRelDiff(gm, gw)).isLessThan(1e-12);
  }

  @ParameterizedTest
  @MethodSource("losses")
  void weightTwoEqualsADuplicatedRow(String name) {
    LossFunction f = loss(name, 3, true);
    double[] w = point(6, f.layout().dimension(), 0.6);
    List<LabeledRow> base = rows(7, 60, 3, LossFixtures.classesFor(name), false);
    List<LabeledRow> weighted = new ArrayList<>();
    List<LabeledRow> duplicated = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      LabeledRow r = base.get(i);
      boolean twice = i % 3 == 0;
      weighted.add(new LabeledRow(r.features(), r.label(), twice ? 2.0 : 1.0));
      duplicated.add(r);
      if (twice) {
        duplicated.add(r);
      }
    }
    LossAggregator byWeight = fold(f, w, weighted);
    LossAggregator byCopy = fold(f, w, duplicated);
    assertThat(byWeight.weightSum()).isEqualTo(byCopy.weightSum());
    assertThat(byWeight.loss()).isCloseTo(byCopy.loss(), within(1e-13));
    double[] g1 = new double[w.length];
    double[] g2 = new double[w.length];
    byWeight.gradient(g1);
    byCopy.gradient(g2);
    assertThat(maxRelDiff(g1, g2)).isLessThan(1e-13);
  }

  @Test
  void blockBoundariesDoNotChangeTheResultBitForBit() {
    LossFunction f = loss("multinomial", 6, true);
    double[] w = point(8, f.layout().dimension(), 0.3);
    List<LabeledRow> data = rows(9, 301, 6, 3, true);
    LossAggregator small = f.newAggregator(w);
    for (Block b : BlockBuilder.blocksOf(data, 6, 1, Precision.FLOAT32)) {
      small.add(b);
    }
    LossAggregator large = f.newAggregator(w);
    for (Block b : BlockBuilder.blocksOf(data, 6, 4096, Precision.FLOAT32)) {
      large.add(b);
    }
    assertThat(small.lossSum()).isEqualTo(large.lossSum());
    assertThat(small.gradientSum()).containsExactly(large.gradientSum());
  }

  @Test
  void zeroWeightRowsContributeNothing() {
    LossFunction f = loss("logistic", 2, true);
    double[] w = {0.3, -0.2, 0.1};
    List<LabeledRow> data = new ArrayList<>(rows(10, 20, 2, 2, true));
    LossAggregator without = fold(f, w, data);
    data.add(new LabeledRow(new double[] {1e300, -1e300}, 1, 0.0));
    LossAggregator with = fold(f, w, data);
    assertThat(with.lossSum()).isEqualTo(without.lossSum());
    assertThat(with.rowCount()).isEqualTo(20);
  }

  @Test
  void mergingDifferentLayoutsOrLossesIsRejected() {
    LossFunction a = loss("logistic", 2, true);
    LossFunction b = loss("logistic", 3, true);
    LossFunction c = loss("hinge", 2, true);
    assertThatThrownBy(() -> a.newAggregator(new double[3]).merge(b.newAggregator(new double[4])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot merge loss aggregators");
    assertThatThrownBy(() -> a.newAggregator(new double[3]).merge(c.newAggregator(new double[3])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot merge loss aggregators: Aggregator");
  }

  @Test
  void wrongWeightCountAndEmptyMeanAreRejected() {
    LossFunction f = loss("squared", 2, true);
    assertThatThrownBy(() -> f.newAggregator(new double[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 3 weights")
        .hasMessageContaining("but got: 2");
    assertThatThrownBy(() -> f.newAggregator(new double[3]).loss())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot compute the mean loss: the total instance weight is not positive: 0.0");
  }

  @Test
  void layoutPlacesInterceptsAfterAllCoefficients() {
    WeightLayout l = WeightLayout.withIntercept(4, 3);
    assertThat(l.dimension()).isEqualTo(15);
    assertThat(l.coefficientIndex(2, 1)).isEqualTo(9);
    assertThat(l.interceptIndices()).containsExactly(12, 13, 14);
    assertThat(l.isIntercept(11)).isFalse();
    assertThat(l.isIntercept(12)).isTrue();
    WeightLayout none = WeightLayout.withoutIntercept(4, 1);
    assertThat(none.dimension()).isEqualTo(4);
    assertThat(none.interceptIndices()).isEmpty();
    assertThatThrownBy(() -> none.interceptIndex(0))
        .hasMessage("Cannot locate the intercept: the layout has none");
  }
}

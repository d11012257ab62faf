package dev.arbor.loss.functions;

import static dev.arbor.loss.LossFixtures.classesFor;
import static dev.arbor.loss.LossFixtures.gradient;
import static dev.arbor.loss.LossFixtures.loss;
import static dev.arbor.loss.LossFixtures.point;
import static dev.arbor.loss.LossFixtures.rows;
import static dev.arbor.loss.LossFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.LossFixtures;
import dev.arbor.loss.LossFunction;
import dev.arbor.train.data.LabeledRow;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LossFunctionsTest {

  static Stream<Arguments> lossesWeightsIntercepts() {
    List<Arguments> out = new ArrayList<>();
    for (String name : Losses.NAMES) {
      for (boolean weighted : new boolean[] {false, true}) {
        for (boolean intercept : new boolean[] {false, true}) {
          out.add(Arguments.of(name, weighted, intercept));
        }
      }
    }
    return out.stream();
  }

  /**
   * Central differences {@code (f(w+h·eᵢ) − f(w−h·eᵢ)) / 2h} at 3 random points; truncation error
   * is O(h²·f''') ≈ 1e-10 and rounding O(ε·f/h) ≈ 1e-11, so 1e-7 leaves a wide margin while a wrong
   * sign, factor or index fails by orders of magnitude.
   */
  @ParameterizedTest(name = "{0} weighted={1} intercept={2}")
  @MethodSource("lossesWeightsIntercepts")
  void gradientMatchesFiniteDifferences(String name, boolean weighted, boolean intercept) {
    int d = 4;
    LossFunction f = loss(name, d, intercept);
    List<LabeledRow> data = rows(name.hashCode(), 40, d, classesFor(name), weighted);
    for (int trial = 0; trial < 3; trial++) {
      double[] w = point(100 + trial, f.layout().dimension(), 0.5);
      double[] analytic = gradient(f, w, data);
      for (int i = 0; i < w.length; i++) {
        double h = 1e-5 * Math.max(1, Math.abs(w[i]));
        double[] plus = w.clone();
        double[] minus = w.clone();
        plus[i] += h;
        minus[i] -= h;
        double numeric = (value(f, plus, data) - value(f, minus, data)) / (2 * h);
        assertThat(analytic[i])
            .as("%s d/dw[%d] at point %d", name, i, trial)
            .isCloseTo(numeric, within(1e-7 * Math.max(1, Math.abs(numeric))));
      }
    }
  }

  // Logistic and multinomial expected values were computed independently with Python 3's math
  // module from the textbook formulas, tolerance 1e-15 absolute:
  //   logistic:    l = log1p(exp(m)) - y*m,  dl/dm = 1/(1+exp(-m)) - y
  //   multinomial: l = log(sum_k exp(m_k)) - m_y,  dl/dm_k = exp(m_k)/sum - [k == y]
  //   mean = sum(w*l)/sum(w); gradient = sum(w * dl/dm * x)/sum(w) (intercepts: x = 1)
  // The squared, hinge and Huber cases are small enough to check by hand (comments).

  @Test
  void logisticByHand() {
    LossFunction f = new LogisticLoss(2, true);
    double[] w = {0.5, -1.0, 0.25};
    List<LabeledRow> data =
        List.of(
            new LabeledRow(new double[] {1, 2}, 1, 1),
            new LabeledRow(new double[] {-1, 0.5}, 0, 2),
            new LabeledRow(new double[] {3, 1}, 1, 1));
    assertThat(value(f, w, data)).isCloseTo(0.6656355249225182, within(1e-15));
    assertThat(gradient(f, w, data))
        .containsExactly(
            new double[] {-0.5953515913244316, -0.3886499305873456, -0.11411964008752104},
            within(1e-15));
  }

  @Test
  void multinomialByHand() {
    LossFunction f = new MultinomialLoss(2, 3, true);
    // class 0: (1, 0), class 1: (0, 1), class 2: (-1, -1); intercepts (0, 0.5, -0.5)
    double[] w = {1, 0, 0, 1, -1, -1, 0, 0.5, -0.5};
    List<LabeledRow> data =
        List.of(
            new LabeledRow(new double[] {1, 2}, 2, 1),
            new LabeledRow(new double[] {0.5, -1}, 0, 2));
    assertThat(value(f, w, data)).isCloseTo(2.521325711022315, within(1e-15));
    assertThat(gradient(f, w, data))
        .containsExactly(
            new double[] {
              -0.10382101151031808,
              0.45038412223849167,
              0.33408156098584446,
              0.4197314910038921,
              -0.23026054947552632,
              -0.8701156132423838,
              -0.26832754782510004,
              0.39618946872779365,
              -0.12786192090269352
            },
            within(1e-15));
  }

  @Test
  void squaredByHand() {
    LossFunction f = new SquaredLoss(1, true);
    double[] w = {2, 1};
    // residuals 1, -1 (weight 3), -2: losses 0.5, 0.5, 2 -> (0.5 + 1.5 + 2) / 5
    List<LabeledRow> data =
        List.of(
            new LabeledRow(new double[] {1}, 2, 1),
            new LabeledRow(new double[] {-1}, 0, 3),
            new LabeledRow(new double[] {2}, 7, 1));
    assertThat(value(f, w, data)).isEqualTo(0.8);
    // slope: (1·1 + 3·(−1)·(−1) + (−2)·2) / 5 = 0; intercept: (1 − 3 − 2) / 5
    assertThat(gradient(f, w, data)).containsExactly(0.0, -0.8);
  }

  @Test
  void hingeByHandIncludingTheKink() {
    LossFunction f = new HingeLoss(1, true);
    double[] w = {1, 0};
    // y=1, m=2: beyond the margin; y=1, m=0.5: slack 0.5; y=0 (s=-1), m=0.5, weight 2: slack 1.5
    List<LabeledRow> data =
        List.of(
            new LabeledRow(new double[] {2}, 1, 1),
            new LabeledRow(new double[] {0.5}, 1, 1),
            new LabeledRow(new double[] {0.5}, 0, 2));
    assertThat(value(f, w, data)).isEqualTo(0.875);
    assertThat(gradient(f, w, data)).containsExactly(0.125, 0.25);
    // exactly on the margin (s·m = 1): loss 0 and the documented subgradient 0
    List<LabeledRow> kink = List.of(new LabeledRow(new double[] {1}, 1, 1));
    assertThat(value(f, w, kink)).isEqualTo(0.0);
    assertThat(gradient(f, w, kink)).containsExactly(0.0, 0.0);
  }

  @Test
  void huberByHand() {
    LossFunction f = new HuberLoss(1, false, 1.0);
    double[] w = {1};
    // residuals 0.5 (quadratic: 0.125), -3 (linear: 3 - 0.5), 2 (linear: 2 - 0.5)
    List<LabeledRow> data =
        List.of(
            new LabeledRow(new double[] {1.5}, 1, 1),
            new LabeledRow(new double[] {-1}, 2, 1),
            new LabeledRow(new double[] {4}, 2, 1));
    assertThat(value(f, w, data)).isCloseTo(4.125 / 3, within(1e-15));
    // derivatives 0.5, -1, 1 times x = 1.5, -1, 4
    assertThat(gradient(f, w, data)).containsExactly(new double[] {5.75 / 3}, within(1e-15));
  }

  @Test
  void hugeMarginsStayFinite() {
    for (String name : Losses.NAMES) {
      LossFunction f = loss(name, 1, true);
      int k = classesFor(name);
      for (double m : new double[] {1000, -1000, 1e6, -1e6}) {
        double[] w = new double[f.layout().dimension()];
        w[0] = m; // class 0 / the only output gets margin m for x = 1
        List<LabeledRow> data = new ArrayList<>();
        for (int y = 0; y < Math.max(k, 2); y++) {
          data.add(new LabeledRow(new double[] {1}, k == 0 ? y * 5 : y, 1));
        }
        LossAggregator agg = LossFixtures.fold(f, w, data);
        double[] g = new double[w.length];
        agg.gradient(g);
        assertThat(agg.loss()).as("%s at margin %s", name, m).isFinite();
        for (double gi : g) {
          assertThat(gi).as("%s gradient at margin %s", name, m).isFinite();
        }
      }
    }
  }

  @Test
  void logisticAtHugeMarginsIsExact() {
    assertThat(LogisticLoss.log1pExp(1000)).isEqualTo(1000.0);
    assertThat(LogisticLoss.log1pExp(-1000)).isEqualTo(0.0);
    assertThat(LogisticLoss.log1pExp(0)).isEqualTo(Math.log(2));
    assertThat(LogisticLoss.sigmoid(-1000)).isEqualTo(0.0);
    assertThat(LogisticLoss.sigmoid(1000)).isEqualTo(1.0);
    // a confidently wrong prediction costs its margin, not Infinity
    LossFunction f = new LogisticLoss(1, false);
    assertThat(value(f, new double[] {1000}, List.of(new LabeledRow(new double[] {1}, 0, 1))))
        .isEqualTo(1000.0);
    assertThat(value(f, new double[] {-1000}, List.of(new LabeledRow(new double[] {1}, 1, 1))))
        .isEqualTo(1000.0);
  }

  @Test
  void multinomialAtHugeMarginsCostsTheMarginGap() {
    LossFunction f = new MultinomialLoss(1, 3, false);
    double[] w = {1000, 0, -1000};
    // label 2 against a margin 2000 higher for class 0: loss ≈ 2000
    assertThat(value(f, w, List.of(new LabeledRow(new double[] {1}, 2, 1))))
        .isCloseTo(2000.0, within(1e-9));
    assertThat(value(f, w, List.of(new LabeledRow(new double[] {1}, 0, 1)))).isEqualTo(0.0);
  }

  @Test
  void lossesRejectTasksTheyDoNotFit() {
    assertThatThrownBy(() -> Losses.create("squared", 2, 2, true, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot use the squared loss: it needs a regression task (0 classes) but the task has:"
                + " 2");
    assertThatThrownBy(() -> Losses.create("logistic", 2, 3, true, 1))
        .hasMessage("Cannot use the logistic loss: it needs 2 classes but the task has: 3");
    assertThatThrownBy(() -> Losses.create("probit", 2, 2, true, 1))
        .hasMessage(
            "Invalid loss: probit (expected one of logistic, multinomial, squared, hinge, huber)");
    assertThatThrownBy(() -> new HuberLoss(2, true, 0))
        .hasMessage("Invalid Huber delta: 0.0 (expected a finite number > 0)");
    assertThat(Losses.create("MULTINOMIAL", 2, 2, true, 1).layout().numOutputs()).isEqualTo(2);
  }

  @Test
  void labelRulesFollowTheTask() {
    assertThat(new LogisticLoss(1, true).acceptsLabel(1.0)).isTrue();
    assertThat(new LogisticLoss(1, true).acceptsLabel(-1.0)).isFalse();
    assertThat(new MultinomialLoss(1, 3, true).acceptsLabel(2.0)).isTrue();
    assertThat(new MultinomialLoss(1, 3, true).acceptsLabel(1.5)).isFalse();
    assertThat(new SquaredLoss(1, true).acceptsLabel(-3.25)).isTrue();
    assertThat(new SquaredLoss(1, true).acceptsLabel(Double.NaN)).isFalse();
  }
}

package dev.arbor.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.optim.TestFunctions.Quadratic;
import dev.arbor.optim.run.Objective;
import org.junit.jupiter.api.Test;

class RegularizationTest {

  @Test
  void elasticNetSplitsStrengthByMix() {
    Regularization r = Regularization.elasticNet(2, 0.25);
    assertThat(r.l1Strength()).isEqualTo(0.5);
    assertThat(r.l2Strength()).isEqualTo(1.5);
    assertThat(r.hasL1()).isTrue();
    assertThat(Regularization.l2(1).hasL1()).isFalse();
    assertThat(Regularization.none().strength()).isZero();
  }

  @Test
  void interceptsAreExcludedFromTheMask() {
    Regularization r = Regularization.l1(1).excluding(3, 0, 3);
    assertThat(r.excludedIndices()).containsExactly(0, 3);
    assertThat(r.penalizedMask(5)).containsExactly(false, true, true, false, true);
    assertThat(r.toString()).isEqualTo("l1(strength=1.0, excluded=[0, 3])");
  }

  @Test
  void invalidValuesAreRejectedWithTheValue() {
    assertThatThrownBy(() -> Regularization.l2(-1))
        .hasMessage("Invalid regularization strength: -1.0 (expected a finite number >= 0)");
    assertThatThrownBy(() -> Regularization.elasticNet(1, 1.5))
        .hasMessage("Invalid elastic-net mix: 1.5 (expected a number in [0, 1])");
    assertThatThrownBy(() -> Regularization.l2(1).excluding(-2))
        .hasMessage("Invalid intercept index: -2 (expected an index >= 0)");
    assertThatThrownBy(
            () ->
                Problem.of(Quadratic.example(), new double[4])
                    .withRegularization(Regularization.l2(1).excluding(4)))
        .hasMessage("Invalid intercept index: 4 (expected an index < dimension 4)");
  }

  @Test
  void pseudoGradientPicksTheDescendingOneSidedDerivative() {
    Problem p =
        Problem.of(Quadratic.example(), new double[4])
            .withRegularization(Regularization.l1(1).excluding(3));
    Objective o = new Objective(p);
    double[] w = {0.5, 0, 0, 0};
    double[] g = {0.2, -3, 0.4, 0.4};
    double[] pg = new double[4];
    o.pseudoGradient(w, g, pg);
    // w>0: g+λ; w=0 and g+λ<0: g+λ; w=0 and |g|<=λ: 0; intercept: plain g.
    assertThat(pg).containsExactly(1.2, -2, 0, 0.4);
  }

  @Test
  void softThresholdShrinksOnlyPenalizedCoordinatesAndMakesExactZeros() {
    Problem p =
        Problem.of(Quadratic.example(), new double[4])
            .withRegularization(Regularization.l1(2).excluding(0));
    Objective o = new Objective(p);
    double[] w = {0.1, 0.3, -0.05, -1};
    o.softThreshold(w, 0.1);
    assertThat(w[0]).isEqualTo(0.1);
    assertThat(w[1]).isEqualTo(0.3 - 0.2, org.assertj.core.api.Assertions.within(1e-15));
    assertThat(w[2]).isEqualTo(0.0);
    assertThat(w[3]).isEqualTo(-0.8);
  }
}

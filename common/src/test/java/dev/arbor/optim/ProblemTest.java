package dev.arbor.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.optim.TestFunctions.Quadratic;
import org.junit.jupiter.api.Test;

class ProblemTest {

  @Test
  void initialWeightsAreCheckedAndCopied() {
    double[] w = {1, 2, 3, 4};
    Problem p = Problem.of(Quadratic.example(), w);
    w[0] = 9;
    assertThat(p.initialWeights()).containsExactly(1, 2, 3, 4);
    assertThat(p.resumeFrom()).isEmpty();
    assertThat(p.regularization()).isEqualTo(Regularization.none());
    assertThat(p.stopping()).isEqualTo(StoppingCriteria.defaults());
  }

  @Test
  void badInitialWeightsAreRejected() {
    assertThatThrownBy(() -> Problem.of(Quadratic.example(), new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot build problem: initial weights have length 3 but the function has dimension 4");
    assertThatThrownBy(() -> Problem.of(Quadratic.example(), new double[] {0, Double.NaN, 0, 0}))
        .hasMessage("Cannot build problem: initial weight 1 is not finite: NaN");
  }

  @Test
  void decaySchedules() {
    assertThat(Decay.none().at(0.5, 10)).isEqualTo(0.5);
    assertThat(Decay.inverse(0.1).at(0.5, 10)).isEqualTo(0.25);
    assertThat(Decay.exponential(0.1).at(0.5, 10)).isEqualTo(0.5 * Math.exp(-1));
    assertThatThrownBy(() -> Decay.inverse(-1))
        .hasMessage("Invalid decay rate: -1.0 (expected a finite number >= 0)");
  }
}

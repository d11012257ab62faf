package dev.arbor.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OptimizerStateTest {

  @Test
  void jsonRoundTripIsBitExact() {
    Random r = new Random(11);
    double[] w = new double[50];
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
    }
    w[0] = -0.0;
    w[1] = Double.MIN_VALUE;
    w[2] = 0.1 + 0.2;
    double[] v = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e308};
    OptimizerState s =
        OptimizerState.builder("Test(a=1)", 7, w)
            .loss(1.0 / 3)
            .elapsedMillis(1234)
            .history(
                List.of(
                    IterationRecord.of(1, 2.5, 0.1, 1e-3, 10),
                    new IterationRecord(2, 1.0 / 7, 0.05, 1e-3, 20, 0.875)))
            .vector("m", v)
            .scalar("t", 42)
            .scalar("nan", Double.NaN)
            .build();
    OptimizerState back = OptimizerState.fromBytes(s.toBytes());
    assertThat(back).isEqualTo(s);
    assertThat(back.weights()).isEqualTo(w);
    assertThat(Double.doubleToRawLongBits(back.weights()[0]))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(back.vector("m")).isEqualTo(v);
    assertThat(back.history().get(1).validation()).hasValue(0.875);
    assertThat(back.history().get(0).validation()).isEmpty();
    assertThat(back.toJson()).isEqualTo(s.toJson());
  }

  @Test
  void snapshotsAreImmutable() {
    double[] w = {1, 2};
    double[] m = {3};
    OptimizerState s = OptimizerState.builder("x", 1, w).vector("m", m).build();
    w[0] = 9;
    m[0] = 9;
    s.weights()[1] = 9;
    s.vector("m")[0] = 8;
    assertThat(s.weights()).containsExactly(1, 2);
    assertThat(s.vector("m")).containsExactly(3);
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> OptimizerState.fromJson("{\"format\": 99}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read optimizer state: unsupported format: 99 (expected 1)");
    assertThatThrownBy(() -> OptimizerState.fromJson("{\"format\": 1}"))
        .hasMessage("Cannot read optimizer state: missing field 'optimizer'");
    assertThatThrownBy(() -> OptimizerState.fromJson("[1"))
        .hasMessageStartingWith("Cannot read optimizer state: invalid JSON: ");
    assertThatThrownBy(() -> OptimizerState.builder("x", 1, new double[1]).build().vector("v"))
        .hasMessage("Cannot read optimizer state: no vector 'v' in snapshot of x");
  }
}

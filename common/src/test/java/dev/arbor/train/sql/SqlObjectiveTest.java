package dev.arbor.train.sql;

import static dev.arbor.train.sql.SqlTestData.loss;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.DataValidationException;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.Losses;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("spark")
class SqlObjectiveTest {
  private final SparkSession spark = SparkTestSession.get();

  static Stream<String> losses() {
    return SqlTestData.LOSSES.stream();
  }

  static double[] randomWeights(int n, long seed) {
    Random r = new Random(seed);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.4 * r.nextGaussian();
    }
    return w;
  }

  private SqlObjective objective(SqlTestData data, LossFunction loss, int partitions, long seed) {
    return SqlObjective.create(data.frame(spark, partitions), data.features, loss, null, seed);
  }

  /**
   * Loss and gradient equal a plain-Java transcription of the textbook formulas (weights, zero
   * weights, intercept), within 1e-12 relative: only summation order differs.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void matchesPlainJavaReference(String name) {
    LossFunction loss = loss(name, 4);
    SqlTestData data = SqlTestData.forLoss(loss, 60, 4, 11);
    try (SqlObjective f = objective(data, loss, 3, 1)) {
      double[] w = randomWeights(f.dimension(), 3);
      double[] g = new double[f.dimension()];
      double[] ref = new double[f.dimension()];
      double value = f.valueAndGradient(w, g);
      double refValue = data.reference(loss, w, ref);
      assertThat(value).isCloseTo(refValue, within(1e-12 * Math.abs(refValue)));
      double scale = maxAbs(ref);
      for (int i = 0; i < g.length; i++) {
        assertThat(g[i]).as("gradient[%d]", i).isCloseTo(ref[i], within(1e-12 * scale));
      }
    }
  }

  /** Central differences along random directions match the gradient (with intercept). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void gradientMatchesFiniteDifferences(String name) {
    LossFunction loss = loss(name, 3);
    SqlTestData data = SqlTestData.forLoss(loss, 50, 3, 5);
    try (SqlObjective f = objective(data, loss, 2, 1)) {
      int n = f.dimension();
      double[] w = randomWeights(n, 7);
      double[] g = new double[n];
      f.valueAndGradient(w, g);
      double h = 1e-5;
      Random r = new Random(13);
      for (int trial = 0; trial < 2; trial++) {
        double[] v = randomWeights(n, r.nextLong());
        double[] plus = new double[n];
        double[] minus = new double[n];
        for (int i = 0; i < n; i++) {
          plus[i] = w[i] + h * v[i];
          minus[i] = w[i] - h * v[i];
        }
        double[] scratch = new double[n];
        double fd =
            (f.valueAndGradient(plus, scratch) - f.valueAndGradient(minus, scratch)) / (2 * h);
        double analytic = 0;
        for (int i = 0; i < n; i++) {
          analytic += g[i] * v[i];
        }
        assertThat(fd)
            .as("direction %d", trial)
            .isCloseTo(analytic, within(1e-6 * Math.max(1, Math.abs(analytic))));
      }
    }
  }

  @Test
  void withoutInterceptTheLayoutHasNoInterceptAndMatchesReference() {
    LossFunction loss = Losses.create("logistic", 3, 2, false, 1);
    SqlTestData data = SqlTestData.forLoss(loss, 40, 3, 2);
    try (SqlObjective f = objective(data, loss, 2, 1)) {
      assertThat(f.dimension()).isEqualTo(3);
      assertThat(f.layout().fitIntercept()).isFalse();
      double[] w = randomWeights(3, 1);
      double[] g = new double[3];
      double[] ref = new double[3];
      double value = f.valueAndGradient(w, g);
      assertThat(value).isCloseTo(data.reference(loss, w, ref), within(1e-12));
      assertThat(g).containsExactly(ref, within(1e-12));
    }
  }

  @Test
  void largeMarginsStayFinite() {
    SqlTestData data = SqlTestData.classification(30, 2, 3, 4);
    for (LossFunction loss :
        List.of(Losses.create("multinomial", 2, 3, true, 1), loss("logistic", 2))) {
      SqlTestData d = loss.numClasses() == 2 ? SqlTestData.classification(30, 2, 2, 4) : data;
      try (SqlObjective f = objective(d, loss, 1, 1)) {
        double[] w = new double[f.dimension()];
        java.util.Arrays.fill(w, 800); // margins of ~±1e3: e^m overflows a double
        double[] g = new double[f.dimension()];
        double value = f.valueAndGradient(w, g);
        assertThat(value).as(loss.name()).isFinite().isPositive();
        for (double gi : g) {
          assertThat(gi).isFinite();
        }
      }
    }
  }

  @Test
  void aPassIsBitIdenticalAcrossRuns() {
    LossFunction loss = loss("multinomial", 4);
    SqlTestData data = SqlTestData.forLoss(loss, 80, 4, 9);
    try (SqlObjective f = objective(data, loss, 4, 1)) {
      double[] w = randomWeights(f.dimension(), 2);
      double[] g1 = new double[f.dimension()];
      double[] g2 = new double[f.dimension()];
      double v1 = f.valueAndGradient(w, g1);
      double v2 = f.valueAndGradient(w, g2);
      assertThat(Double.doubleToRawLongBits(v2)).isEqualTo(Double.doubleToRawLongBits(v1));
      assertThat(g2).isEqualTo(g1);
    }
  }

  @Test
  void aPassOverTheCacheIsOneStageWithoutShuffle() {
    LossFunction loss = loss("logistic", 3);
    SqlTestData data = SqlTestData.forLoss(loss, 40, 3, 3);
    try (SqlObjective f = objective(data, loss, 3, 1)) {
      String plan =
          f.aggregation(randomWeights(f.dimension(), 1)).queryExecution().executedPlan().toString();
      // above the cached relation (whose own plan shuffled once, when the cache was built)
      String pass = plan.substring(0, plan.indexOf("InMemoryRelation"));
      assertThat(pass)
          .contains("HashAggregate")
          .contains("InMemoryTableScan")
          .doesNotContain("Exchange");
    }
  }

  @Test
  void miniBatchesAreDeterministicAndPartitionAnEpoch() {
    LossFunction loss = loss("logistic", 3);
    SqlTestData data = SqlTestData.forLoss(loss, 200, 3, 21);
    try (SqlObjective f = objective(data, loss, 3, 42)) {
      assertThat(f.numExamples()).isEqualTo(200);
      int steps = 4;
      double[] w = randomWeights(f.dimension(), 5);

      // same batch twice: identical value and gradient, bit for bit
      MiniBatch b = new MiniBatch(3, 1, steps);
      double[] g1 = new double[f.dimension()];
      double[] g2 = new double[f.dimension()];
      assertThat(f.batchValueAndGradient(w, g1, b)).isEqualTo(f.batchValueAndGradient(w, g2, b));
      assertThat(g2).isEqualTo(g1);

      // the epoch's batches are disjoint and cover every row once
      List<Long> all = hashes(f.rows());
      Set<Long> seen = new HashSet<>();
      int total = 0;
      List<Set<Long>> epoch3 = new ArrayList<>();
      for (int s = 0; s < steps; s++) {
        List<Long> batch = hashes(SqlGradientPass.batch(f.rows(), new MiniBatch(3, s, steps)));
        assertThat(batch).as("batch %d", s).isNotEmpty();
        total += batch.size();
        seen.addAll(batch);
        epoch3.add(new HashSet<>(batch));
      }
      assertThat(total).isEqualTo(200);
      assertThat(seen).containsExactlyInAnyOrderElementsOf(all).hasSize(200);

      // the batch sums add up to the full pass
      SqlGradientPass pass = f.pass();
      SqlGradientPass.Sums full = pass.run(pass.aggregation(f.rows(), w));
      double weightSum = 0;
      double lossSum = 0;
      for (int s = 0; s < steps; s++) {
        Dataset<Row> rows = SqlGradientPass.batch(f.rows(), new MiniBatch(3, s, steps));
        SqlGradientPass.Sums part = pass.run(pass.aggregation(rows, w));
        weightSum += part.weightSum();
        lossSum += part.lossSum();
      }
      assertThat(weightSum).isCloseTo(full.weightSum(), within(1e-12 * full.weightSum()));
      assertThat(lossSum).isCloseTo(full.lossSum(), within(1e-12 * full.lossSum()));

      // another epoch reshuffles
      Set<Long> epoch4 =
          new HashSet<>(hashes(SqlGradientPass.batch(f.rows(), new MiniBatch(4, 0, steps))));
      assertThat(epoch3).doesNotContain(epoch4);

      // an empty batch is an error, as in the tree backend
      assertThatThrownBy(() -> f.batchValueAndGradient(w, g1, new MiniBatch(0, 0, 100_000)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Cannot evaluate the batch MiniBatch[epoch=0, step=0, stepsPerEpoch=100000]: it"
                  + " holds no rows with positive weight; use fewer steps per epoch");
    }
  }

  @Test
  void rejectsWrongWeightsColumnsAndValues() {
    LossFunction loss = loss("squared", 2);
    SqlTestData data = SqlTestData.forLoss(loss, 10, 2, 1);
    Dataset<Row> frame = data.frame(spark, 1);
    assertThatThrownBy(() -> SqlObjective.create(frame.drop("x_1"), data.features, loss, null, 1))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Cannot build the sql objective: column 'x_1' is missing from the split");
    assertThatThrownBy(() -> new SqlGradientPass(List.of("label", "x"), loss))
        .hasMessage(
            "Invalid feature column name: label (reserved: row_id, label, weight, _arbor_*)");
    assertThatThrownBy(() -> new SqlGradientPass(List.of("x"), loss))
        .hasMessage("Cannot build the gradient pass: the loss expects 2 features but got: 1");
    Dataset<Row> withNaN =
        frame.withColumn(
            "x_1",
            functions
                .when(functions.col("row_id").equalTo("row-3"), functions.lit(Double.NaN))
                .otherwise(functions.col("x_1")));
    assertThatThrownBy(() -> SqlObjective.create(withNaN, data.features, loss, null, 1))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Invalid value in feature column 'x_1': NaN (expected a finite double; 1 invalid rows)");
    LossFunction logistic = loss("logistic", 2);
    assertThatThrownBy(
            () ->
                SqlObjective.create(
                    frame.withColumn("label", functions.lit(2.0)),
                    data.features,
                    logistic,
                    null,
                    1))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Invalid value in column 'label': 2.0 (expected a class index 0 or 1; 10 invalid rows)");
    try (SqlObjective f = SqlObjective.create(frame, data.features, loss, null, 1)) {
      assertThatThrownBy(() -> f.valueAndGradient(new double[2], new double[3]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot evaluate the objective: expected 3 weights but got: 2");
      assertThatThrownBy(() -> f.valueAndGradient(new double[] {0, Double.NaN, 0}, new double[3]))
          .hasMessage("Cannot evaluate the objective: weight 1 is not finite: NaN");
    }
  }

  private static List<Long> hashes(Dataset<Row> rows) {
    return rows.select(SqlGradientPass.ROW_HASH).collectAsList().stream()
        .map(r -> r.getLong(0))
        .toList();
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}

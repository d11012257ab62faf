package dev.arbor.train.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.config.ArborConfig;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.train.GradientBackend;
import dev.arbor.train.pass.GradientSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sql backend computes the tree backend's objective ({@code DistributedObjective} over float64
 * blocks): value within 1e-9 relative, and gradient within 1e-9 relative in max-norm ({@code ‖g_sql
 * − g_tree‖∞ ≤ 1e-9·‖g_tree‖∞}, and each component with {@code |g| ≥ 1e-3·‖g‖∞} within 1e-9 of
 * itself), for every loss, with instance weights (some zero) and intercepts, and with balanced
 * class weights. Only the summation order differs between the two.
 */
@Tag("spark")
class SqlTreeParityTest {
  private static final double TOLERANCE = 1e-9;
  private final SparkSession spark = SparkTestSession.get();

  static java.util.stream.Stream<String> losses() {
    return SqlTestData.LOSSES.stream();
  }

  private static GradientSettings settings(String loss, Map<String, String> more) {
    Map<String, String> set = new HashMap<>(more);
    set.put("train.loss", loss);
    set.put("train.precision", "float64");
    set.put("train.huber-delta", Double.toString(SqlTestData.HUBER_DELTA));
    return GradientSettings.from(ArborConfig.load(null, set));
  }

  private void assertParity(String loss, Map<String, String> more, long seed) {
    SqlTestData data = SqlTestData.forLoss(SqlTestData.loss(loss, 5), 300, 5, seed);
    Dataset<Row> split = data.frame(spark, 3);
    GradientSettings gs = settings(loss, more);
    try (GradientBackend.Objective tree =
            GradientBackend.TREE.open(split, data.features, SqlTestData.classes(loss), gs);
        GradientBackend.Objective sql =
            GradientBackend.SQL.open(split, data.features, SqlTestData.classes(loss), gs)) {
      assertThat(sql.layout()).isEqualTo(tree.layout());
      assertThat(sql.function().numExamples()).isEqualTo(tree.function().numExamples());
      int n = tree.layout().dimension();
      for (long trial = 0; trial < 1; trial++) {
        double[] w = SqlObjectiveTest.randomWeights(n, seed * 31 + trial);
        double[] gTree = new double[n];
        double[] gSql = new double[n];
        double vTree = tree.function().valueAndGradient(w, gTree);
        double vSql = sql.function().valueAndGradient(w, gSql);
        assertThat(vSql).as("%s value", loss).isCloseTo(vTree, within(TOLERANCE * Math.abs(vTree)));
        double norm = SqlObjectiveTest.maxAbs(gTree);
        for (int i = 0; i < n; i++) {
          double bound =
              TOLERANCE * (Math.abs(gTree[i]) >= 1e-3 * norm ? Math.abs(gTree[i]) : norm);
          assertThat(gSql[i]).as("%s gradient[%d]", loss, i).isCloseTo(gTree[i], within(bound));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void sameLossAndGradientAsTheTreeBackend(String loss) {
    assertParity(loss, Map.of(), 17);
  }

  @Test
  void sameWithBalancedClassWeightsAndWithoutIntercept() {
    assertParity("multinomial", Map.of("train.class-weights", "balanced"), 5);
    assertParity("logistic", Map.of("train.fit-intercept", "false"), 6);
  }
}

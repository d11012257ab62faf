package dev.arbor.train.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.Losses;
import dev.arbor.testing.SparkTestSession;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * At 500 features a pass still builds and runs as one aggregation (past Spark's whole-stage codegen
 * field limit and the 64 KB method limit) and gives the reference loss and gradient. Prints the
 * plan-build (analysis + optimization + physical planning) and execution times of three passes to
 * the test output ({@code common/target/surefire-reports/*SqlObjectiveWideTest-output.txt}); they
 * are measurements, not assertions.
 */
@Tag("spark")
class SqlObjectiveWideTest {
  private static final int FEATURES = 500;
  private final SparkSession spark = SparkTestSession.get();

  @ParameterizedTest(name = "{0} classes")
  @ValueSource(ints = {2, 3})
  void fiveHundredFeaturesInOneAggregation(int numClasses) {
    LossFunction loss =
        Losses.create(numClasses == 2 ? "logistic" : "multinomial", FEATURES, numClasses, true, 1);
    SqlTestData data = SqlTestData.classification(400, FEATURES, numClasses, 8);
    try (SqlObjective f = SqlObjective.create(data.frame(spark, 2), data.features, loss, null, 1)) {
      Random r = new Random(4);
      double[] w = new double[f.dimension()];
      for (int i = 0; i < w.length; i++) {
        w[i] = 0.05 * r.nextGaussian();
      }
      double[] g = new double[f.dimension()];
      long[] build = new long[3];
      long[] run = new long[3];
      long[] buildCpu = new long[3];
      long[] runCpu = new long[3];
      double value = 0;
      for (int rep = 0; rep < 3; rep++) {
        w[rep] += 0.01; // new literals every pass, as during a fit
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        Dataset<Row> agg = f.aggregation(w);
        agg.queryExecution().executedPlan();
        long t1 = System.nanoTime();
        long c1 = processCpuNanos();
        SqlGradientPass.Sums sums = f.pass().run(agg);
        long t2 = System.nanoTime();
        long c2 = processCpuNanos();
        value = sums.mean(g);
        build[rep] = (t1 - t0) / 1_000_000;
        run[rep] = (t2 - t1) / 1_000_000;
        buildCpu[rep] = (c1 - c0) / 1_000_000;
        runCpu[rep] = (c2 - c1) / 1_000_000;
      }
      System.out.printf(
          "sql pass %s, %d features, %d rows, %d sums: build wall ms %s (process cpu ms %s),"
              + " execute wall ms %s (process cpu ms %s), load average %.1f%n",
          SqlLoss.of(loss),
          FEATURES,
          f.numExamples(),
          f.dimension() + 2,
          Arrays.toString(build),
          Arrays.toString(buildCpu),
          Arrays.toString(run),
          Arrays.toString(runCpu),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

      double[] ref = new double[f.dimension()];
      double refValue = data.reference(loss, w, ref);
      assertThat(value).isCloseTo(refValue, within(1e-12 * Math.abs(refValue)));
      double scale = Arrays.stream(ref).map(Math::abs).max().orElseThrow();
      for (int i = 0; i < g.length; i++) {
        assertThat(g[i]).as("gradient[%d]", i).isCloseTo(ref[i], within(1e-11 * scale));
      }
    }
  }

  /** CPU time of this JVM (driver and local executor threads), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}

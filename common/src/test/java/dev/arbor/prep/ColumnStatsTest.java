package dev.arbor.prep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The direct and the exploded statistics plans: the same bits, and the right values. */
@Tag("spark")
class ColumnStatsTest {
  private static final int K = 20;
  private static final int ROWS = 3000;
  private static final String MAX_FIELDS = "spark.sql.codegen.maxFields";

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void directAndExplodedPlansGiveTheSameBitsAndTheRightValues() {
    double[][] x = values();
    Dataset<Row> rows = frame(x);
    List<String> columns = columns();
    boolean[] median = new boolean[K];
    median[3] = median[17] = true;

    ColumnStats.Result direct = ColumnStats.compute(rows, columns, median);
    ColumnStats.Result exploded = ColumnStats.collectExploded(rows, columns, median);

    assertThat(direct.rows()).isEqualTo(exploded.rows()).isEqualTo(ROWS);
    assertThat(direct.present()).isEqualTo(exploded.present());
    assertThat(direct.mean()).isEqualTo(exploded.mean());
    assertThat(direct.m2()).isEqualTo(exploded.m2());
    assertThat(direct.min()).isEqualTo(exploded.min());
    assertThat(direct.max()).isEqualTo(exploded.max());
    assertThat(direct.median()).isEqualTo(exploded.median());
    for (int i = 0; i < K; i++) {
      List<Double> present = new ArrayList<>();
      for (double[] row : x) {
        if (!Double.isNaN(row[i]) && Double.isFinite(row[i])) {
          present.add(row[i]);
        }
      }
      assertThat(direct.present()[i]).as("present %d", i).isEqualTo(present.size());
      if (present.isEmpty()) {
        assertThat(direct.mean()[i]).as("mean %d", i).isNaN();
        continue;
      }
      double mean = present.stream().mapToDouble(Double::doubleValue).sum() / present.size();
      double m2 = present.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
      assertThat(direct.mean()[i]).as("mean %d", i).isCloseTo(mean, within(1e-9));
      assertThat(direct.m2()[i]).as("m2 %d", i).isCloseTo(m2, within(1e-6 * m2));
      assertThat(direct.min()[i])
          .isEqualTo(present.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
      assertThat(direct.max()[i])
          .isEqualTo(present.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
      if (median[i]) {
        double[] sorted = present.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double expected =
            n % 2 == 1
                ? sorted[n / 2]
                : sorted[n / 2 - 1] + (sorted[n / 2] - sorted[n / 2 - 1]) / 2;
        assertThat(direct.median()[i]).as("median %d", i).isCloseTo(expected, within(1e-12));
      } else {
        assertThat(direct.median()[i]).isNaN();
      }
    }
  }

  @Test
  void theDirectPlanRunsCodeGeneratedAndLeavesTheSessionsLimitAsItWas() {
    Dataset<Row> rows = frame(values());
    boolean[] none = new boolean[K];
    String before = spark.conf().get(MAX_FIELDS, null);
    assertThat(before).as("the test session's own setting").isNull();

    String plan =
        dev.arbor.spark.ScopedConf.with(
            spark,
            MAX_FIELDS,
            String.valueOf(ColumnStats.MAX_FIELDS),
            () -> {
              Dataset<Row> direct = ColumnStats.direct(rows, columns(), none);
              direct.collectAsList();
              return direct.queryExecution().executedPlan().toString();
            });
    assertThat(plan).as(plan).containsPattern("\\*\\(\\d+\\) HashAggregate");
    ColumnStats.compute(rows, columns(), none);
    assertThat(spark.conf().get(MAX_FIELDS, null)).isNull();

    spark.conf().set(MAX_FIELDS, "5000");
    try {
      ColumnStats.compute(rows, columns(), none);
      assertThat(spark.conf().get(MAX_FIELDS)).isEqualTo("5000");
    } finally {
      spark.conf().unset(MAX_FIELDS);
    }
  }

  /** Values with nulls (NaN here, null in the frame for column 5), NaN, ±∞ and one empty column. */
  private static double[][] values() {
    SplittableRandom random = new SplittableRandom(11);
    double[][] x = new double[ROWS][K];
    for (double[] row : x) {
      for (int i = 0; i < K; i++) {
        double u = random.nextDouble();
        row[i] =
            i == 9
                ? Double.NaN
                : u < 0.03
                    ? Double.NaN
                    : u < 0.04
                        ? Double.POSITIVE_INFINITY
                        : u < 0.05
                            ? Double.NEGATIVE_INFINITY
                            : 1000.0 * i + random.nextGaussian() * (1 + i);
      }
    }
    return x;
  }

  private Dataset<Row> frame(double[][] x) {
    StructType schema = new StructType();
    for (String c : columns()) {
      schema = schema.add(c, DataTypes.DoubleType);
    }
    List<Row> rows = new ArrayList<>();
    for (double[] row : x) {
      Object[] v = new Object[K];
      for (int i = 0; i < K; i++) {
        v[i] = i == 5 && Double.isNaN(row[i]) ? null : row[i];
      }
      rows.add(RowFactory.create(v));
    }
    return spark.createDataFrame(rows, schema).repartition(3);
  }

  private static List<String> columns() {
    List<String> c = new ArrayList<>();
    for (int i = 0; i < K; i++) {
      c.add("c" + i);
    }
    return c;
  }
}

package dev.arbor.prep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.bench.ScaleData;
import dev.arbor.spark.ScopedConf;
import dev.arbor.testing.LogCapture;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prepare's wide steps (annotate and materialize, write the splits) run with generated methods that
 * the JIT compiles: on 50 features their fused {@code processNext} is longer than HotSpot's
 * 8,000-byte limit, so Spark must run those stages unfused ({@link ScopedConf#jitSized}) instead of
 * leaving them to the bytecode interpreter.
 */
@Tag("spark")
class PrepareCodegenTest {
  private static final String DISABLED = "whole-stage codegen was disabled";

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void wideStagesRunUnfusedAndTheSessionKeepsItsSetting() {
    String root = TestPaths.newTempDir("prepare-codegen").toString();
    ScaleData.plan(spark, 3_000, 50, 7).write().parquet(root + "/in");
    PrepareSettings s =
        PrepTestSupport.settings(
            Map.of(
                "input.path",
                root + "/in",
                "input.generate-demo-if-missing",
                false,
                "output.root",
                root + "/out",
                "schema.label-column",
                "label",
                "schema.id-column",
                "id",
                "schema.categorical-columns",
                List.of()));

    List<String> lines =
        LogCapture.during(
            WholeStageCodegenExec.class.getName(),
            () -> PrepareStage.run(spark, s, LocalDate.of(2024, 1, 1)));

    assertThat(lines)
        .as("Spark's notices that a stage's generated code is over the limit")
        .anyMatch(l -> l.contains(DISABLED) && l.contains("limit 8000"));
    assertThat(spark.conf().get(ScopedConf.HUGE_METHOD_LIMIT_KEY, null)).isNull();
  }

  @Test
  void aLimitTheUserSetIsKept() {
    spark.conf().set(ScopedConf.HUGE_METHOD_LIMIT_KEY, "65535");
    try {
      String seen =
          ScopedConf.jitSized(
              spark, () -> spark.conf().get(ScopedConf.HUGE_METHOD_LIMIT_KEY, null));
      assertThat(seen).isEqualTo("65535");
    } finally {
      spark.conf().unset(ScopedConf.HUGE_METHOD_LIMIT_KEY);
    }
    assertThat(ScopedConf.jitSized(spark, () -> spark.conf().get(ScopedConf.HUGE_METHOD_LIMIT_KEY)))
        .isEqualTo("8000");
  }
}

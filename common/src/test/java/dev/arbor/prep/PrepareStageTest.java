package dev.arbor.prep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class PrepareStageTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void demoEndToEnd() {
    String dir = TestPaths.newTempDir("stage").toString();
    PrepareSettings s =
        PrepTestSupport.settings(
            Map.of("input.path", dir + "/in", "output.root", dir + "/out", "demo.rows", 2000));
    PrepareResult r = PrepareStage.run(spark, s, LocalDate.of(2024, 1, 2));
    System.out.println(r.toJson());
    assertThat(r.inputRows()).isEqualTo(2000);
  }
}

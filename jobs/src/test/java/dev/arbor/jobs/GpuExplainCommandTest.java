package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class GpuExplainCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(Main.commandLine(new PrintWriter(out), new PrintWriter(err)), args);
  }

  @Test
  void explainsThePreparedSplitAndExitsZeroWhenEverythingIsOnTheGpu() {
    Path root = TestPaths.newTempDir("gpu-explain-cmd");
    StructType schema =
        new StructType()
            .add("row_id", DataTypes.StringType)
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType)
            .add("x", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(RowFactory.create("r" + i, (double) (i % 2), 1.0, (double) i));
    }
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .write()
        .parquet(root.resolve("prepared/m/run_date=2026-02-03/train").toString());

    int code =
        run(
            "gpu-explain",
            "--set",
            "output.root=" + root,
            "--set",
            "model.name=m",
            "--run-date",
            "2026-02-03");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("[train] gradient pass (sql backend), loss logistic, 1 features (heavy): 100.0%")
        .contains("heavy plans with fallbacks: none");
  }

  @Test
  void nothingToExplainIsExitOne() {
    SparkTestSession.get();
    Path root = TestPaths.newTempDir("gpu-explain-none");

    int code = run("gpu-explain", "--set", "output.root=" + root);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Cannot check GPU coverage: no stage plan could be built (see the report"
                + " above)"
                + System.lineSeparator());
    assertThat(out.toString()).contains("[train] not explained: no prepared training split at ");
  }
}

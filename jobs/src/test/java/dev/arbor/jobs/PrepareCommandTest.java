package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code generate} then {@code prepare} through the command line, on the shared session. */
@Tag("spark")
class PrepareCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(Main.commandLine(new PrintWriter(out), new PrintWriter(err)), args);
  }

  @Test
  void generateThenPrepareThenABadLabelColumn() {
    SparkTestSession.get();
    Path dir = TestPaths.newTempDir("cli-prepare");
    String in = dir.resolve("in").toString();
    String[] common = {
      "--set",
      "demo.rows=1000",
      "--set",
      "input.path=" + in,
      "--set",
      "output.root=" + dir.resolve("out"),
      "--run-date",
      "2024-02-03"
    };

    assertThat(run(concat(new String[] {"generate", "--output", in}, common))).isZero();
    assertThat(out.toString()).isEqualTo("wrote 1000 demo rows (seed 7) to " + in + "\n");

    assertThat(run(concat(new String[] {"prepare"}, common))).as(err.toString()).isZero();
    Path outDir = dir.resolve("out/prepared/demo/run_date=2024-02-03");
    // 1,000 demo rows: one null label (position 17), a NaN score (123), an infinite income (321)
    assertThat(out.toString())
        .contains(
            "prepared 1000 input rows: train ",
            ", rejected 3 {non_finite_feature=2, null_label=1} -> file:" + outDir);
    assertThat(Files.isRegularFile(outDir.resolve("prep-model.json"))).isTrue();
    assertThat(err.toString()).isEmpty();

    assertThat(run(concat(new String[] {"prepare", "--set", "schema.label-column=target"}, common)))
        .isEqualTo(4);
    assertThat(err.toString())
        .startsWith(
            "arbor: error: Invalid input "
                + in
                + ": column 'target' (schema.label-column)"
                + " not found");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

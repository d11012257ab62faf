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

/** {@code generate}, {@code prepare}, {@code train}, {@code score} through the command line. */
@Tag("spark")
class TrainCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(Main.commandLine(new PrintWriter(out), new PrintWriter(err)), args);
  }

  @Test
  void prepareTrainScoreAndAConfigError() {
    SparkTestSession.get();
    Path dir = TestPaths.newTempDir("cli-train");
    String in = dir.resolve("in").toString();
    String[] common = {
      "--set", "demo.rows=1000",
      "--set", "input.path=" + in,
      "--set", "output.root=" + dir.resolve("out"),
      "--set", "train.optimizer.max-iterations=20",
      "--run-date", "2024-02-03"
    };
    assertThat(run(concat(new String[] {"generate", "--output", in}, common))).isZero();
    assertThat(run(concat(new String[] {"prepare"}, common))).as(err.toString()).isZero();
    assertThat(run(concat(new String[] {"train", "--resume"}, common))).as(err.toString()).isZero();
    Path model = dir.resolve("out/models/demo/run_date=2024-02-03/model.json");
    assertThat(out.toString()).contains("trained demo (binary, Lbfgs(", "-> " + model);
    assertThat(Files.isRegularFile(model)).isTrue();

    String predictions = dir.resolve("pred").toString();
    assertThat(run(concat(new String[] {"score", "--input", in, "--output", predictions}, common)))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("scored 1000 raw rows with ").contains("-> " + predictions);

    assertThat(run(concat(new String[] {"train", "--set", "train.solver=normal"}, common)))
        .isEqualTo(3);
    assertThat(err.toString())
        .startsWith(
            "arbor: error: Invalid config value for 'train.solver': normal (expected auto or"
                + " iterative: the closed form needs train.loss = squared without L1, got loss"
                + " logistic and regularization none)");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

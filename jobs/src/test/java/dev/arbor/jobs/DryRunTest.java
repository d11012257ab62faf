package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code --dry-run} of the real stage commands: their own settings are checked, no Spark. */
class DryRunTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void prepareAcceptsTheDefaults() {
    assertThat(run("prepare", "--dry-run", "--run-date", "2026-01-05")).isZero();

    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .isEqualTo(
            "arbor prepare: dry run: configuration valid for model demo, run date 2026-01-05;"
                + " Spark not started"
                + System.lineSeparator());
  }

  @Test
  void prepareChecksItsOwnKeys() {
    assertThat(run("prepare", "--dry-run", "--set", "prepare.max-rejected-fraction=2"))
        .isEqualTo(3);

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid config value for 'prepare.max-rejected-fraction': 2.0"
                + " (expected a number in [0.0, 1.0])"
                + System.lineSeparator());
  }

  @Test
  void everyStageAcceptsTheDefaults() {
    for (String stage : new String[] {"train", "evaluate", "pipeline"}) {
      out.getBuffer().setLength(0);
      assertThat(run(stage, "--dry-run", "--run-date", "2026-01-05")).as(stage).isZero();
      assertThat(out.toString())
          .startsWith("arbor " + stage + ": dry run: configuration valid for model demo");
    }
    assertThat(run("train", "--dry-run", "--resume")).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void trainAndPipelineCheckTheTrainKeys() {
    for (String stage : new String[] {"train", "pipeline"}) {
      err.getBuffer().setLength(0);
      assertThat(run(stage, "--dry-run", "--set", "train.log-every=0")).as(stage).isEqualTo(3);
      assertThat(err.toString())
          .isEqualTo(
              "arbor: error: Invalid config value for 'train.log-every': 0"
                  + " (expected an integer in [1, 2147483647])"
                  + System.lineSeparator());
    }
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void evaluateAndPipelineCheckTheEvaluateKeys() {
    for (String stage : new String[] {"evaluate", "pipeline"}) {
      err.getBuffer().setLength(0);
      assertThat(run(stage, "--dry-run", "--set", "evaluate.prediction-splits=[tset]"))
          .as(stage)
          .isEqualTo(3);
      assertThat(err.toString())
          .startsWith(
              "arbor: error: Invalid config value for 'evaluate.prediction-splits': [tset]");
    }
  }
}

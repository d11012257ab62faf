package dev.arbor.runs.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Completion from committed outputs, on the local filesystem (no Spark). */
class CommittedOutputsTest {
  private static final LocalDate DAY = LocalDate.of(2026, 1, 2);

  private final Path root = TestPaths.newTempDir("ledger");
  private final CommittedOutputs ledger =
      new CommittedOutputs(root.toUri().toString(), new Configuration());

  private void touch(String relative) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{}");
  }

  @Test
  void aStageIsCompleteOnlyWithItsCommittedFileForThatModelAndDate() throws IOException {
    assertThat(ledger.isComplete("prepare", "churn", DAY)).isFalse();
    assertThat(ledger.isComplete("train", "churn", DAY)).isFalse();

    touch("prepared/churn/run_date=2026-01-02/prep-model.json");
    touch("models/churn/run_date=2026-01-02/model.json");

    assertThat(ledger.isComplete("prepare", "churn", DAY)).isTrue();
    assertThat(ledger.isComplete("train", "churn", DAY)).isTrue();
    assertThat(ledger.isComplete("prepare", "churn", DAY.plusDays(1))).isFalse();
    assertThat(ledger.isComplete("prepare", "other", DAY)).isFalse();
  }

  @Test
  void anUncommittedStagingFolderIsNotComplete() throws IOException {
    // What a prepare that died before its commit rename leaves behind.
    touch("prepared/churn/_staging.run_date=2026-01-02.abc/prep-model.json");
    touch("prepared/churn/run_date=2026-01-02/train/part-0.parquet");

    assertThat(ledger.isComplete("prepare", "churn", DAY)).isFalse();
  }

  @Test
  void stagesWithoutAMarkerAreNeverComplete() throws IOException {
    touch("evaluate/churn/run_date=2026-01-02/anything");

    assertThat(ledger.isComplete("evaluate", "churn", DAY)).isFalse();
    assertThat(ledger.marker("evaluate", "churn", DAY)).isEmpty();
    assertThat(ledger.marker("train", "churn", DAY).orElseThrow().toString())
        .endsWith("/models/churn/run_date=2026-01-02/model.json");
  }

  @Test
  void anUnreadableRootIsAnErrorNamingThePath() {
    CommittedOutputs broken = new CommittedOutputs("nosuchfs://host/out", new Configuration());

    assertThatThrownBy(() -> broken.isComplete("prepare", "churn", DAY))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("Cannot check the output of prepare: ")
        .hasMessageEndingWith(
            ": nosuchfs://host/out/prepared/churn/run_date=2026-01-02/prep-model.json");
  }
}

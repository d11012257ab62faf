package dev.arbor.jobs;

import static dev.arbor.jobs.SameModel.assertSameModel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Faults during training, through {@code scripts/arbor} subprocesses on the shaded jar (issue 7): a
 * gradient task that fails once and is retried by Spark, and a driver killed with SIGKILL in the
 * middle of training then resumed from its checkpoint. Both must end with the model of a fault-free
 * run, bit for bit; and the same task fault in a round of a network's local steps. Small data
 * (3,000 demo rows, 30 L-BFGS iterations; an mlp with 8 hidden units, 3 epochs); ~8 JVM starts.
 */
@Tag("reliability")
class TrainingFaultsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATE = "2026-01-01";
  private static Path dir;
  private static Path config;
  private static Path modelFile;
  private static JsonNode reference;

  @BeforeAll
  static void prepareAndTrainAFaultFreeReference() throws IOException {
    dir = TestPaths.newTempDir("training-faults");
    config = dir.resolve("faults.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "model.name = \"tfaults\"",
            "demo.rows = 3000",
            "input.path = \"" + dir.resolve("input") + "\"",
            "output.root = \"" + dir.resolve("out") + "\"",
            // No tolerance stop: every run does all 30 iterations, so the kill below lands
            // mid-training with many iterations to go.
            "train.optimizer.max-iterations = 30",
            "train.optimizer.tolerance = 0",
            "train.checkpoint-every = 2",
            ""));
    modelFile = dir.resolve("out/models/tfaults/run_date=" + DATE + "/model.json");
    ArborProcess.runOk(dir, "generate", arbor("generate"));
    ArborProcess.runOk(dir, "prepare", arbor("prepare"));
    ArborProcess.runOk(dir, "train-reference", arbor("train"));
    reference = JSON.readTree(modelFile.toFile());
    assertThat(reference.path("history").size()).isEqualTo(30);
    Files.delete(modelFile);
  }

  /** Launcher options, then the command with this class's config and run date. */
  private static List<String> arbor(String command, String... launcherOptions) {
    List<String> args = new ArrayList<>(List.of("--master", "local[2]"));
    args.addAll(List.of(launcherOptions));
    args.addAll(List.of(command, "--config", config.toString(), "--run-date", DATE));
    return args;
  }

  @Test
  @DisplayName(
      "A gradient task fails on its first attempt (local[2,4]) — Spark retries it; the model is"
          + " bit-identical to a fault-free run")
  void aRetriedGradientTaskLeavesTheModelBitIdentical() throws IOException {
    // The master comes last among the launcher options, so it wins over local[2].
    ArborProcess p =
        ArborProcess.runOk(
            dir,
            "train-task-retry",
            arbor(
                "train",
                "--master",
                "local[2,4]",
                "--conf",
                "spark.arbor.test.fail-gradient-task-once=3"));

    // The fault really happened and Spark really retried: otherwise this test proves nothing.
    assertThat(p.stderr())
        .contains("Injected failure of the first attempt of gradient task 0")
        .containsPattern("WARN +TaskSetManager: Lost task 0\\.0 in stage");
    assertSameModel(JSON.readTree(modelFile.toFile()), reference);
    Files.delete(modelFile);
  }

  @Test
  @DisplayName(
      "A round of an mlp's local steps fails on its first attempt (local[2,4]) — Spark retries"
          + " it; the network's weights are bit-identical to a fault-free run")
  void aRetriedNetworkRoundLeavesTheWeightsBitIdentical() throws IOException {
    List<String> mlp =
        List.of(
            "--set", "train.model=mlp",
            "--set", "train.mlp.hidden-layers=[8]",
            "--set", "train.mlp.average-every=10",
            "--set", "train.optimizer.name=adam",
            "--set", "train.optimizer.learning-rate=0.01",
            "--set", "train.optimizer.batch-size=64",
            "--set", "train.optimizer.max-iterations=3",
            "--set", "train.optimizer.evaluate-full-loss=false");
    List<String> plain = new ArrayList<>(arbor("train"));
    plain.addAll(mlp);
    ArborProcess.runOk(dir, "train-mlp-reference", plain);
    JsonNode network = JSON.readTree(modelFile.toFile());
    assertThat(network.path("family").asText()).isEqualTo("mlp");
    assertThat(network.path("history").size()).isEqualTo(3);
    Files.delete(modelFile);

    List<String> retried =
        new ArrayList<>(
            arbor(
                "train",
                "--master",
                "local[2,4]",
                "--conf",
                "spark.arbor.test.fail-gradient-task-once=2"));
    retried.addAll(mlp);
    ArborProcess p = ArborProcess.runOk(dir, "train-mlp-task-retry", retried);
    assertThat(p.stderr())
        .contains("Injected failure of the first attempt of gradient task 0")
        .containsPattern("WARN +TaskSetManager: Lost task 0\\.0 in stage");
    JsonNode again = JSON.readTree(modelFile.toFile());
    assertThat(again.path("weights")).isEqualTo(network.path("weights"));
    assertSameModel(again, network);
    Files.delete(modelFile);
  }

  @Test
  @DisplayName(
      "The driver is killed (SIGKILL) after 4 training iterations — train --resume ends with"
          + " the weights of an uninterrupted run")
  void aKilledTrainingResumesToTheSameWeights() throws IOException {
    Path checkpoints = dir.resolve("out/checkpoints/tfaults/run_date=" + DATE);
    try (ArborProcess killed = ArborProcess.start(dir, "train-killed", arbor("train"))) {
      killed.awaitLog("Checkpoint of candidate 0 at iteration 4 written");
      killed.kill();
    }
    // Killed mid-training: no model, and one checkpoint with no checksum file beside it (a
    // temporary file of a write in progress is hidden: its name starts with '_').
    assertThat(modelFile).doesNotExist();
    assertThat(filesUnder(checkpoints))
        .filteredOn(name -> !name.startsWith("_"))
        .containsExactly("candidate-0.json");
    JsonNode checkpoint = JSON.readTree(checkpoints.resolve("candidate-0.json").toFile());
    assertThat(checkpoint.path("iteration").asInt()).isBetween(4, 28);

    ArborProcess resumed = ArborProcess.runOk(dir, "train-resumed", args("train", "--resume"));

    assertThat(resumed.stderr()).containsPattern("Resuming candidate 0 from its checkpoint at");
    assertSameModel(JSON.readTree(modelFile.toFile()), reference);
    assertThat(checkpoints).doesNotExist();
    Files.delete(modelFile);
  }

  private static List<String> args(String command, String option) {
    List<String> a = new ArrayList<>(arbor(command));
    a.add(option);
    return a;
  }

  private static List<String> filesUnder(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}

package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.config.ArborConfig;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class CheckpointStoreTest {
  private static final LocalDate DAY = LocalDate.parse("2024-02-03");
  private static final String OPTIMIZER_JSON =
      "{\"format\":1,\"weights\":[0.30000000000000004,-1.0E-300],\"loss\":\"NaN\"}";
  private static final Checkpoint.Basis BASIS =
      new Checkpoint.Basis("sha256:aa", "", CheckpointStore.weightsHash(new double[] {0, 0}));
  private final Configuration conf = new Configuration();

  @Test
  void roundTripsBitForBitAndIgnoresOtherConfigs() {
    Path root = TestPaths.newTempDir("ckpt");
    ArborConfig config = ArborConfig.defaults();
    String hash = TrainingSpec.from(config, DAY).configHash();
    assertThat(TrainingSpec.from(config.with("train.resume", true), DAY).configHash())
        .isEqualTo(hash);
    CheckpointStore store = new CheckpointStore(root.toString(), "m", DAY, hash, conf);
    double[] best = {0.1, -1.0 / 3.0, Math.PI * 1e-300};
    store.write(
        store.checkpoint(
            0, -1, BASIS, 7, OPTIMIZER_JSON, new EarlyStopping.State(0.25, 5, best, 2)));
    Checkpoint back = store.read(0, -1, BASIS).orElseThrow();
    assertThat(back.iteration()).isEqualTo(7);
    assertThat(back.basis()).isEqualTo(BASIS);
    assertThat(back.early().bestWeights()).containsExactly(best);
    assertThat(back.early().sinceBest()).isEqualTo(2);
    assertThat(back.optimizerState().toString()).isEqualTo(OPTIMIZER_JSON);
    assertThat(store.read(1, -1, BASIS)).isEmpty();
    assertThat(Files.exists(root.resolve("checkpoints/m/run_date=2024-02-03/candidate-0.json")))
        .isTrue();

    String otherHash =
        TrainingSpec.from(ArborConfig.load(null, Map.of("train.early-stopping.patience", "9")), DAY)
            .configHash();
    assertThat(new CheckpointStore(root.toString(), "m", DAY, otherHash, conf).read(0, -1, BASIS))
        .isEmpty();
    store.clear();
    assertThat(store.read(0, -1, BASIS)).isEmpty();
  }

  @Test
  void ignoresCheckpointsOfOtherDataOrInitialWeights() {
    Path root = TestPaths.newTempDir("ckpt");
    CheckpointStore store =
        new CheckpointStore(
            root.toString(),
            "m",
            DAY,
            TrainingSpec.from(ArborConfig.defaults(), DAY).configHash(),
            conf);
    store.write(store.checkpoint(0, -1, BASIS, 4, OPTIMIZER_JSON, EarlyStopping.State.initial()));
    assertThat(store.read(0, -1, BASIS)).isPresent();

    assertThat(store.read(0, -1, new Checkpoint.Basis("sha256:bb", "", BASIS.initialWeights())))
        .isEmpty();
    assertThat(
            store.read(
                0, -1, new Checkpoint.Basis(BASIS.train(), "sha256:cc", BASIS.initialWeights())))
        .isEmpty();
    // The smallest change of the initial weights (one ulp, or -0.0 for 0.0) is another start.
    String otherStart = CheckpointStore.weightsHash(new double[] {0, -0.0});
    assertThat(otherStart).isNotEqualTo(BASIS.initialWeights());
    assertThat(store.read(0, -1, new Checkpoint.Basis(BASIS.train(), "", otherStart))).isEmpty();
    assertThat(
            store.read(
                0,
                -1,
                new Checkpoint.Basis(
                    BASIS.train(),
                    "",
                    CheckpointStore.weightsHash(new double[] {0, Double.MIN_VALUE}))))
        .isEmpty();
  }

  @Test
  void ignoresAnOldLayoutOrUnreadableCheckpointInsteadOfFailing() throws IOException {
    Path root = TestPaths.newTempDir("ckpt");
    String hash = TrainingSpec.from(ArborConfig.defaults(), DAY).configHash();
    CheckpointStore store = new CheckpointStore(root.toString(), "m", DAY, hash, conf);
    Path file = root.resolve("checkpoints/m/run_date=2024-02-03/candidate-0.json");
    Files.createDirectories(file.getParent());
    // Layout 1, as written before checkpoints were keyed by data: same model, date and config.
    Files.writeString(
        file,
        "{\"format\":1,\"model\":\"m\",\"runDate\":\"2024-02-03\",\"configHash\":\""
            + hash
            + "\",\"candidate\":0,\"fold\":-1,\"iteration\":8,\"optimizerState\":"
            + OPTIMIZER_JSON
            + ",\"early\":{\"bestMetric\":\"NaN\",\"bestIteration\":0,\"bestWeights\":null,"
            + "\"sinceBest\":0}}",
        StandardCharsets.UTF_8);
    assertThat(store.read(0, -1, BASIS)).isEmpty();

    Files.writeString(file, "{\"format\":2,\"model\":", StandardCharsets.UTF_8);
    assertThat(store.read(0, -1, BASIS)).isEmpty();

    // The run's own next checkpoint replaces the stale file and is resumed.
    store.write(store.checkpoint(0, -1, BASIS, 4, OPTIMIZER_JSON, EarlyStopping.State.initial()));
    assertThat(store.read(0, -1, BASIS).orElseThrow().iteration()).isEqualTo(4);
  }
}

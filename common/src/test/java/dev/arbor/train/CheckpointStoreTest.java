package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.config.ArborConfig;
import dev.arbor.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class CheckpointStoreTest {
  private final Configuration conf = new Configuration();

  @Test
  void roundTripsBitForBitAndIgnoresOtherConfigs() {
    Path root = TestPaths.newTempDir("ckpt");
    LocalDate d = LocalDate.parse("2024-02-03");
    ArborConfig config = ArborConfig.defaults();
    String hash = CheckpointStore.configHash(config);
    assertThat(CheckpointStore.configHash(config.with("train.resume", true))).isEqualTo(hash);
    CheckpointStore store = new CheckpointStore(root.toString(), "m", d, hash, conf);
    double[] best = {0.1, -1.0 / 3.0, Math.PI * 1e-300};
    String optimizerJson =
        "{\"format\":1,\"weights\":[0.30000000000000004,-1.0E-300],\"loss\":\"NaN\"}";
    store.write(
        store.checkpoint(0, -1, 7, optimizerJson, new EarlyStopping.State(0.25, 5, best, 2)));
    Checkpoint back = store.read(0, -1).orElseThrow();
    assertThat(back.iteration()).isEqualTo(7);
    assertThat(back.early().bestWeights()).containsExactly(best);
    assertThat(back.early().sinceBest()).isEqualTo(2);
    assertThat(back.optimizerState().toString()).isEqualTo(optimizerJson);
    assertThat(store.read(1, -1)).isEmpty();
    assertThat(Files.exists(root.resolve("checkpoints/m/run_date=2024-02-03/candidate-0.json")))
        .isTrue();

    String otherHash =
        CheckpointStore.configHash(
            ArborConfig.load(null, Map.of("train.early-stopping.patience", "9")));
    assertThat(new CheckpointStore(root.toString(), "m", d, otherHash, conf).read(0, -1)).isEmpty();
    store.clear();
    assertThat(store.read(0, -1)).isEmpty();
  }
}

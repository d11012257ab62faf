package dev.arbor.runs.outputs;

import dev.arbor.runs.StageLedger;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A {@link StageLedger} that looks for each stage's committed output under {@code output.root}:
 *
 * <ul>
 *   <li>{@code prepare}: {@code <root>/prepared/<model>/run_date=<D>/prep-model.json} (the folder
 *       is committed by one rename, so the file is there only when every split is);
 *   <li>{@code train}: {@code <root>/models/<model>/run_date=<D>/model.json} (written atomically,
 *       last).
 * </ul>
 *
 * Other stages ({@code evaluate}: its outputs are table partitions) are never reported complete, so
 * a resumed backfill re-runs them; they replace their partitions, so this costs time, not
 * correctness. The check knows whether outputs exist, not which config made them: after a config
 * change, re-run with {@code --force}.
 */
public final class CommittedOutputs implements StageLedger {
  private static final Map<String, String[]> MARKERS =
      Map.of(
          "prepare", new String[] {"prepared", "prep-model.json"},
          "train", new String[] {"models", "model.json"});

  private final Path root;
  private final Configuration hadoopConf;

  /**
   * @param outputRoot the config's {@code output.root}, on any Hadoop filesystem
   * @param hadoopConf the Hadoop configuration of the job (credentials, default filesystem)
   */
  public CommittedOutputs(String outputRoot, Configuration hadoopConf) {
    this.root = new Path(outputRoot);
    this.hadoopConf = hadoopConf;
  }

  @Override
  public boolean isComplete(String stage, String model, LocalDate runDate) {
    Optional<Path> marker = marker(stage, model, runDate);
    if (marker.isEmpty()) {
      return false;
    }
    try {
      FileSystem fs = marker.get().getFileSystem(hadoopConf);
      return fs.getFileStatus(marker.get()).isFile();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot check the output of " + stage + ": " + e.getMessage() + ": " + marker.get(), e);
    }
  }

  /** The file whose presence means {@code stage} completed, when the stage has one. */
  Optional<Path> marker(String stage, String model, LocalDate runDate) {
    String[] m = MARKERS.get(stage);
    if (m == null) {
      return Optional.empty();
    }
    Path folder = new Path(new Path(new Path(root, m[0]), model), "run_date=" + runDate);
    return Optional.of(new Path(folder, m[1]));
  }
}

package dev.arbor.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.config.ArborConfig;
import dev.arbor.model.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of one model and run date: {@code
 * <output.root>/checkpoints/<model.name>/run_date=<D>/candidate-<i>[-fold-<f>].json}, each replaced
 * atomically on every write ({@link AtomicFiles}); the folder is deleted once the model is written.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final String dir;
  private final String model;
  private final String runDate;
  private final String configHash;
  private final Configuration conf;

  public CheckpointStore(
      String outputRoot, String model, LocalDate runDate, String configHash, Configuration conf) {
    this.dir =
        new Path(new Path(new Path(outputRoot, "checkpoints"), model), "run_date=" + runDate)
            .toString();
    this.model = model;
    this.runDate = runDate.toString();
    this.configHash = configHash;
    this.conf = conf;
  }

  /** SHA-256 of the resolved config without {@code train.resume}, which differs between runs. */
  public static String configHash(ArborConfig config) {
    String json = config.with("train.resume", false).canonicalJson();
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The folder holding this run's checkpoints. */
  public String dir() {
    return dir;
  }

  private String file(int candidate, int fold) {
    return new Path(dir, "candidate-" + candidate + (fold >= 0 ? "-fold-" + fold : "") + ".json")
        .toString();
  }

  /** Writes (replaces) the checkpoint of its candidate and fold atomically. */
  public void write(Checkpoint c) {
    try {
      AtomicFiles.write(file(c.candidate(), c.fold()), MAPPER.writeValueAsBytes(c), conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serialize checkpoint: " + e.getMessage(), e);
    }
    LOG.info(
        "Checkpoint of candidate {} at iteration {} written to {}",
        c.candidate(),
        c.iteration(),
        dir);
  }

  /**
   * The checkpoint of {@code candidate}/{@code fold} when one exists for this model, run date and
   * config; a checkpoint of another config is ignored with a warning.
   */
  public Optional<Checkpoint> read(int candidate, int fold) {
    String path = file(candidate, fold);
    if (!AtomicFiles.exists(path, conf)) {
      return Optional.empty();
    }
    Checkpoint c;
    try {
      c = MAPPER.readValue(AtomicFiles.read(path, conf), Checkpoint.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read checkpoint " + path + ": " + e.getMessage(), e);
    }
    if (c.format() != Checkpoint.FORMAT
        || !c.model().equals(model)
        || !c.runDate().equals(runDate)
        || !c.configHash().equals(configHash)) {
      LOG.warn("Ignoring checkpoint {}: written for another model, run date or config", path);
      return Optional.empty();
    }
    return Optional.of(c);
  }

  /** A new checkpoint record for this store. */
  public Checkpoint checkpoint(
      int candidate,
      int fold,
      int iteration,
      String optimizerStateJson,
      EarlyStopping.State early) {
    try {
      return new Checkpoint(
          Checkpoint.FORMAT,
          model,
          runDate,
          configHash,
          candidate,
          fold,
          iteration,
          MAPPER.readTree(optimizerStateJson),
          early);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot parse optimizer state: " + e.getMessage(), e);
    }
  }

  /** Deletes every checkpoint of this run (after the model is written). */
  public void clear() {
    Path p = new Path(dir);
    try {
      p.getFileSystem(conf).delete(p, true);
    } catch (IOException e) {
      LOG.warn("Cannot delete checkpoints {}: {}", dir, e.getMessage());
    }
  }
}

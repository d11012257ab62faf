package dev.arbor.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.model.AtomicFiles;
import dev.arbor.model.DataFingerprint;
import dev.arbor.store.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of one model and run date: {@code
 * <output.root>/checkpoints/<model.name>/run_date=<D>/candidate-<i>[-fold-<f>].json}, each replaced
 * atomically on every write ({@link AtomicFiles}); the folder is deleted once the model is written.
 *
 * <p>A checkpoint is resumed only when its layout version, model, run date, config and {@link
 * Checkpoint.Basis} (data fingerprint, initial weights) all match the run; any other checkpoint, or
 * one that cannot be parsed, is ignored with a warning naming the reason, the run starts fresh and
 * its first checkpoint replaces the stale one. Never failing on a stale checkpoint is deliberate:
 * starting over is always correct, and a scheduler retry (which passes {@code --resume}) must not
 * need a person to delete files after the prepared data of a date changed.
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
    this.dir = new RunLayout(outputRoot, model, runDate).checkpointsDir();
    this.model = model;
    this.runDate = runDate.toString();
    this.configHash = configHash;
    this.conf = conf;
  }

  /** SHA-256 of the exact bits of {@code weights} ({@link Checkpoint.Basis#initialWeights()}). */
  public static String weightsHash(double[] weights) {
    ByteBuffer bits = ByteBuffer.allocate(Double.BYTES * weights.length);
    for (double w : weights) {
      bits.putLong(Double.doubleToRawLongBits(w));
    }
    return sha256(bits.array());
  }

  private static String sha256(byte[] bytes) {
    return DataFingerprint.sha256Hex(bytes);
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
   * The checkpoint of {@code candidate}/{@code fold} when one exists for this model, run date,
   * config and {@code basis}; any other checkpoint is ignored with a warning naming the reason.
   */
  public Optional<Checkpoint> read(int candidate, int fold, Checkpoint.Basis basis) {
    String path = file(candidate, fold);
    if (!AtomicFiles.exists(path, conf)) {
      return Optional.empty();
    }
    byte[] bytes = AtomicFiles.read(path, conf);
    Checkpoint c;
    try {
      JsonNode json = MAPPER.readTree(bytes);
      int format = json.path("format").asInt(-1);
      if (format != Checkpoint.FORMAT) {
        return ignore(path, "layout version " + format + ", expected " + Checkpoint.FORMAT);
      }
      c = MAPPER.treeToValue(json, Checkpoint.class);
    } catch (IOException e) {
      return ignore(
          path,
          "cannot parse it: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (!model.equals(c.model()) || !runDate.equals(c.runDate())) {
      return ignore(path, "written for model " + c.model() + " and run date " + c.runDate());
    }
    if (!configHash.equals(c.configHash())) {
      return ignore(path, "written for another config");
    }
    Checkpoint.Basis was = c.basis();
    if (was == null || !basis.train().equals(was.train())) {
      return ignore(path, changed("train split", was == null ? null : was.train(), basis.train()));
    }
    if (!basis.validation().equals(was.validation())) {
      return ignore(path, changed("validation split", was.validation(), basis.validation()));
    }
    if (!basis.initialWeights().equals(was.initialWeights())) {
      return ignore(path, "the initial weights changed (the warm-start model was replaced)");
    }
    return Optional.of(c);
  }

  private static String changed(String what, String was, String now) {
    return "the "
        + what
        + " changed since it was written (fingerprint "
        + (was == null || was.isEmpty() ? "none" : was)
        + ", now "
        + (now.isEmpty() ? "none" : now)
        + ")";
  }

  private static Optional<Checkpoint> ignore(String path, String why) {
    LOG.warn("Ignoring checkpoint {}: {}; training from the start", path, why);
    return Optional.empty();
  }

  /** A new checkpoint record for this store, of a fit that started from {@code basis}. */
  public Checkpoint checkpoint(
      int candidate,
      int fold,
      Checkpoint.Basis basis,
      int iteration,
      String optimizerStateJson,
      EarlyStopping.State early) {
    try {
      return new Checkpoint(
          Checkpoint.FORMAT,
          model,
          runDate,
          configHash,
          basis,
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

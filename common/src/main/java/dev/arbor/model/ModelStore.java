package dev.arbor.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where models live and how they are written: {@code
 * <output.root>/models/<model.name>/run_date=<YYYY-MM-DD>/model.json}, one JSON document written
 * atomically ({@link AtomicFiles}); a re-run for the same date replaces it. Doubles are written in
 * their shortest round-tripping form, so a model reads back bit for bit.
 */
public final class ModelStore {
  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

  /** The model file's name inside its run-date folder. */
  public static final String FILE = "model.json";

  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelStore() {}

  /** {@code <outputRoot>/models/<modelName>}. */
  public static String modelRoot(String outputRoot, String modelName) {
    return new Path(new Path(outputRoot, "models"), modelName).toString();
  }

  /** {@code <outputRoot>/models/<modelName>/run_date=<runDate>/model.json}. */
  public static String modelPath(String outputRoot, String modelName, LocalDate runDate) {
    return new Path(new Path(modelRoot(outputRoot, modelName), "run_date=" + runDate), FILE)
        .toString();
  }

  /** The model as JSON bytes. */
  public static byte[] toJson(LinearModel model) {
    try {
      return MAPPER.writeValueAsBytes(model);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serialize model " + model.name() + ": " + e, e);
    }
  }

  /** Parses what {@link #toJson} wrote. */
  public static LinearModel fromJson(byte[] json, String source) {
    try {
      return MAPPER.readValue(json, LinearModel.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read model " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code model} atomically to its path under {@code outputRoot}.
   *
   * @return the path written
   */
  public static String write(LinearModel model, String outputRoot, Configuration conf) {
    String path = modelPath(outputRoot, model.name(), LocalDate.parse(model.runDate()));
    AtomicFiles.write(path, toJson(model), conf);
    LOG.info("Wrote model {} for {} to {}", model.name(), model.runDate(), path);
    return path;
  }

  /** Reads a model file (any Hadoop path). */
  public static LinearModel read(String path, Configuration conf) {
    return fromJson(AtomicFiles.read(path, conf), path);
  }

  /**
   * The most recent model of {@code modelName} with a run date strictly before {@code runDate}
   * (what nightly warm starts from).
   */
  public static Optional<String> latestBefore(
      String outputRoot, String modelName, LocalDate runDate, Configuration conf) {
    Path root = new Path(modelRoot(outputRoot, modelName));
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        return Optional.empty();
      }
      LocalDate best = null;
      for (FileStatus s : fs.listStatus(root)) {
        String n = s.getPath().getName();
        if (!s.isDirectory() || !n.startsWith("run_date=")) {
          continue;
        }
        LocalDate d;
        try {
          d = LocalDate.parse(n.substring("run_date=".length()));
        } catch (java.time.DateTimeException e) {
          continue;
        }
        if (d.isBefore(runDate)
            && (best == null || d.isAfter(best))
            && fs.exists(new Path(s.getPath(), FILE))) {
          best = d;
        }
      }
      return best == null ? Optional.empty() : Optional.of(modelPath(outputRoot, modelName, best));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list models under " + root + ": " + e.getMessage(), e);
    }
  }
}

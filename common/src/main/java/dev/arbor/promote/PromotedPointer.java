package dev.arbor.promote;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arbor.DataValidationException;
import dev.arbor.model.AtomicFiles;
import dev.arbor.store.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The promoted model of a model name: {@code <output.root>/models/<model>/}{@value #FILE}, one
 * small JSON document naming the promoted run and the copies of its model and prep model, and the
 * champion it replaced ({@code previous}: a re-run of the promoted date is compared with that one,
 * not with itself).
 *
 * <p>Written atomically ({@link AtomicFiles}: a temporary file in the same folder, then one rename
 * over the target): a reader sees the whole old or the whole new pointer, never a part. The files
 * it names are copies under {@code
 * <output.root>/models/<model>/promoted/run_date=<D>/run_id=<id>/}, written before the pointer and
 * never replaced by another run, so re-running {@code prepare} or {@code train} for the promoted
 * date does not change what is scored.
 *
 * @param model the model name
 * @param current the promoted run
 * @param previous the run promoted before it, or {@code null}
 */
public record PromotedPointer(String model, Entry current, Entry previous) {
  /** The pointer's file name in {@code <output.root>/models/<model>/}. */
  public static final String FILE = RunLayout.POINTER_FILE;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One promoted run.
   *
   * @param runDate the run date (YYYY-MM-DD)
   * @param runId the run id (as in the tables)
   * @param modelPath the promoted copy of the run's {@code model.json}
   * @param prepModelPath the promoted copy of the run's {@code prep-model.json}
   * @param metric the gate metric of the decision
   * @param score the run's test score by that metric when it was promoted
   */
  public record Entry(
      String runDate,
      String runId,
      String modelPath,
      String prepModelPath,
      String metric,
      double score) {
    public Entry {
      Objects.requireNonNull(runDate, "runDate");
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(modelPath, "modelPath");
      Objects.requireNonNull(prepModelPath, "prepModelPath");
    }

    /** {@link #runDate} as a date. */
    public LocalDate date() {
      return LocalDate.parse(runDate);
    }
  }

  public PromotedPointer {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(current, "current");
  }

  /** {@code <outputRoot>/models/<model>/PROMOTED.json}. */
  public static String path(String outputRoot, String model) {
    return RunLayout.pointerFile(outputRoot, model);
  }

  /** Where the promoted copies of a run's model and prep model go. */
  public static String artifactDir(String outputRoot, String model, LocalDate runDate, String id) {
    return new RunLayout(outputRoot, model, runDate).promotedDir(id);
  }

  /**
   * The pointer of {@code model}, or empty when none was written yet.
   *
   * @throws DataValidationException naming the path when the file is not a valid pointer
   */
  public static Optional<PromotedPointer> read(
      String outputRoot, String model, Configuration conf) {
    String path = path(outputRoot, model);
    if (!AtomicFiles.exists(path, conf)) {
      return Optional.empty();
    }
    PromotedPointer p;
    try {
      p = MAPPER.readValue(AtomicFiles.read(path, conf), PromotedPointer.class);
    } catch (IOException | RuntimeException e) {
      throw new DataValidationException(
          "Cannot read the promoted-model pointer "
              + path
              + ": "
              + firstLine(e.getMessage())
              + " (restore it, or delete it to promote the next run as the first)",
          e);
    }
    if (!model.equals(p.model())) {
      throw new DataValidationException(
          "Cannot read the promoted-model pointer "
              + path
              + ": it names model "
              + p.model()
              + " (expected "
              + model
              + ")");
    }
    return Optional.of(p);
  }

  /**
   * The promoted run of {@code model}, with its files checked: what scoring uses.
   *
   * @throws DataValidationException when no model is promoted yet, or the pointer or its files are
   *     broken
   */
  public static Entry requirePromoted(String outputRoot, String model, Configuration conf) {
    PromotedPointer p =
        read(outputRoot, model, conf)
            .orElseThrow(
                () ->
                    new DataValidationException(
                        "Cannot score with the promoted model of "
                            + model
                            + ": none is promoted (no "
                            + path(outputRoot, model)
                            + "; run promote, or pass --run-date or --model-path)"));
    p.requireFiles(p.current(), outputRoot, conf);
    return p.current();
  }

  /**
   * Checks that the files of {@code entry} exist.
   *
   * @throws DataValidationException naming the pointer and the missing file
   */
  public void requireFiles(Entry entry, String outputRoot, Configuration conf) {
    for (String f : new String[] {entry.modelPath(), entry.prepModelPath()}) {
      if (!AtomicFiles.exists(f, conf)) {
        throw new DataValidationException(
            "Cannot use the promoted model of "
                + model
                + " (run "
                + entry.runDate()
                + " "
                + entry.runId()
                + ") named by "
                + path(outputRoot, model)
                + ": missing "
                + f);
      }
    }
  }

  /** Replaces the pointer of {@link #model} under {@code outputRoot}, atomically. */
  public String write(String outputRoot, Configuration conf) {
    String path = path(outputRoot, model);
    AtomicFiles.write(path, toJson(), conf);
    return path;
  }

  /** The pointer as JSON bytes. */
  public byte[] toJson() {
    try {
      return MAPPER.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serialize the pointer of " + model + ": " + e, e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

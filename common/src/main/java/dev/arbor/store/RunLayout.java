package dev.arbor.store;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * Where the files of one (model, run date) live under {@code output.root}: the one owner of Arbor's
 * output layout (in the spirit of Iceberg's {@code LocationProvider}). Every stage asks it for its
 * paths; no other class spells {@code run_date=}.
 *
 * <pre>
 * &lt;root&gt;/prepared/&lt;model&gt;/run_date=&lt;D&gt;/              prepare: splits, prep model, summary
 * &lt;root&gt;/models/&lt;model&gt;/run_date=&lt;D&gt;/model.json      train: the model
 * &lt;root&gt;/checkpoints/&lt;model&gt;/run_date=&lt;D&gt;/           train: checkpoints (deleted after)
 * &lt;root&gt;/models/&lt;model&gt;/PROMOTED.json                promote: the pointer
 * &lt;root&gt;/models/&lt;model&gt;/promoted/run_date=&lt;D&gt;/run_id=&lt;id&gt;/   promote: copies
 * </pre>
 *
 * <p>Paths are Hadoop paths as strings (any file system). Immutable.
 *
 * @param outputRoot {@code output.root}
 * @param model {@code model.name}
 * @param runDate the logical run date
 */
public record RunLayout(String outputRoot, String model, LocalDate runDate) {
  /** The model file's name inside its run-date folder. */
  public static final String MODEL_FILE = "model.json";

  /** The promoted pointer's file name inside the model's folder. */
  public static final String POINTER_FILE = "PROMOTED.json";

  private static final String RUN_DATE = "run_date=";

  public RunLayout {
    Objects.requireNonNull(outputRoot, "outputRoot");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(runDate, "runDate");
  }

  /** {@code <root>/prepared/<model>/run_date=<D>}: what prepare commits. */
  public String preparedDir() {
    return new Path(new Path(new Path(outputRoot, "prepared"), model), folder(runDate)).toString();
  }

  /** A file or split folder of the prepared run, e.g. {@code train} or {@code prep-model.json}. */
  public String prepared(String name) {
    return new Path(preparedDir(), name).toString();
  }

  /** {@code <root>/models/<model>}: every run's model folder, the pointer. */
  public String modelRoot() {
    return modelRoot(outputRoot, model);
  }

  /** {@code <root>/models/<model>} of any run date. */
  public static String modelRoot(String outputRoot, String model) {
    return new Path(new Path(outputRoot, "models"), model).toString();
  }

  /** {@code <root>/models/<model>/run_date=<D>/model.json}. */
  public String modelFile() {
    return new Path(new Path(modelRoot(), folder(runDate)), MODEL_FILE).toString();
  }

  /** {@code <root>/checkpoints/<model>/run_date=<D>}. */
  public String checkpointsDir() {
    return new Path(new Path(new Path(outputRoot, "checkpoints"), model), folder(runDate))
        .toString();
  }

  /** {@code <root>/models/<model>/PROMOTED.json}. */
  public static String pointerFile(String outputRoot, String model) {
    return new Path(modelRoot(outputRoot, model), POINTER_FILE).toString();
  }

  /** {@code <root>/models/<model>/promoted/run_date=<D>/run_id=<id>}: a promotion's copies. */
  public String promotedDir(String runId) {
    return new Path(new Path(new Path(modelRoot(), "promoted"), folder(runDate)), "run_id=" + runId)
        .toString();
  }

  /** The same model and root on another run date. */
  public RunLayout withRunDate(LocalDate date) {
    return new RunLayout(outputRoot, model, date);
  }

  /** {@code run_date=<D>}: the folder name of a run date. */
  public static String folder(LocalDate date) {
    return RUN_DATE + date;
  }

  /** The run date a folder name {@code run_date=<D>} names, or empty for any other name. */
  public static Optional<LocalDate> runDateOf(String folderName) {
    if (!folderName.startsWith(RUN_DATE)) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(folderName.substring(RUN_DATE.length())));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}

package dev.arbor.train;

import dev.arbor.model.DataFingerprint;
import dev.arbor.optim.IterationListener;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Creates the {@link TrainingMonitor} of each fit of a run: holds what every fit shares (the run's
 * settings, its {@link CheckpointStore}, whether the run resumes, the data fingerprints a
 * checkpoint is matched by). Not thread-safe; one per run, on the driver thread.
 */
public final class TrainingMonitors {
  private final TrainingSpec spec;
  private final CheckpointStore checkpoints;
  private final Dataset<Row> train;
  private final Dataset<Row> validation;
  private IterationListener hook = IterationListener.NONE;
  private String trainFingerprint;
  private String validationFingerprint;

  TrainingMonitors(
      TrainingSpec spec, CheckpointStore checkpoints, Dataset<Row> train, Dataset<Row> validation) {
    this.spec = spec;
    this.checkpoints = checkpoints;
    this.train = train;
    this.validation = validation;
  }

  /** Test only: a listener run after the monitor on every iteration (e.g. to crash). */
  void hook(IterationListener listener) {
    this.hook = listener;
  }

  /**
   * The monitor of one fit.
   *
   * @param candidate the candidate fitted
   * @param data the data set (its fold: -1 for the whole train split)
   * @param initialWeights the weights the fit starts from (a checkpoint is resumed only when they
   *     are the same)
   * @param metric the early-stopping metric of weights on {@code data.eval()} (called only when the
   *     candidate stops early)
   */
  public TrainingMonitor start(
      Candidate candidate,
      FitData data,
      double[] initialWeights,
      ToDoubleFunction<double[]> metric) {
    boolean needsBasis = spec.resume() || spec.settings().checkpointEvery() > 0;
    Checkpoint.Basis basis = needsBasis ? basis(candidate, data.fold(), initialWeights) : null;
    Optional<Checkpoint> resume =
        spec.resume() ? checkpoints.read(candidate.index(), data.fold(), basis) : Optional.empty();
    return new TrainingMonitor(
        spec.modelName(),
        candidate,
        data.fold(),
        spec.settings(),
        checkpoints,
        basis,
        resume,
        metric,
        hook);
  }

  /**
   * What the fit of {@code c} on {@code fold} starts from besides the config: the train split's
   * fingerprint (a fold's rows follow from it and the config), the validation split's when early
   * stopping reads it, and the initial weights.
   */
  private Checkpoint.Basis basis(Candidate c, int fold, double[] initial) {
    String v = "";
    if (fold < 0 && c.train().earlyStopping().isPresent()) {
      if (validationFingerprint == null) {
        validationFingerprint = DataFingerprint.of(validation);
      }
      v = validationFingerprint;
    }
    return new Checkpoint.Basis(trainFingerprint(), v, CheckpointStore.weightsHash(initial));
  }

  /** The train split's fingerprint, computed once per run (checkpoints and the model). */
  String trainFingerprint() {
    if (trainFingerprint == null) {
      trainFingerprint = DataFingerprint.of(train);
    }
    return trainFingerprint;
  }
}

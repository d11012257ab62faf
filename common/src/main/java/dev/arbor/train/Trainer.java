package dev.arbor.train;

import dev.arbor.ConfigException;
import dev.arbor.DataValidationException;
import dev.arbor.model.CandidateResult;
import dev.arbor.model.Model;
import dev.arbor.optim.IterationListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the model of one run from {@link TrainInputs} and a {@link TrainingSpec}, by wiring the
 * parts: checks the candidates against the task, caches the validation split, lets {@link
 * ModelSelection} fit and score the candidates with the family's {@link CandidateFitter} (linear:
 * {@link LinearFitter}) under a {@link TrainingMonitor} each ({@link TrainingMonitors}: log,
 * checkpoints, early stopping, divergence), and has the fitter build the chosen candidate's {@link
 * Model} with the run's {@link ModelMetadata}. Writes nothing but checkpoints; {@link TrainStage}
 * reads the inputs and writes the model.
 *
 * <p>Not thread-safe; one instance per run. {@link #close()} unpersists what the run cached.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final SparkSession spark;
  private final TrainingSpec spec;
  private final TrainInputs in;
  private final CheckpointStore checkpoints;
  private final CandidateFitter<?> fitter;
  private final TrainingMonitors monitors;
  private final List<Dataset<Row>> cached = new ArrayList<>();

  /** The outcome of a run: the model (not yet written) and every candidate's scores. */
  public record Outcome(Model model, List<CandidateResult> candidates) {
    /**
     * The model as its family's type.
     *
     * @throws ClassCastException when it is of another family
     */
    public <M extends Model> M model(Class<M> type) {
      return type.cast(model);
    }
  }

  public Trainer(SparkSession spark, TrainingSpec spec, TrainInputs in) {
    this.spark = spark;
    this.spec = spec;
    this.in = in;
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    GradientBackend backend = GradientBackend.choose(spec.backend(), spark);
    LOG.info("Gradient backend: {} (train.backend = {})", backend.configName(), spec.backend());
    this.checkpoints =
        new CheckpointStore(
            spec.outputRoot(), spec.modelName(), spec.runDate(), spec.configHash(), hadoop);
    this.fitter = fitter(spec, in, backend, hadoop);
    this.monitors = new TrainingMonitors(spec, checkpoints, in.train(), in.validation());
  }

  /**
   * The fitter of the run's model family: the one place a family is chosen (linear today; a new
   * family adds its case here, keyed by its setting in the spec): the network family when the
   * candidates say {@code train.model = mlp}.
   */
  private static CandidateFitter<?> fitter(
      TrainingSpec spec, TrainInputs in, GradientBackend backend, Configuration hadoop) {
    boolean network = spec.candidates().get(0).network().isPresent();
    for (Candidate c : spec.candidates()) {
      ConfigException.check(
          c.network().isPresent() == network,
          "Invalid config value for 'train.model' in candidate %d (expected the same model family"
              + " for every candidate: %s)",
          c.index(),
          network ? "mlp" : "linear");
    }
    if (network) {
      ConfigException.check(
          !spec.backend().equals("sql"),
          "Invalid config value for 'train.backend': sql (expected tree or auto for an mlp: the"
              + " sql backend evaluates linear models only)");
      return new NetworkFitter(spec, in, hadoop);
    }
    return new LinearFitter(spec, in, backend, hadoop);
  }

  /** Test only: a listener run after the monitor's on every iteration (e.g. to crash). */
  Trainer withIterationHook(IterationListener hook) {
    monitors.hook(hook);
    return this;
  }

  /** Test only: how many sets of training blocks this run built (candidates share them). */
  int blocksBuilt() {
    return fitter instanceof LinearFitter f ? f.blocksBuilt() : 0;
  }

  /** The checkpoint store of this run. */
  public CheckpointStore checkpoints() {
    return checkpoints;
  }

  /** Runs the selection and returns the best candidate's model. */
  public Outcome run() {
    List<Candidate> candidates = spec.candidates();
    ValidationMetric selection = spec.settings().selectionMetric(in.task());
    check(candidates, selection);
    Dataset<Row> validation = cache(in.validation());
    long validationRows = validation.count();
    int folds = spec.settings().cvFolds();
    boolean needsScores = candidates.size() > 1;
    boolean earlyStopping =
        candidates.stream().anyMatch(c -> c.train().earlyStopping().isPresent());
    if ((needsScores || earlyStopping) && folds == 0) {
      DataValidationException.check(
          validationRows > 0,
          "Cannot %s: the validation split is empty (set prepare.split.validation > 0 or"
              + " train.cv-folds >= 2)",
          needsScores ? "select among " + candidates.size() + " candidates" : "stop early");
    }
    LOG.info(
        "Training {} ({}, {} features) for {}: {} candidate(s), selection by {}{}",
        spec.modelName(),
        in.task(),
        in.features().size(),
        spec.runDate(),
        candidates.size(),
        selection.configName(),
        folds > 0 ? " over " + folds + "-fold cross-validation" : "");
    return select(fitter, candidates, selection, validation, validationRows);
  }

  private <F extends CandidateFit> Outcome select(
      CandidateFitter<F> family,
      List<Candidate> candidates,
      ValidationMetric selection,
      Dataset<Row> validation,
      long validationRows) {
    ModelSelection.Selected<F> selected =
        new ModelSelection<>(
                family,
                monitors,
                spec.settings().cvFolds(),
                spec.seed(),
                in.numClasses(),
                foldScaling(),
                this::cache)
            .select(candidates, selection, in.train(), validation, validationRows);
    Model model = family.model(selected.candidate(), selected.fit(), metadata(selected.results()));
    return new Outcome(model, selected.results());
  }

  /**
   * The prep scaling that cross-validation refits per fold: the prep model's, read from {@link
   * TrainInputs#prepModel()}; none without folds or a prep model (inputs used as given).
   */
  private FoldScaling foldScaling() {
    if (spec.settings().cvFolds() == 0 || in.prepModel().isEmpty()) {
      return FoldScaling.none();
    }
    return FoldScaling.of(
        dev.arbor.prep.PrepModel.read(in.prepModel(), spark.sparkContext().hadoopConfiguration()));
  }

  /** The selection and early-stopping metrics must exist for the task. */
  private void check(List<Candidate> candidates, ValidationMetric selection) {
    ConfigException.check(
        selection.appliesTo(in.task()),
        "Invalid config value for 'train.selection-metric': %s (expected a metric for task %s)",
        selection.configName(),
        in.task());
    for (Candidate c : candidates) {
      c.train()
          .earlyStopping()
          .ifPresent(
              m ->
                  ConfigException.check(
                      m.appliesTo(in.task()),
                      "Invalid config value for 'train.early-stopping.metric': %s (expected a"
                          + " metric for task %s)",
                      m.configName(),
                      in.task()));
    }
  }

  /** What the model records besides its weights (model assembly, any family). */
  private ModelMetadata metadata(List<CandidateResult> results) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("arbor", dev.arbor.ArborVersion.get());
    versions.put("spark", spark.version());
    versions.put("java", System.getProperty("java.version"));
    return new ModelMetadata(
        spec.modelName(),
        spec.runDate(),
        in.task(),
        in.classes(),
        in.features(),
        in.centers(),
        in.scales(),
        in.prepModel(),
        spec.config(),
        monitors.trainFingerprint(),
        results,
        versions);
  }

  private Dataset<Row> cache(Dataset<Row> df) {
    Dataset<Row> c = df.persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(c);
    return c;
  }

  /** Frees the fitter's caches and unpersists the cached splits. */
  @Override
  public void close() {
    fitter.close();
    cached.forEach(Dataset::unpersist);
    cached.clear();
  }

  @Override
  public String toString() {
    return "Trainer[" + spec.modelName() + ", " + spec.runDate() + ", task " + in.task() + "]";
  }
}

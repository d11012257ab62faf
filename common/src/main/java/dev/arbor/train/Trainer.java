package dev.arbor.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.ArborException;
import dev.arbor.ConfigException;
import dev.arbor.DataValidationException;
import dev.arbor.ExitCode;
import dev.arbor.config.ArborConfig;
import dev.arbor.loss.WeightLayout;
import dev.arbor.model.CandidateResult;
import dev.arbor.model.DataFingerprint;
import dev.arbor.model.LinearModel;
import dev.arbor.model.ModelStore;
import dev.arbor.model.Scoring;
import dev.arbor.model.TrainingStep;
import dev.arbor.optim.IterationContext;
import dev.arbor.optim.IterationListener;
import dev.arbor.optim.IterationRecord;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.Result;
import dev.arbor.optim.StochasticFunction;
import dev.arbor.optim.StopReason;
import dev.arbor.optim.config.OptimizerKind;
import dev.arbor.optim.config.Optimizers;
import dev.arbor.optim.run.DivergenceBackoff;
import dev.arbor.train.data.TrainingBlocks;
import dev.arbor.train.lsq.LeastSquares;
import dev.arbor.train.lsq.LeastSquaresSolver;
import dev.arbor.train.pass.DistributedObjective;
import dev.arbor.train.pass.GradientSettings;
import dev.arbor.train.pass.TrainingObjectives;
import dev.arbor.train.sql.SqlObjective;
import dev.arbor.train.sql.SqlObjectives;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the model of one training run from {@link TrainInputs}: resolves the candidates, fits each
 * (closed form for the squared loss without L1, else the configured optimizer over cached blocks
 * shared by the candidates), with warm start, early stopping, checkpoints and resume, scores them
 * on the validation split or by k-fold cross-validation, and builds the {@link LinearModel} of the
 * best. Writes nothing but checkpoints; {@link TrainStage} reads the inputs and writes the model.
 *
 * <p>Not thread-safe; one instance per run.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Above this many features {@code train.solver = auto} uses the optimizer even for the squared
   * loss: the closed form costs O(p²) per row and O(p³) per merge.
   */
  static final int AUTO_CLOSED_FORM_MAX_FEATURES = 500;

  /** Column that assigns train rows to cross-validation folds. */
  private static final String FOLD = "__arbor_fold";

  private final SparkSession spark;
  private final ArborConfig config;
  private final LocalDate runDate;
  private final TrainInputs in;
  private final TrainSettings settings;
  private final String modelName;
  private final String outputRoot;
  private final CheckpointStore checkpoints;
  private final Map<String, TrainingBlocks> blocks = new HashMap<>();
  private final GradientBackend backend;
  private final Map<String, SqlObjective> sqlObjectives = new HashMap<>();
  private final List<Dataset<Row>> cached = new ArrayList<>();
  private IterationListener testHook = IterationListener.NONE;
  private String trainFingerprint;
  private String validationFingerprint;
  private int blocksBuilt;

  /** The outcome of a run: the model (not yet written) and every candidate's scores. */
  public record Outcome(LinearModel model, List<CandidateResult> candidates) {}

  /** What fitting one candidate on one data set produced. */
  record Fit(
      double[] weights,
      WeightLayout layout,
      double objective,
      String optimizer,
      String stopReason,
      List<TrainingStep> history) {}

  public Trainer(SparkSession spark, ArborConfig config, LocalDate runDate, TrainInputs in) {
    this.spark = spark;
    this.config = config;
    this.runDate = runDate;
    this.in = in;
    this.settings = TrainSettings.from(config);
    this.backend = GradientBackend.choose(config, spark);
    LOG.info(
        "Gradient backend: {} (train.backend = {})",
        backend.configName(),
        config.string(GradientBackend.KEY));
    this.modelName = config.string("model.name");
    this.outputRoot = config.string("output.root");
    this.checkpoints =
        new CheckpointStore(
            outputRoot,
            modelName,
            runDate,
            CheckpointStore.configHash(config),
            spark.sparkContext().hadoopConfiguration());
  }

  /** Test only: a listener run after the stage's own on every iteration (e.g. to crash). */
  Trainer withIterationHook(IterationListener hook) {
    this.testHook = hook;
    return this;
  }

  /** The checkpoint store of this run. */
  public CheckpointStore checkpoints() {
    return checkpoints;
  }

  /** Runs the selection and returns the best candidate's model. */
  public Outcome run() {
    List<Candidate> candidates = resolveCandidates();
    ValidationMetric selection = settings.selectionMetric(in.task());
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
    Dataset<Row> validation = cache(in.validation());
    long validationRows = validation.count();
    boolean needsScores = candidates.size() > 1;
    boolean earlyStopping =
        candidates.stream().anyMatch(c -> c.train().earlyStopping().isPresent());
    if ((needsScores || earlyStopping) && settings.cvFolds() == 0) {
      DataValidationException.check(
          validationRows > 0,
          "Cannot %s: the validation split is empty (set prepare.split.validation > 0 or"
              + " train.cv-folds >= 2)",
          needsScores ? "select among " + candidates.size() + " candidates" : "stop early");
    }
    LOG.info(
        "Training {} ({}, {} features) for {}: {} candidate(s), selection by {}{}",
        modelName,
        in.task(),
        in.features().size(),
        runDate,
        candidates.size(),
        selection.configName(),
        settings.cvFolds() > 0 ? " over " + settings.cvFolds() + "-fold cross-validation" : "");

    List<CandidateResult> results = new ArrayList<>();
    List<Fit> fits = new ArrayList<>();
    if (settings.cvFolds() > 0) {
      crossValidate(candidates, selection, results, fits);
    } else {
      for (Candidate c : candidates) {
        Fit fit = fit(c, -1, in.train(), validation, "train");
        double s = validationRows > 0 ? score(c, fit, validation, selection, "train") : Double.NaN;
        results.add(
            new CandidateResult(
                c.index(),
                c.overrideStrings(),
                selection.configName(),
                s,
                List.of(),
                fit.objective(),
                fit.history().size(),
                false));
        fits.add(fit);
        logCandidate(c, selection, s);
      }
    }
    int best = 0;
    for (int i = 1; i < results.size(); i++) {
      if (selection.isBetter(results.get(i).score(), results.get(best).score())) {
        best = i;
      }
    }
    Candidate chosen = candidates.get(best);
    Fit fit = fits.get(best);
    if (fit == null) {
      LOG.info("Refitting candidate {} on the whole train split", best);
      fit = fit(chosen, -1, in.train(), validation, "train");
      CandidateResult r = results.get(best);
      results.set(
          best,
          new CandidateResult(
              r.index(),
              r.overrides(),
              r.metric(),
              r.score(),
              r.foldScores(),
              fit.objective(),
              fit.history().size(),
              false));
    }
    CandidateResult r = results.get(best);
    results.set(
        best,
        new CandidateResult(
            r.index(),
            r.overrides(),
            r.metric(),
            r.score(),
            r.foldScores(),
            r.trainObjective(),
            r.iterations(),
            true));
    LOG.info("Selected candidate {} ({} = {})", best, selection.configName(), r.score());
    LinearModel model = buildModel(chosen, fit, results);
    return new Outcome(model, List.copyOf(results));
  }

  /**
   * k-fold cross-validation: each fold's blocks are built once and shared by every candidate; the
   * candidates' scores are the means over the folds. Adds one result per candidate and a null fit
   * (the chosen candidate is refit on the whole train split).
   */
  private void crossValidate(
      List<Candidate> candidates,
      ValidationMetric selection,
      List<CandidateResult> results,
      List<Fit> fits) {
    int k = settings.cvFolds();
    Dataset<Row> train =
        cache(
            in.train()
                .withColumn(
                    FOLD,
                    pmod(
                        xxhash64(col("row_id"), lit(config.longValue("train.seed"))),
                        lit((long) k))));
    double[][] scores = new double[candidates.size()][k];
    for (int f = 0; f < k; f++) {
      Dataset<Row> fitPart =
          train
              .filter(col(FOLD).notEqual(lit((long) f)))
              .drop(FOLD)
              .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> heldOut =
          train
              .filter(col(FOLD).equalTo(lit((long) f)))
              .drop(FOLD)
              .persist(StorageLevel.MEMORY_AND_DISK());
      String key = "fold-" + f;
      for (Candidate c : candidates) {
        Fit fit = fit(c, f, fitPart, heldOut, key);
        scores[c.index()][f] = score(c, fit, heldOut, selection, key);
      }
      closeBlocks(key);
      closeBlocks("eval-" + key);
      fitPart.unpersist();
      heldOut.unpersist();
    }
    for (Candidate c : candidates) {
      List<Double> folds = new ArrayList<>();
      for (double v : scores[c.index()]) {
        folds.add(v);
      }
      double mean = folds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      results.add(
          new CandidateResult(
              c.index(),
              c.overrideStrings(),
              selection.configName(),
              mean,
              folds,
              Double.NaN,
              0,
              false));
      fits.add(null);
      logCandidate(c, selection, mean);
    }
  }

  private static void logCandidate(Candidate c, ValidationMetric selection, double score) {
    LOG.info(
        "Candidate {} {}: {} = {}", c.index(), c.overrideStrings(), selection.configName(), score);
  }

  private List<Candidate> resolveCandidates() {
    List<Candidate> out = new ArrayList<>();
    if (settings.candidates().isEmpty()) {
      out.add(Candidate.resolve(config, 0, Map.of()));
    } else {
      for (int i = 0; i < settings.candidates().size(); i++) {
        out.add(Candidate.resolve(config, i, settings.candidates().get(i)));
      }
    }
    return out;
  }

  // ---- fitting one candidate -------------------------------------------------------------------

  private Fit fit(Candidate c, int fold, Dataset<Row> data, Dataset<Row> eval, String dataKey) {
    boolean closedForm =
        c.closedForm()
            && (c.train().solver() == TrainSettings.Solver.NORMAL
                || in.features().size() <= AUTO_CLOSED_FORM_MAX_FEATURES);
    if (closedForm) {
      return closedForm(c, data);
    }
    GradientBackend.Objective backendObjective = objective(dataKey, c, data);
    StochasticFunction objective = backendObjective.function();
    WeightLayout layout = backendObjective.layout();
    Optimizer optimizer = Optimizers.create(c.optimizer());
    Regularization regularization =
        c.regularization().regularization().excluding(layout.interceptIndices());
    LOG.info(
        "Candidate {}{}: loss {}, optimizer {}, regularization {}",
        c.index(),
        fold >= 0 ? " fold " + fold : "",
        c.gradient().loss(),
        optimizer,
        regularization);

    double[] initial = initialWeights(c, layout);
    Checkpoint.Basis basis =
        settings.resume() || settings.checkpointEvery() > 0 ? basis(c, fold, initial) : null;
    Optional<Checkpoint> resume =
        settings.resume() ? checkpoints.read(c.index(), fold, basis) : Optional.empty();
    EarlyStopping early =
        c.train()
            .earlyStopping()
            .map(
                m ->
                    new EarlyStopping(
                        m,
                        c.train().patience(),
                        resume.map(Checkpoint::early).orElse(EarlyStopping.State.initial())))
            .orElse(null);
    Evaluator evaluator = early == null ? null : new Evaluator(c, layout, eval, dataKey);
    Problem problem =
        Problem.of(objective, initial)
            .withRegularization(regularization)
            .withStopping(c.optimizer().stopping())
            .withListener(listener(c, fold, basis, early, evaluator).andThen(testHook));
    if (resume.isPresent()) {
      LOG.info(
          "Resuming candidate {} from its checkpoint at iteration {}",
          c.index(),
          resume.get().iteration());
      problem =
          problem.resumingFrom(OptimizerState.fromJson(resume.get().optimizerState().toString()));
    }
    boolean backoff =
        c.train().onDivergence() == TrainSettings.OnDivergence.BACKOFF
            && resume.isEmpty()
            && c.optimizer().name() != OptimizerKind.LBFGS
            && c.optimizer().name() != OptimizerKind.OWLQN;
    Result result =
        backoff
            ? DivergenceBackoff.minimize(
                problem,
                c.optimizer().learningRate(),
                rate -> Optimizers.create(c.optimizer().withLearningRate(rate)))
            : optimizer.minimize(problem);
    if (result.stopReason() == StopReason.DIVERGED) {
      throw new ArborException(
          ExitCode.FAILURE,
          "Cannot train model "
              + modelName
              + (c.index() > 0 || !c.overrides().isEmpty() ? " (candidate " + c.index() + ")" : "")
              + ": the optimizer diverged: "
              + result.message()
              + " (lower train.optimizer.learning-rate or add regularization)");
    }
    LOG.info("Candidate {}: {}", c.index(), result);
    double[] weights = result.weights();
    double objectiveValue = result.loss();
    if (early != null) {
      IterationRecord last = result.history().get(result.history().size() - 1);
      if (last.validation().isEmpty()) {
        early.update(last.iteration(), evaluator.evaluate(weights), weights);
      }
      if (early.state().bestIteration() != last.iteration()) {
        LOG.info(
            "Early stopping: restoring the weights of iteration {} ({} = {})",
            early.state().bestIteration(),
            early.metric().configName(),
            early.state().bestMetric());
        weights = early.bestWeights();
        objectiveValue = result.history().get(early.state().bestIteration() - 1).loss();
      }
    }
    return new Fit(
        weights,
        layout,
        objectiveValue,
        optimizer.toString(),
        result.stopReason().name(),
        steps(result.history()));
  }

  /**
   * What the fit of {@code c} on {@code fold} starts from besides the config: the train split's
   * fingerprint (a fold's rows follow from it and the config), the validation split's when early
   * stopping reads it, and the initial weights.
   */
  private Checkpoint.Basis basis(Candidate c, int fold, double[] initial) {
    String validation = "";
    if (fold < 0 && c.train().earlyStopping().isPresent()) {
      if (validationFingerprint == null) {
        validationFingerprint = DataFingerprint.of(in.validation());
      }
      validation = validationFingerprint;
    }
    return new Checkpoint.Basis(
        trainFingerprint(), validation, CheckpointStore.weightsHash(initial));
  }

  /** The train split's fingerprint, computed once per run (checkpoints and the model). */
  private String trainFingerprint() {
    if (trainFingerprint == null) {
      trainFingerprint = DataFingerprint.of(in.train());
    }
    return trainFingerprint;
  }

  private IterationListener listener(
      Candidate c, int fold, Checkpoint.Basis basis, EarlyStopping early, Evaluator evaluator) {
    int logEvery = settings.logEvery();
    int every = c.train().evaluateEvery();
    int checkpointEvery = settings.checkpointEvery();
    return (IterationContext ctx) -> {
      IterationRecord rec = ctx.record();
      int k = rec.iteration();
      if (early != null && k % every == 0) {
        double[] w = ctx.weights();
        double metric = evaluator.evaluate(w);
        ctx.reportValidationMetric(metric);
        if (early.update(k, metric, w)) {
          ctx.requestStop(
              "no improvement of validation "
                  + early.metric().configName()
                  + " for "
                  + c.train().patience()
                  + " evaluations (best "
                  + early.state().bestMetric()
                  + " at iteration "
                  + early.state().bestIteration()
                  + ")");
        }
      }
      if (k == 1 || k % logEvery == 0) {
        LOG.info(
            "Candidate {}{} iteration {}: loss {}, gradient norm {}, step {}, validation {}, {} ms",
            c.index(),
            fold >= 0 ? " fold " + fold : "",
            k,
            rec.loss(),
            rec.gradientNorm(),
            rec.stepSize(),
            ctx.record().validationMetric(),
            rec.elapsedMillis());
      }
      if (checkpointEvery > 0 && k % checkpointEvery == 0) {
        checkpoints.write(
            checkpoints.checkpoint(
                c.index(),
                fold,
                basis,
                k,
                ctx.snapshot().toJson(),
                early == null ? EarlyStopping.State.initial() : early.state()));
      }
    };
  }

  private Fit closedForm(Candidate c, Dataset<Row> data) {
    double l2 = c.regularization().regularization().l2Strength();
    LOG.info(
        "Candidate {}: squared loss, closed form (centred QR least squares), L2 {}", c.index(), l2);
    long start = System.nanoTime();
    LeastSquares.Solution s =
        LeastSquaresSolver.fit(data, in.features(), c.gradient().fitIntercept(), l2);
    int d = in.features().size();
    WeightLayout layout =
        c.gradient().fitIntercept()
            ? WeightLayout.withIntercept(d, 1)
            : WeightLayout.withoutIntercept(d, 1);
    double[] w = new double[layout.dimension()];
    System.arraycopy(s.coefficients(), 0, w, 0, d);
    if (c.gradient().fitIntercept()) {
      w[layout.interceptIndex(0)] = s.intercept();
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    return new Fit(
        w,
        layout,
        s.objective(),
        "normal-equations(centred QR, "
            + s.method().name().toLowerCase(java.util.Locale.ROOT)
            + ", rank "
            + s.rank()
            + ")",
        "CLOSED_FORM",
        List.of(new TrainingStep(1, s.objective(), Double.NaN, 0, 1, ms)));
  }

  /**
   * The training objective of candidate {@code c} on {@code data}, from the backend {@code
   * train.backend} selects: the tree backend's objective over shared cached blocks, or the sql
   * backend's objective over its own cached rows (one per data set and gradient settings).
   */
  private GradientBackend.Objective objective(String dataKey, Candidate c, Dataset<Row> data) {
    if (backend == GradientBackend.SQL) {
      SqlObjective f =
          sqlObjectives.computeIfAbsent(
              dataKey + "|" + c.gradient(),
              k -> SqlObjectives.objective(data, in.features(), in.classes(), c.gradient()));
      return new GradientBackend.Objective(f, f.layout(), () -> {});
    }
    DistributedObjective f = TrainingObjectives.objective(blocks(dataKey, c, data), c.gradient());
    return new GradientBackend.Objective(f, f.layout(), () -> {});
  }

  private TrainingBlocks blocks(String dataKey, Candidate c, Dataset<Row> data) {
    // Candidates cannot override train.block-size or train.precision (TrainSettings), so only
    // class weights can make a candidate's blocks differ.
    GradientSettings g = c.gradient();
    String key = dataKey + "|" + g.classWeights() + "|" + g.classWeightValues();
    return blocks.computeIfAbsent(
        key,
        k -> {
          blocksBuilt++;
          return TrainingObjectives.blocks(data, in.features(), in.classes(), g);
        });
  }

  /** Test only: how many sets of training blocks this run built (candidates share them). */
  int blocksBuilt() {
    return blocksBuilt;
  }

  private void closeBlocks(String dataKey) {
    sqlObjectives
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().startsWith(dataKey + "|")) {
                e.getValue().close();
                return true;
              }
              return false;
            });
    blocks
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().startsWith(dataKey + "|")) {
                e.getValue().close();
                return true;
              }
              return false;
            });
  }

  private Dataset<Row> cache(Dataset<Row> df) {
    Dataset<Row> c = df.persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(c);
    return c;
  }

  // ---- warm start ------------------------------------------------------------------------------

  private double[] initialWeights(Candidate c, WeightLayout layout) {
    double[] zeros = new double[layout.dimension()];
    String mode = settings.warmStart();
    if (mode.equalsIgnoreCase("none")) {
      return zeros;
    }
    var hadoop = spark.sparkContext().hadoopConfiguration();
    Optional<String> path = settings.warmStartModel(outputRoot, modelName, runDate, hadoop);
    if (path.isEmpty()) {
      LOG.info("Warm start: no model of {} before {}; starting from zeros", modelName, runDate);
      return zeros;
    }
    LinearModel previous;
    try {
      previous = ModelStore.read(path.get(), hadoop);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new ConfigException(
          "Invalid config value for 'train.warm-start': "
              + mode
              + " (cannot read "
              + path.get()
              + ": "
              + e.getMessage()
              + ")",
          e);
    }
    String mismatch = null;
    if (!previous.features().equals(in.features())) {
      mismatch = "its features differ";
    } else if (!previous.loss().equals(c.gradient().loss())) {
      mismatch = "its loss is " + previous.loss();
    } else if (previous.numOutputs() != layout.numOutputs()) {
      mismatch = "it has " + previous.numOutputs() + " outputs";
    }
    if (mismatch != null) {
      if (mode.equalsIgnoreCase("previous")) {
        LOG.warn("Warm start: not using {}: {}; starting from zeros", path.get(), mismatch);
        return zeros;
      }
      throw new ConfigException(
          "Invalid config value for 'train.warm-start': "
              + mode
              + " (cannot warm start from "
              + path.get()
              + ": "
              + mismatch
              + ")");
    }
    // Yesterday's weights in original units, moved into today's prepared space.
    double[] w = zeros.clone();
    for (int k = 0; k < layout.numOutputs(); k++) {
      double b = previous.originalIntercepts()[k];
      for (int j = 0; j < layout.numFeatures(); j++) {
        double raw = previous.originalCoefficients()[k][j];
        w[layout.coefficientIndex(k, j)] = raw * in.scales()[j];
        b += raw * in.centers()[j];
      }
      if (layout.fitIntercept()) {
        w[layout.interceptIndex(k)] = b;
      }
    }
    LOG.info("Warm start from {}", path.get());
    return w;
  }

  // ---- scoring
  // -----------------------------------------------------------------------------------

  /** Evaluates weights on a split: a metric for early stopping. */
  private final class Evaluator {
    private final Candidate candidate;
    private final WeightLayout layout;
    private final Dataset<Row> eval;
    private final String dataKey;
    private DistributedObjective lossObjective;

    Evaluator(Candidate candidate, WeightLayout layout, Dataset<Row> eval, String dataKey) {
      this.candidate = candidate;
      this.layout = layout;
      this.eval = eval;
      this.dataKey = dataKey;
    }

    double evaluate(double[] weights) {
      ValidationMetric m = candidate.train().earlyStopping().orElseThrow();
      return metric(candidate, m, weights, layout, eval, dataKey, this);
    }

    double loss(double[] weights) {
      if (lossObjective == null) {
        lossObjective =
            TrainingObjectives.objective(
                blocks("eval-" + dataKey, candidate, eval), candidate.gradient());
      }
      return lossObjective.valueAndGradient(weights, new double[weights.length]);
    }
  }

  private double score(
      Candidate c, Fit fit, Dataset<Row> eval, ValidationMetric metric, String dataKey) {
    return metric(
        c,
        metric,
        fit.weights(),
        fit.layout(),
        eval,
        dataKey,
        new Evaluator(c, fit.layout(), eval, dataKey));
  }

  private double metric(
      Candidate c,
      ValidationMetric m,
      double[] weights,
      WeightLayout layout,
      Dataset<Row> eval,
      String dataKey,
      Evaluator evaluator) {
    if (m == ValidationMetric.LOSS) {
      return evaluator.loss(weights);
    }
    LinearModel probe = modelBuilder(c.gradient().loss(), layout, weights).build();
    return ValidationMetrics.compute(Scoring.score(eval, probe), m, in.task(), in.classes().size());
  }

  // ---- the model
  // ---------------------------------------------------------------------------------

  private LinearModel.Builder modelBuilder(String loss, WeightLayout layout, double[] weights) {
    int outputs = layout.numOutputs();
    int d = layout.numFeatures();
    double[][] coefficients = new double[outputs][d];
    double[] intercepts = new double[outputs];
    for (int k = 0; k < outputs; k++) {
      for (int j = 0; j < d; j++) {
        coefficients[k][j] = weights[layout.coefficientIndex(k, j)];
      }
      if (layout.fitIntercept()) {
        intercepts[k] = weights[layout.interceptIndex(k)];
      }
    }
    if (in.task().equals("binary") && outputs == 2) {
      // A two-output (multinomial) binary model scores with the margin difference.
      double[][] diff = {new double[d]};
      for (int j = 0; j < d; j++) {
        diff[0][j] = coefficients[1][j] - coefficients[0][j];
      }
      coefficients = diff;
      intercepts = new double[] {intercepts[1] - intercepts[0]};
    }
    return LinearModel.builder(modelName, runDate.toString(), in.task(), loss)
        .classes(in.classes())
        .weights(in.features(), coefficients, intercepts, layout.fitIntercept())
        .scaling(in.centers(), in.scales());
  }

  private LinearModel buildModel(Candidate c, Fit fit, List<CandidateResult> results) {
    JsonNode configJson;
    try {
      // train.resume says how the run went, not what it made: a resumed run records the config
      // of an uninterrupted one, so its model file and evaluate's run id are the same too.
      configJson = MAPPER.readTree(config.with("train.resume", false).canonicalJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("arbor", arborVersion());
    versions.put("spark", spark.version());
    versions.put("java", System.getProperty("java.version"));
    return modelBuilder(c.gradient().loss(), fit.layout(), fit.weights())
        .prepModel(in.prepModel())
        .config(configJson)
        .dataFingerprint(trainFingerprint())
        .training(fit.optimizer(), fit.stopReason(), fit.objective(), fit.history())
        .candidates(results)
        .versions(versions)
        .build();
  }

  static String arborVersion() {
    return dev.arbor.ArborVersion.get();
  }

  private static List<TrainingStep> steps(List<IterationRecord> history) {
    List<TrainingStep> out = new ArrayList<>(history.size());
    for (IterationRecord r : history) {
      out.add(
          new TrainingStep(
              r.iteration(),
              r.loss(),
              r.validationMetric(),
              r.gradientNorm(),
              r.stepSize(),
              r.elapsedMillis()));
    }
    return out;
  }

  /** Unpersists the cached blocks and splits. */
  @Override
  public void close() {
    blocks.values().forEach(TrainingBlocks::close);
    blocks.clear();
    sqlObjectives.values().forEach(SqlObjective::close);
    sqlObjectives.clear();
    cached.forEach(Dataset::unpersist);
    cached.clear();
  }

  @Override
  public String toString() {
    return "Trainer[" + modelName + ", " + runDate + ", task " + in.task() + "]";
  }
}

package dev.arbor.train;

import dev.arbor.eval.metrics.MetricKernels;
import dev.arbor.ingest.Task;
import dev.arbor.loss.WeightLayout;
import dev.arbor.model.LinearModel;
import dev.arbor.model.Model;
import dev.arbor.model.Scoring;
import dev.arbor.model.TrainingStep;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.Result;
import dev.arbor.optim.config.OptimizerKind;
import dev.arbor.optim.config.Optimizers;
import dev.arbor.optim.run.DivergenceBackoff;
import dev.arbor.train.lsq.LeastSquares;
import dev.arbor.train.lsq.LeastSquaresSolver;
import dev.arbor.train.pass.DistributedObjective;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The linear family's {@link CandidateFitter}: the closed form for the squared loss without L1
 * (centred QR least squares), else the candidate's optimizer over the objective of the run's
 * gradient backend ({@link BlockCache}), from zeros or a warm start ({@link WarmStart}). Scores a
 * fit with the loss on the held-out rows or a {@link ValidationMetric} of its {@link LinearModel}'s
 * predictions. Not thread-safe; one per run.
 */
final class LinearFitter implements CandidateFitter<LinearFitter.LinearFit> {
  private static final Logger LOG = LoggerFactory.getLogger(LinearFitter.class);

  /**
   * Above this many features {@code train.solver = auto} uses the optimizer even for the squared
   * loss: the closed form costs O(p²) per row and O(p³) per merge.
   */
  static final int AUTO_CLOSED_FORM_MAX_FEATURES = 500;

  private final TrainingSpec spec;
  private final TrainInputs in;
  private final BlockCache cache;
  private final WarmStart warmStart;

  /** A linear fit: the weights and their layout (outputs × features, intercepts). */
  record LinearFit(
      double[] weights,
      WeightLayout layout,
      double objective,
      String optimizer,
      String stopReason,
      List<TrainingStep> history)
      implements CandidateFit {}

  LinearFitter(TrainingSpec spec, TrainInputs in, GradientBackend backend, Configuration hadoop) {
    this.spec = spec;
    this.in = in;
    this.cache = new BlockCache(backend, in.features(), in.classes());
    this.warmStart = new WarmStart(spec, in, hadoop);
  }

  /** Test only: how many sets of training blocks were built. */
  int blocksBuilt() {
    return cache.blocksBuilt();
  }

  @Override
  public LinearFit fit(Candidate c, FitData data, TrainingMonitors monitors) {
    boolean closedForm =
        c.closedForm()
            && (c.train().solver() == TrainSettings.Solver.NORMAL
                || in.features().size() <= AUTO_CLOSED_FORM_MAX_FEATURES);
    if (closedForm) {
      return closedForm(c, data);
    }
    GradientBackend.Objective objective = cache.objective(data.key(), c.gradient(), data.train());
    WeightLayout layout = objective.layout();
    Optimizer optimizer = Optimizers.create(c.optimizer());
    Regularization regularization =
        c.regularization().regularization().excluding(layout.interceptIndices());
    double[] initial = warmStart.initialWeights(c, layout);
    Metric metric = new Metric(c, layout, data);
    TrainingMonitor monitor =
        monitors.start(
            c, data, initial, w -> metric.value(c.train().earlyStopping().orElseThrow(), w));
    LOG.info(
        "Candidate {}{}: loss {}, optimizer {}, regularization {}",
        c.index(),
        monitor.foldLabel(),
        c.gradient().loss(),
        optimizer,
        regularization);
    Problem problem =
        Problem.of(objective.function(), initial)
            .withRegularization(regularization)
            .withStopping(c.optimizer().stopping())
            .withListener(monitor);
    if (monitor.resumeFrom().isPresent()) {
      LOG.info(
          "Resuming candidate {} from its checkpoint at iteration {}",
          c.index(),
          monitor.resumeFrom().get().iteration());
      problem = problem.resumingFrom(monitor.resumeState().orElseThrow());
    }
    boolean backoff =
        c.train().onDivergence() == TrainSettings.OnDivergence.BACKOFF
            && monitor.resumeFrom().isEmpty()
            && c.optimizer().name() != OptimizerKind.LBFGS
            && c.optimizer().name() != OptimizerKind.OWLQN;
    Result result =
        backoff
            ? DivergenceBackoff.minimize(
                problem,
                c.optimizer().learningRate(),
                rate -> Optimizers.create(c.optimizer().withLearningRate(rate)))
            : optimizer.minimize(problem);
    TrainingMonitor.Kept kept = monitor.finish(result);
    LOG.info("Candidate {}: {}", c.index(), result);
    double objectiveValue =
        kept.restored() ? result.history().get(kept.iteration() - 1).loss() : result.loss();
    return new LinearFit(
        kept.weights(),
        layout,
        objectiveValue,
        optimizer.toString(),
        result.stopReason().name(),
        TrainingMonitor.steps(result.history()));
  }

  private LinearFit closedForm(Candidate c, FitData data) {
    double l2 = c.regularization().regularization().l2Strength();
    LOG.info(
        "Candidate {}: squared loss, closed form (centred QR least squares), L2 {}", c.index(), l2);
    long start = System.nanoTime();
    LeastSquares.Solution s =
        LeastSquaresSolver.fit(data.train(), in.features(), c.gradient().fitIntercept(), l2);
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
    return new LinearFit(
        w,
        layout,
        s.objective(),
        "normal-equations(centred QR, "
            + s.method().name().toLowerCase(Locale.ROOT)
            + ", rank "
            + s.rank()
            + ")",
        "CLOSED_FORM",
        List.of(new TrainingStep(1, s.objective(), Double.NaN, 0, 1, ms)));
  }

  @Override
  public double evaluate(Candidate c, LinearFit fit, FitData data, ValidationMetric metric) {
    return new Metric(c, fit.layout(), data).value(metric, fit.weights());
  }

  @Override
  public Model model(Candidate c, LinearFit fit, ModelMetadata meta) {
    return builder(meta.name(), meta.runDate(), c.gradient().loss(), fit.layout(), fit.weights())
        .scaling(meta.centers(), meta.scales())
        .prepModel(meta.prepModel())
        .config(meta.config())
        .dataFingerprint(meta.dataFingerprint())
        .training(fit.optimizer(), fit.stopReason(), fit.objective(), fit.history())
        .candidates(meta.candidates())
        .versions(meta.versions())
        .build();
  }

  /**
   * A linear model of {@code weights} in {@code layout}: one output per margin; a two-output
   * (multinomial) binary model becomes one output, the margin difference.
   */
  private LinearModel.Builder builder(
      String name, LocalDate runDate, String loss, WeightLayout layout, double[] weights) {
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
    if (in.task() == Task.BINARY && outputs == 2) {
      double[][] diff = {new double[d]};
      for (int j = 0; j < d; j++) {
        diff[0][j] = coefficients[1][j] - coefficients[0][j];
      }
      coefficients = diff;
      intercepts = new double[] {intercepts[1] - intercepts[0]};
    }
    return LinearModel.builder(name, runDate, in.task(), loss)
        .classes(in.classes())
        .weights(in.features(), coefficients, intercepts, layout.fitIntercept());
  }

  /** A metric of weights on a fit's held-out rows (early stopping and selection). */
  private final class Metric {
    private final Candidate candidate;
    private final WeightLayout layout;
    private final FitData data;
    private DistributedObjective lossObjective;

    Metric(Candidate candidate, WeightLayout layout, FitData data) {
      this.candidate = candidate;
      this.layout = layout;
      this.data = data;
    }

    double value(ValidationMetric m, double[] weights) {
      if (m == ValidationMetric.LOSS) {
        if (lossObjective == null) {
          lossObjective =
              cache.treeObjective("eval-" + data.key(), candidate.gradient(), data.eval());
        }
        return lossObjective.valueAndGradient(weights, new double[weights.length]);
      }
      LinearModel probe =
          builder(spec.modelName(), spec.runDate(), candidate.gradient().loss(), layout, weights)
              .scaling(in.centers(), in.scales())
              .build();
      return MetricKernels.compute(
          Scoring.score(data.eval(), probe), m.spec(), in.task(), in.classes().size());
    }
  }

  @Override
  public void release(String key) {
    cache.release(key);
    cache.release("eval-" + key);
  }

  @Override
  public void close() {
    cache.close();
  }
}

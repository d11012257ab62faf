package dev.arbor.train;

import static org.apache.spark.sql.functions.col;

import dev.arbor.ConfigException;
import dev.arbor.eval.metrics.MetricKernels;
import dev.arbor.model.Model;
import dev.arbor.model.NetworkModel;
import dev.arbor.model.NetworkScoring;
import dev.arbor.model.TrainingStep;
import dev.arbor.nn.Architecture;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.Result;
import dev.arbor.optim.config.OptimizerKind;
import dev.arbor.optim.config.Optimizers;
import dev.arbor.optim.run.DivergenceBackoff;
import dev.arbor.train.data.TrainingBlocks;
import dev.arbor.train.nn.NetworkObjective;
import dev.arbor.train.nn.NetworkSettings;
import dev.arbor.train.pass.GradientSettings;
import dev.arbor.train.pass.TrainingObjectives;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network family's {@link CandidateFitter}: a multilayer perceptron ({@link NetworkSettings})
 * trained by the candidate's optimizer over a {@link NetworkObjective} on cached blocks —
 * mini-batch optimizers as local steps averaged every {@code train.mlp.average-every} steps, L-BFGS
 * and gradient descent on the full batch. Starts from a seeded He/Glorot initialization or a warm
 * start from an earlier network of the same architecture. Not thread-safe; one per run.
 */
final class NetworkFitter implements CandidateFitter<NetworkFitter.NetworkFit> {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkFitter.class);

  private final TrainingSpec spec;
  private final TrainInputs in;
  private final Configuration hadoop;
  private final Map<String, TrainingBlocks> blocks = new HashMap<>();

  /** A network fit: the weights in its architecture's layout. */
  record NetworkFit(
      double[] weights,
      Architecture architecture,
      double objective,
      String optimizer,
      String stopReason,
      List<TrainingStep> history)
      implements CandidateFit {}

  NetworkFitter(TrainingSpec spec, TrainInputs in, Configuration hadoop) {
    this.spec = spec;
    this.in = in;
    this.hadoop = hadoop;
  }

  private Architecture architecture(Candidate c) {
    return c.network()
        .orElseThrow()
        .architecture(
            in.features().size(),
            in.task(),
            in.classes().size(),
            c.gradient().loss(),
            c.gradient().huberDelta());
  }

  @Override
  public NetworkFit fit(Candidate c, FitData data, TrainingMonitors monitors) {
    NetworkSettings ns = c.network().orElseThrow();
    Architecture arch = architecture(c);
    boolean stochastic =
        c.optimizer().name() != OptimizerKind.LBFGS
            && c.optimizer().name() != OptimizerKind.OWLQN
            && c.optimizer().name() != OptimizerKind.GD;
    if (ns.dropout() > 0 && !stochastic) {
      throw new ConfigException(
          "Invalid config value for 'train.mlp.dropout': "
              + ns.dropout()
              + " (expected 0 with train.optimizer.name = "
              + c.optimizer().name().name().toLowerCase(java.util.Locale.ROOT)
              + ": dropout needs a mini-batch optimizer)");
    }
    Regularization base = c.regularization().regularization();
    if (base.hasL1()) {
      throw new ConfigException(
          "Invalid config value for 'train.regularization.type': "
              + c.regularization().type().name().toLowerCase(java.util.Locale.ROOT)
              + " (expected none or l2 for an mlp)");
    }
    NetworkObjective objective =
        new NetworkObjective(
            blocks(data.key(), c.gradient(), shards(data.train(), ns.partitions())),
            arch,
            c.gradient().aggregationDepth(),
            spec.seed());
    int averageEvery = stochastic ? ns.averageEvery() : 0;
    Optimizer optimizer = Optimizers.create(c.optimizer(), averageEvery);
    Regularization regularization = base.excluding(biasIndices(arch));
    double[] initial = initialWeights(arch);
    Metric metric = new Metric(c, arch, data);
    TrainingMonitor monitor =
        monitors.start(
            c, data, initial, w -> metric.value(c.train().earlyStopping().orElseThrow(), w));
    LOG.info(
        "Candidate {}{}: network {}, optimizer {}, regularization {}",
        c.index(),
        monitor.foldLabel(),
        arch,
        optimizer,
        regularization);
    Problem problem =
        Problem.of(objective, initial)
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
            && stochastic;
    Result result =
        backoff
            ? DivergenceBackoff.minimize(
                problem,
                c.optimizer().learningRate(),
                rate -> Optimizers.create(c.optimizer().withLearningRate(rate), averageEvery))
            : optimizer.minimize(problem);
    TrainingMonitor.Kept kept = monitor.finish(result);
    LOG.info("Candidate {}: {}", c.index(), result);
    double objectiveValue =
        kept.restored() ? result.history().get(kept.iteration() - 1).loss() : result.loss();
    return new NetworkFit(
        kept.weights(),
        arch,
        objectiveValue,
        optimizer.toString(),
        result.stopReason().name(),
        TrainingMonitor.steps(result.history()));
  }

  private static int[] biasIndices(Architecture arch) {
    boolean[] regularized = arch.regularized();
    int n = 0;
    for (boolean r : regularized) {
      n += r ? 0 : 1;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < regularized.length; i++) {
      if (!regularized[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /**
   * The seeded initialization, or with {@code train.warm-start} an earlier network of the same
   * architecture and features, its first layer moved from yesterday's prepared space into today's
   * (as the linear family moves its weights).
   */
  private double[] initialWeights(Architecture arch) {
    return WarmStart.fromEarlierModel(
        spec,
        hadoop,
        arch.initialWeights(spec.seed()),
        "the seeded initialization",
        read -> {
          if (!(read instanceof NetworkModel previous)) {
            return "it is a " + read.family() + " model, not an mlp";
          } else if (!previous.features().equals(in.features())) {
            return "its features differ";
          } else if (!previous.architecture().equals(arch)) {
            return "its architecture is "
                + previous.architecture().describe()
                + ", not "
                + arch.describe();
          }
          return null;
        },
        read -> ((NetworkModel) read).weightsIn(in.centers(), in.scales()));
  }

  private TrainingBlocks blocks(String key, GradientSettings g, Dataset<Row> data) {
    String k = key + "|" + g.classWeights() + "|" + g.classWeightValues();
    return blocks.computeIfAbsent(
        k, x -> TrainingObjectives.blocks(data, in.features(), in.classes(), g));
  }

  /**
   * The training rows in {@code partitions} shards ({@code 0}: the default parallelism): as they
   * are when the count already matches, else spread by a hash of {@code row_id} and sorted by it
   * within each shard, so that the shards and their row order are the same on every run.
   */
  private static Dataset<Row> shards(Dataset<Row> data, int partitions) {
    int n = partitions > 0 ? partitions : data.sparkSession().sparkContext().defaultParallelism();
    if (data.rdd().getNumPartitions() == n) {
      return data;
    }
    LOG.info("Spreading the training rows over {} shards (train.mlp.partitions)", n);
    return data.repartition(n, col("row_id")).sortWithinPartitions(col("row_id"));
  }

  @Override
  public double evaluate(Candidate c, NetworkFit fit, FitData data, ValidationMetric metric) {
    return new Metric(c, fit.architecture(), data).value(metric, fit.weights());
  }

  @Override
  public Model model(Candidate c, NetworkFit fit, ModelMetadata meta) {
    return probe(c, fit.architecture(), fit.weights())
        .withTraining(
            meta.prepModel(),
            meta.config(),
            meta.dataFingerprint(),
            fit.optimizer(),
            fit.stopReason(),
            fit.objective(),
            fit.history(),
            meta.candidates(),
            meta.versions());
  }

  /** A model of {@code weights} without training records (for validation metrics). */
  private NetworkModel probe(Candidate c, Architecture arch, double[] weights) {
    return NetworkModel.of(
        spec.modelName(),
        spec.runDate(),
        in.task(),
        c.gradient().loss(),
        in.classes(),
        in.features(),
        arch,
        weights,
        in.centers(),
        in.scales());
  }

  /** A metric of weights on a fit's held-out rows (early stopping and selection). */
  private final class Metric {
    private final Candidate candidate;
    private final Architecture arch;
    private final FitData data;
    private NetworkObjective lossObjective;

    Metric(Candidate candidate, Architecture arch, FitData data) {
      this.candidate = candidate;
      this.arch = arch;
      this.data = data;
    }

    double value(ValidationMetric m, double[] weights) {
      if (m == ValidationMetric.LOSS) {
        if (lossObjective == null) {
          lossObjective =
              new NetworkObjective(
                  blocks("eval-" + data.key(), candidate.gradient(), data.eval()),
                  arch,
                  candidate.gradient().aggregationDepth(),
                  spec.seed());
        }
        return lossObjective.valueAndGradient(weights, new double[weights.length]);
      }
      return MetricKernels.compute(
          NetworkScoring.score(data.eval(), probe(candidate, arch, weights), 0.5),
          m.spec(),
          in.task(),
          in.classes().size());
    }
  }

  @Override
  public void release(String key) {
    for (String prefix : List.of(key + "|", "eval-" + key + "|")) {
      blocks
          .entrySet()
          .removeIf(
              e -> {
                if (e.getKey().startsWith(prefix)) {
                  e.getValue().close();
                  return true;
                }
                return false;
              });
    }
  }

  @Override
  public void close() {
    blocks.values().forEach(TrainingBlocks::close);
    blocks.clear();
  }
}

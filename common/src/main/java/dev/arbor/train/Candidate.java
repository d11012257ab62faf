package dev.arbor.train;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import dev.arbor.optim.config.OptimizerSettings;
import dev.arbor.optim.config.RegularizationSettings;
import dev.arbor.train.nn.NetworkSettings;
import dev.arbor.train.pass.GradientSettings;
import java.util.Map;
import java.util.Optional;

/**
 * One model-selection candidate with its resolved settings: the base config with the candidate's
 * overrides applied, every section parsed and validated at the stage boundary ({@link
 * TrainingSpec#from}), so a bad candidate fails before any Spark work. Immutable. A model family
 * whose fitter needs settings of its own adds them here, resolved in {@link #resolve}.
 *
 * @param index 0-based position in {@code train.candidates} (0 without a grid)
 * @param overrides the candidate's overrides as written
 * @param gradient loss and data-layout settings
 * @param optimizer optimizer settings
 * @param regularization penalty settings
 * @param train orchestration settings (solver, early stopping)
 * @param closedForm whether the squared loss is solved in closed form
 * @param network the network family's settings ({@code train.model = mlp}), empty for linear
 */
public record Candidate(
    int index,
    Map<String, Object> overrides,
    GradientSettings gradient,
    OptimizerSettings optimizer,
    RegularizationSettings regularization,
    TrainSettings train,
    boolean closedForm,
    Optional<NetworkSettings> network) {

  /** Resolves a candidate from the base config and its overrides. */
  static Candidate resolve(ArborConfig base, int index, Map<String, Object> overrides) {
    ArborConfig config = base;
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      config = config.with(e.getKey(), e.getValue());
    }
    GradientSettings gradient = GradientSettings.from(config);
    OptimizerSettings optimizer = OptimizerSettings.from(config);
    RegularizationSettings regularization = RegularizationSettings.from(config);
    TrainSettings train = TrainSettings.ofCandidate(config);
    Optional<NetworkSettings> network =
        NetworkSettings.selected(config)
            ? Optional.of(NetworkSettings.from(config))
            : Optional.empty();
    if (network.isPresent()) {
      // Before any Spark work: the loss must be the one the task's output layer minimizes.
      Task task;
      try {
        task = Task.fromConfigName(config.string("schema.task"));
      } catch (IllegalArgumentException e) {
        task = null; // reported by the schema's own check
      }
      if (task != null) {
        NetworkSettings.checkLoss(task, gradient.loss());
      }
    }
    if (network.isPresent() && train.solver() == TrainSettings.Solver.NORMAL) {
      throw new ConfigException(
          "Invalid config value for 'train.solver': normal (expected auto or iterative: an mlp has"
              + " no closed form)");
    }
    boolean squaredWithoutL1 =
        network.isEmpty()
            && gradient.loss().equals("squared")
            && !regularization.regularization().hasL1();
    if (train.solver() == TrainSettings.Solver.NORMAL && !squaredWithoutL1) {
      throw new ConfigException(
          "Invalid config value for 'train.solver': normal (expected auto or iterative: the"
              + " closed form needs train.loss = squared without L1, got loss "
              + gradient.loss()
              + " and regularization "
              + regularization.type().name().toLowerCase(java.util.Locale.ROOT)
              + (index > 0 || !overrides.isEmpty() ? ", candidate " + index : "")
              + ")");
    }
    boolean closedForm = squaredWithoutL1 && train.solver() != TrainSettings.Solver.ITERATIVE;
    return new Candidate(
        index, overrides, gradient, optimizer, regularization, train, closedForm, network);
  }

  /** The overrides as strings, for the model's candidate table. */
  public Map<String, String> overrideStrings() {
    java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
    overrides.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}

package dev.arbor.train;

import com.typesafe.config.ConfigValue;
import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import dev.arbor.model.ModelStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The orchestration keys of the {@code train} stage (see {@code conf/arbor.conf}): solver choice,
 * logging, checkpoints, early stopping, warm start, model-selection candidates and
 * cross-validation. The loss/data keys ({@code dev.arbor.train.pass.GradientSettings}) and the
 * optimizer keys ({@code dev.arbor.optim.config}) are read by their own settings records.
 * Immutable; validated on construction, errors name the key.
 *
 * @param solver how a squared loss without L1 is solved
 * @param logEvery log one line every N iterations
 * @param checkpointEvery checkpoint every N iterations, 0 = never
 * @param earlyStopping the early-stopping metric, or empty when off
 * @param patience evaluations without improvement before stopping
 * @param evaluateEvery evaluate the early-stopping metric every N iterations
 * @param warmStart {@code none}, {@code previous} or a model path
 * @param candidates each candidate's overrides ({@code key -> value} in config order), from {@code
 *     train.candidates} or expanded from {@code train.grid} ({@link CandidateGrid}); empty: the
 *     config as is
 * @param selectionMetric the model-selection metric, empty for the task's default
 * @param cvFolds k for k-fold cross-validation, 0 = use the validation split
 * @param onDivergence what a diverged optimizer run does: fail, or back off the learning rate
 */
public record TrainSettings(
    Solver solver,
    int logEvery,
    int checkpointEvery,
    Optional<ValidationMetric> earlyStopping,
    int patience,
    int evaluateEvery,
    String warmStart,
    List<Map<String, Object>> candidates,
    Optional<ValidationMetric> selectionMetric,
    int cvFolds,
    OnDivergence onDivergence) {

  /** What a diverged optimizer run does ({@code train.on-divergence}). */
  public enum OnDivergence {
    /** The stage fails (exit 1), naming the iteration and the loss; no model is written. */
    FAIL,
    /**
     * Halve the learning rate and continue from the best weights so far ({@link
     * dev.arbor.optim.run.DivergenceBackoff}); fails as {@link #FAIL} when it still diverges.
     */
    BACKOFF
  }

  /** How a squared loss without L1 is solved. */
  public enum Solver {
    /** Closed form when possible, else the configured optimizer. */
    AUTO,
    /** Closed form; an error for other losses or with L1. */
    NORMAL,
    /** Always the configured optimizer. */
    ITERATIVE
  }

  public TrainSettings {
    candidates = candidates.stream().map(m -> Map.copyOf(m)).toList();
  }

  /** Reads and validates the keys, the candidates included. */
  public static TrainSettings from(ArborConfig config) {
    return from(config, true);
  }

  /**
   * Reads and validates the keys of one candidate's config: as {@link #from} without expanding the
   * candidates again ({@link #candidates()} is empty; the run's list is the base config's).
   */
  static TrainSettings ofCandidate(ArborConfig config) {
    return from(config, false);
  }

  private static TrainSettings from(ArborConfig config, boolean withCandidates) {
    Solver solver = config.enumValue("train.solver", Solver.class);
    int logEvery = config.intInRange("train.log-every", 1, Integer.MAX_VALUE);
    int checkpointEvery = config.intInRange("train.checkpoint-every", 0, Integer.MAX_VALUE);
    String es = config.string("train.early-stopping.metric");
    Optional<ValidationMetric> early =
        es.equalsIgnoreCase("none")
            ? Optional.empty()
            : Optional.of(ValidationMetric.fromConfig(config, "train.early-stopping.metric"));
    int patience = config.intInRange("train.early-stopping.patience", 1, Integer.MAX_VALUE);
    int every = config.intInRange("train.early-stopping.every", 1, Integer.MAX_VALUE);
    String warm = config.string("train.warm-start");
    ConfigException.check(
        !warm.isBlank(),
        "Invalid config value for 'train.warm-start': \"\" (expected none, previous or a path)");
    String sel = config.string("train.selection-metric");
    Optional<ValidationMetric> selection =
        sel.equalsIgnoreCase("auto")
            ? Optional.empty()
            : Optional.of(ValidationMetric.fromConfig(config, "train.selection-metric"));
    int folds = config.intInRange("train.cv-folds", 0, 100);
    ConfigException.check(
        folds != 1,
        "Invalid config value for 'train.cv-folds': 1 (expected 0 (off) or an integer in [2, 100])");
    return new TrainSettings(
        solver,
        logEvery,
        checkpointEvery,
        early,
        patience,
        every,
        warm,
        withCandidates ? candidates(config) : List.of(),
        selection,
        folds,
        config.enumValue("train.on-divergence", OnDivergence.class));
  }

  /**
   * The candidates' overrides. Each must be an object whose keys are known config keys under {@code
   * train.} other than the orchestration keys of this record.
   */
  static List<Map<String, Object>> candidates(ArborConfig config) {
    List<Map<String, Object>> grid = CandidateGrid.expand(config);
    List<Map<String, Object>> listed = listedCandidates(config);
    ConfigException.check(
        grid.isEmpty() || listed.isEmpty(),
        "Invalid config: '%s' and 'train.candidates' cannot both be set (expected one of them, got"
            + " %d grid and %d listed candidates)",
        CandidateGrid.KEY,
        grid.size(),
        listed.size());
    for (Map<String, Object> overrides : grid) {
      for (Map.Entry<String, Object> e : overrides.entrySet()) {
        checkOverride(config, e.getKey(), e.getValue(), CandidateGrid.KEY);
      }
    }
    return grid.isEmpty() ? listed : grid;
  }

  private static List<Map<String, Object>> listedCandidates(ArborConfig config) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<? extends ConfigValue> list;
    try {
      list = config.raw().getList("train.candidates");
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(
          "Invalid config value for 'train.candidates': " + e.getMessage(), e);
    }
    for (int i = 0; i < list.size(); i++) {
      ConfigValue v = list.get(i);
      if (!(v.unwrapped() instanceof Map<?, ?> raw)) {
        throw ArborConfig.outOfRange(
            "train.candidates[" + i + "]", v.render(), "an object of config overrides");
      }
      Map<String, Object> overrides = new LinkedHashMap<>();
      flatten("", raw, overrides);
      for (Map.Entry<String, Object> e : overrides.entrySet()) {
        checkOverride(config, e.getKey(), e.getValue(), "train.candidates[" + i + "]");
      }
      out.add(overrides);
    }
    return out;
  }

  /**
   * Checks that a candidate may override {@code key}: a known key under {@code train.} other than
   * the orchestration keys (types and ranges are checked when the candidate is built).
   */
  private static void checkOverride(ArborConfig config, String key, Object value, String where) {
    ConfigException.check(
        key.startsWith("train.") && !ORCHESTRATION.contains(key.split("\\.")[1]),
        "Invalid key '%s' in %s (expected a train.* key other than %s)",
        key,
        where,
        ORCHESTRATION);
    config.with(key, value);
  }

  /** Second-level keys under {@code train.} that a candidate cannot override. */
  static final List<String> ORCHESTRATION =
      List.of(
          "log-every",
          "checkpoint-every",
          "resume",
          "warm-start",
          "candidates",
          "grid",
          "grid-max-candidates",
          "selection-metric",
          "cv-folds",
          "block-size",
          "precision");

  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
        flatten(key + ".", nested, out);
      } else {
        out.put(key, e.getValue());
      }
    }
  }

  /** The selection metric for {@code task}. */
  public ValidationMetric selectionMetric(Task task) {
    return selectionMetric.orElse(ValidationMetric.defaultFor(task));
  }

  /**
   * The model file {@code train.warm-start} names for a run: none for {@code none}; for {@code
   * previous}, the model's latest model before {@code runDate} under {@code outputRoot}, if any;
   * else the configured path.
   */
  public Optional<String> warmStartModel(
      String outputRoot, String modelName, LocalDate runDate, Configuration hadoop) {
    if (warmStart.equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    return warmStart.equalsIgnoreCase("previous")
        ? ModelStore.latestBefore(outputRoot, modelName, runDate, hadoop)
        : Optional.of(warmStart);
  }
}

package dev.arbor.runs;

import dev.arbor.catalog.StageOutcome;
import dev.arbor.config.ArborConfig;
import dev.arbor.spark.JobContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One stage of a run (prepare, train, evaluate, ...), as {@link StageRunner} sees it: what it
 * reads, which config it depends on, what it wrote, and how to run it. A stage is skipped only when
 * its recorded outcome succeeded with the same {@link #inputFingerprint} and {@link #configHash}
 * and its recorded output fingerprint equals {@link #outputFingerprint} now (its outputs exist and
 * are the ones it wrote).
 *
 * <p>Fingerprints must be cheap (file listings, small files): they are computed before every run.
 */
public interface Step {
  /** The stage's name: {@code prepare}, {@code train}, ...; the key in {@code runs.stages}. */
  String name();

  /**
   * The config paths the stage's result depends on (sections such as {@code train}, or single
   * keys); {@link #configHash} hashes only these.
   */
  List<String> configPaths();

  /** Config keys under {@link #configPaths} that do not change the result (e.g. log frequency). */
  default List<String> configKeysIgnored() {
    return List.of();
  }

  /** SHA-256 of the canonical JSON of {@link #configPaths} minus {@link #configKeysIgnored}. */
  default String configHash(ArborConfig config) {
    return Fingerprints.ofConfig(config, configPaths(), configKeysIgnored());
  }

  /** A fingerprint of everything the stage reads (input files, an earlier stage's outputs). */
  String inputFingerprint(JobContext context);

  /** A fingerprint of the stage's committed outputs, or empty when they do not exist. */
  Optional<String> outputFingerprint(JobContext context);

  /**
   * Runs the stage; returns one line for the user. Throws on failure, after which its outputs must
   * be as before (every stage commits atomically).
   */
  String run(JobContext context, Attempt attempt);

  /**
   * What the runner knows when a stage starts.
   *
   * @param completed the still-valid outcomes of the earlier stages, by name, in order
   * @param starting this stage's outcome so far ({@link StageOutcome#starting}: input, config)
   * @param previous this stage's recorded outcome before this attempt (e.g. a failure), or null
   * @param forced whether the run was forced ({@code --force})
   */
  record Attempt(
      Map<String, StageOutcome> completed,
      StageOutcome starting,
      StageOutcome previous,
      boolean forced) {
    public Attempt {
      completed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(completed));
    }

    /** An attempt that was not forced. */
    public Attempt(
        Map<String, StageOutcome> completed, StageOutcome starting, StageOutcome previous) {
      this(completed, starting, previous, false);
    }

    /** Whether the previous attempt failed on the same input and config (a retry). */
    public boolean retriesAFailure() {
      return previous != null
          && !previous.succeeded()
          && starting.inputFingerprint().equals(previous.inputFingerprint())
          && starting.configHash().equals(previous.configHash());
    }
  }

  /**
   * Whether the stage writes the run row itself, with its own outcome in it ({@code evaluate}: the
   * row is its commit marker); otherwise {@link StageRunner} records the outcome through the
   * ledger.
   */
  default boolean recordsItself() {
    return false;
  }
}

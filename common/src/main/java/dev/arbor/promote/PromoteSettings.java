package dev.arbor.promote;

import dev.arbor.config.ArborConfig;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.ingest.Task;
import dev.arbor.prep.PrepareSettings;
import java.util.Objects;

/**
 * Settings of the promotion gate (section {@code promote} of {@code conf/arbor.conf}, plus the
 * sections it shares with {@code evaluate} and {@code prepare}). Immutable.
 *
 * @param enabled whether the gate runs ({@code promote.enabled})
 * @param metric the metric compared, resolved for {@code schema.task} ({@code promote.metric})
 * @param tolerance how much worse than the champion the challenger may be, in the metric's units, ≥
 *     0 ({@code promote.tolerance})
 * @param onReject what a rejection does to the job ({@code promote.on-reject})
 * @param requireDataChecks whether the run must pass its data checks ({@code
 *     promote.require-data-checks})
 * @param maxRejectedFraction the data check on prepare's rejects, 0 to 1 ({@code
 *     promote.max-rejected-fraction})
 * @param evaluate where the run's tables, model and prepared splits are (model name, output root,
 *     catalog, metric settings)
 * @param prepare where the run's raw input is (the champion's prep model is applied to it)
 */
public record PromoteSettings(
    boolean enabled,
    GateMetric metric,
    double tolerance,
    OnReject onReject,
    boolean requireDataChecks,
    double maxRejectedFraction,
    EvaluateSettings evaluate,
    PrepareSettings prepare) {

  public PromoteSettings {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(onReject, "onReject");
    Objects.requireNonNull(evaluate, "evaluate");
    Objects.requireNonNull(prepare, "prepare");
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException(
          "Invalid tolerance: " + tolerance + " (expected a finite number >= 0)");
    }
  }

  /**
   * Reads the settings from the resolved configuration.
   *
   * @throws dev.arbor.ConfigException naming the key when a value is out of range or the metric
   *     does not exist for {@code schema.task}
   */
  public static PromoteSettings from(ArborConfig config) {
    Task task = config.enumValue("schema.task", Task.class);
    String configured = config.string("promote.metric");
    GateMetric metric =
        GateMetric.of(configured, task)
            .orElseThrow(
                () ->
                    ArborConfig.outOfRange(
                        "promote.metric",
                        configured,
                        "one of " + GateMetric.allowedFor(task) + " for task " + task));
    double tolerance = config.number("promote.tolerance");
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw ArborConfig.outOfRange("promote.tolerance", tolerance, "a finite number >= 0");
    }
    return new PromoteSettings(
        config.bool("promote.enabled"),
        metric,
        tolerance,
        config.enumValue("promote.on-reject", OnReject.class),
        config.bool("promote.require-data-checks"),
        config.numberInRange("promote.max-rejected-fraction", 0, 1),
        EvaluateSettings.from(config),
        PrepareSettings.from(config));
  }

  /** The model name ({@code model.name}). */
  public String modelName() {
    return evaluate.modelName();
  }

  /** The output root ({@code output.root}). */
  public String outputRoot() {
    return evaluate.outputRoot();
  }
}

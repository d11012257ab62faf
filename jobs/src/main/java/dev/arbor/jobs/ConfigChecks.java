package dev.arbor.jobs;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.config.RunDate;
import dev.arbor.demo.DemoSettings;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.optim.config.OptimizerSettings;
import dev.arbor.optim.config.RegularizationSettings;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.promote.PromoteSettings;
import dev.arbor.train.TrainSettings;
import dev.arbor.train.TrainingSpec;

/**
 * The configuration checks that run before Spark starts. {@link #common} runs for every Spark
 * command (real run and {@code --dry-run} alike), so a dry run accepts exactly what the real run
 * accepts; {@link #everyStage} is what {@code arbor config} validates: every section.
 */
final class ConfigChecks {
  private ConfigChecks() {}

  /**
   * What every command reads or writes: the model name, the catalog (name, namespace, type, URI,
   * warehouse: every stage opens the runs table), and the output folders against the inputs.
   *
   * @throws dev.arbor.ConfigException (exit 3) naming the key and the value
   */
  static void common(ArborConfig config) {
    String model = config.string("model.name");
    if (!model.matches("[A-Za-z0-9_]+")) {
      throw ArborConfig.outOfRange("model.name", model, "letters, digits and underscores only");
    }
    CatalogSettings.from(config);
    Targets.checkConfigured(config);
  }

  /** {@link #common} and the settings of every stage. */
  static void everyStage(ArborConfig config) {
    common(config);
    DemoSettings.from(config);
    PrepareSettings.from(config);
    TrainSettings.from(config);
    OptimizerSettings.from(config);
    RegularizationSettings.from(config);
    TrainingSpec.from(config, RunDate.fromConfig(config));
    EvaluateSettings.from(config);
    PromoteSettings.from(config);
  }
}

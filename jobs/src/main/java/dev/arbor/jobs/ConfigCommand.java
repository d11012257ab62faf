package dev.arbor.jobs;

import dev.arbor.ExitCode;
import dev.arbor.config.ArborConfig;
import picocli.CommandLine.Command;

/** {@code arbor config}: validates the configuration and prints it resolved, secrets redacted. */
@Command(
    name = "config",
    description = {
      "Validates the configuration and prints it resolved (defaults < --config < --set),"
          + " secrets redacted. Does not start Spark."
    })
final class ConfigCommand extends ConfiguredCommand {
  @Override
  public Integer call() {
    ArborConfig config = resolveConfig();
    // Every check a real run makes before Spark, for every stage: "valid" means valid.
    ConfigChecks.everyStage(config);
    spec().commandLine().getOut().print(config.renderRedacted());
    spec().commandLine().getOut().flush();
    return ExitCode.OK.code();
  }
}

package dev.arbor.jobs;

import dev.arbor.ExitCode;
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
    spec().commandLine().getOut().print(resolveConfig().renderRedacted());
    spec().commandLine().getOut().flush();
    return ExitCode.OK.code();
  }
}

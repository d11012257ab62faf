package dev.arbor.jobs;

import dev.arbor.config.ArborConfig;
import dev.arbor.config.RunDate;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * A command that reads the Arbor configuration: the options {@code --config FILE}, {@code --set
 * key=value} (repeatable) and {@code --run-date YYYY-MM-DD}, and their resolution. Precedence:
 * {@code --set} &gt; {@code --config} file &gt; defaults of {@code conf/arbor.conf}; the run date
 * comes from {@code --run-date}, else from the config key {@code run.date}.
 */
public abstract class ConfiguredCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "HOCON file with the keys to change from the defaults of conf/arbor.conf.")
  private Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Overrides one config key; repeatable; wins over --config.")
  private Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--run-date",
      paramLabel = "YYYY-MM-DD",
      converter = RunDateConverter.class,
      description = "Logical date of the run (default: config key run.date).")
  private LocalDate runDate;

  /** This command's picocli model (its name, its stdout and stderr writers). */
  protected final CommandSpec spec() {
    return spec;
  }

  /** Whether {@code --run-date} was given (rather than taken from {@code run.date}). */
  protected final boolean runDateGiven() {
    return runDate != null;
  }

  /**
   * The validated configuration, with {@code run.date} set to the resolved run date.
   *
   * @throws dev.arbor.ConfigException for an unknown key, a wrong type or a bad {@code run.date}
   */
  protected final ArborConfig resolveConfig() {
    ArborConfig config = ArborConfig.load(configFile, overrides);
    LocalDate date = runDate != null ? runDate : RunDate.fromConfig(config);
    return config.with(RunDate.KEY, date.toString());
  }

  /** Parses {@code --run-date} strictly; a bad value is a usage error naming it. */
  static final class RunDateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      return RunDate.parse(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "'" + value + "' (expected " + RunDate.EXPECTED + ")"));
    }
  }
}

package dev.arbor.pipeline;

import dev.arbor.config.ArborConfig;
import dev.arbor.prep.PrepareSettings;
import dev.arbor.prep.PrepareStage;
import dev.arbor.runs.Fingerprints;
import dev.arbor.runs.Step;
import dev.arbor.spark.JobContext;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code prepare} as a {@link Step}: input = the input files (the run date's partition when
 * date-partitioned) and the separate test input; config = sections {@code input}, {@code schema},
 * {@code prepare}; output = the committed prepared folder.
 */
final class PrepareStep implements Step {
  static final String NAME = "prepare";

  /** The settings of {@link #settingsConfig}, resolved once per config. */
  private PrepareSettings settings;

  private ArborConfig settingsConfig;

  @Override
  public String name() {
    return NAME;
  }

  private PrepareSettings settings(JobContext c) {
    if (settingsConfig != c.config()) {
      settings = PrepareSettings.from(c.config());
      settingsConfig = c.config();
    }
    return settings;
  }

  @Override
  public List<String> configPaths() {
    return List.of("input", "schema", "prepare");
  }

  @Override
  public String inputFingerprint(JobContext c) {
    PrepareSettings s = settings(c);
    // The embedded demo input is written on first use: fingerprint what prepare will read.
    PrepareStage.ensureDemoInput(c.spark(), s);
    Configuration conf = c.spark().sparkContext().hadoopConfiguration();
    String input =
        s.datePartitionColumn() == null
            ? s.inputPath()
            : s.inputPath() + "/" + s.datePartitionColumn() + "=" + c.runDate();
    return Fingerprints.combine(
        files(input, conf), s.testPath() == null ? "" : files(s.testPath(), conf));
  }

  @Override
  public Optional<String> outputFingerprint(JobContext c) {
    return Fingerprints.ofFiles(
        Pipeline.preparedDir(c), c.spark().sparkContext().hadoopConfiguration());
  }

  @Override
  public String run(JobContext c, Attempt attempt) {
    return PrepareStage.run(c.spark(), settings(c), c.runDate()).summaryLine();
  }

  static String files(String path, Configuration conf) {
    return Fingerprints.ofFiles(path, conf).orElse("absent:" + path);
  }
}

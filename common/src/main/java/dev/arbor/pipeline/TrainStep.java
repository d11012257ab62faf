package dev.arbor.pipeline;

import dev.arbor.runs.Fingerprints;
import dev.arbor.runs.Step;
import dev.arbor.spark.JobContext;
import dev.arbor.train.TrainSettings;
import dev.arbor.train.TrainStage;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code train} as a {@link Step}: input = the prepared folder and the warm-start model, if any;
 * config = section {@code train} without {@code train.resume}, {@code train.log-every} and {@code
 * train.checkpoint-every} (they change how it runs, not the model); output = the model file.
 */
final class TrainStep implements Step {
  static final String NAME = "train";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> configPaths() {
    return List.of("train");
  }

  @Override
  public List<String> configKeysIgnored() {
    return List.of("train.resume", "train.log-every", "train.checkpoint-every");
  }

  @Override
  public String inputFingerprint(JobContext c) {
    Configuration conf = c.spark().sparkContext().hadoopConfiguration();
    Optional<String> warmModel =
        TrainSettings.from(c.config())
            .warmStartModel(
                c.config().string("output.root"),
                c.config().string("model.name"),
                c.runDate(),
                conf);
    return Fingerprints.combine(
        PrepareStep.files(Pipeline.preparedDir(c), conf),
        warmModel.map(p -> p + " " + PrepareStep.files(p, conf)).orElse(""));
  }

  @Override
  public Optional<String> outputFingerprint(JobContext c) {
    return Fingerprints.ofFiles(
        Pipeline.modelPath(c), c.spark().sparkContext().hadoopConfiguration());
  }

  @Override
  public String run(JobContext c, Attempt attempt) {
    // A retry of a failed train on the same splits and config continues from its checkpoint.
    JobContext context = attempt.retriesAFailure() ? c.withResume() : c;
    TrainStage.Outcome outcome = TrainStage.run(context);
    return String.format(
        "trained %s (%s, %s, objective %s, %d iterations) in %.1f s -> %s",
        outcome.model().name(),
        outcome.model().task(),
        outcome.model().optimizer(),
        outcome.model().trainObjective(),
        outcome.model().history().size(),
        java.time.Duration.between(attempt.starting().startedAt(), java.time.Instant.now())
                .toMillis()
            / 1000.0,
        outcome.modelPath());
  }
}

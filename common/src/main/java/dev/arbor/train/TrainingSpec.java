package dev.arbor.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.config.ArborConfig;
import dev.arbor.model.DataFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run takes from the configuration, resolved once at the stage boundary
 * ({@link #from}): below it ({@link Trainer}, the fitters, the monitor) no class reads {@code
 * ArborConfig}. Immutable.
 *
 * @param modelName {@code model.name}
 * @param outputRoot {@code output.root}
 * @param runDate the logical run date
 * @param seed {@code train.seed}
 * @param settings the base orchestration settings
 * @param candidates the resolved candidates (one without a grid)
 * @param backend {@code train.backend} as configured ({@code tree}, {@code sql} or {@code auto})
 * @param config the resolved configuration as JSON (what the model records; the run id's input)
 * @param configHash SHA-256 of {@code config} (checkpoints of another config are never resumed)
 * @param resume whether the run continues from a matching checkpoint (a request, not a setting: it
 *     is in neither {@code config} nor {@code configHash})
 */
public record TrainingSpec(
    String modelName,
    String outputRoot,
    LocalDate runDate,
    long seed,
    TrainSettings settings,
    List<Candidate> candidates,
    String backend,
    JsonNode config,
    String configHash,
    boolean resume) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public TrainingSpec {
    candidates = List.copyOf(candidates);
  }

  /** The spec of a run that does not resume. */
  public static TrainingSpec from(ArborConfig config, LocalDate runDate) {
    return from(config, runDate, false);
  }

  /**
   * Resolves and validates the run's settings.
   *
   * @param resume whether the request asks to continue from a checkpoint ({@code --resume}); a
   *     config with {@code train.resume = true} (the older spelling of the request) asks too
   * @throws dev.arbor.ConfigException naming the key of an invalid value
   */
  public static TrainingSpec from(ArborConfig config, LocalDate runDate, boolean resume) {
    // train.resume says how the run goes, not what it makes: the request is lifted out of the
    // config here, so a resumed run records (and hashes) the config of an uninterrupted one.
    boolean requested = resume || config.bool("train.resume");
    ArborConfig resolved =
        config.bool("train.resume") ? config.with("train.resume", false) : config;
    TrainSettings settings = TrainSettings.from(resolved);
    List<Candidate> candidates = new ArrayList<>();
    if (settings.candidates().isEmpty()) {
      candidates.add(Candidate.resolve(resolved, 0, Map.of()));
    } else {
      for (int i = 0; i < settings.candidates().size(); i++) {
        candidates.add(Candidate.resolve(resolved, i, settings.candidates().get(i)));
      }
    }
    String json = resolved.canonicalJson();
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TrainingSpec(
        resolved.string("model.name"),
        resolved.string("output.root"),
        runDate,
        resolved.longValue("train.seed"),
        settings,
        candidates,
        resolved.oneOf(GradientBackend.KEY, "tree", "sql", "auto"),
        tree,
        DataFingerprint.sha256Hex(json.getBytes(StandardCharsets.UTF_8)),
        requested);
  }
}

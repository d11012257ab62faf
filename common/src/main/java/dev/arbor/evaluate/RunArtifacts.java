package dev.arbor.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.ArborException;
import dev.arbor.DataValidationException;
import dev.arbor.ExitCode;
import dev.arbor.catalog.CandidateRow;
import dev.arbor.catalog.CoefficientRow;
import dev.arbor.catalog.HistoryRow;
import dev.arbor.model.CandidateResult;
import dev.arbor.model.Model;
import dev.arbor.model.ModelStore;
import dev.arbor.model.TrainingStep;
import dev.arbor.prep.PrepModel;
import dev.arbor.prep.PrepareResult;
import dev.arbor.spark.PartFiles;
import dev.arbor.store.RunLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the {@code prepare} and {@code train} stages left for a (model, run date) and turns it
 * into {@link EvaluationInputs}: the prepared splits ({@code
 * <output.root>/prepared/<model>/run_date=<date>/{train,validation,test}}) scored with the model
 * ({@link ModelStore#modelPath}) through {@link Scoring} (the Predictions contract), the prep model
 * (its features must be the model's), the prepare summary ({@code summary.json}: row counts and
 * duration), the model's history, candidates and coefficients.
 */
public final class RunArtifacts {
  private static final Logger LOG = LoggerFactory.getLogger(RunArtifacts.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The {@code history.candidate} of the per-iteration history of the model that was kept. */
  public static final String FINAL = "final";

  private RunArtifacts() {}

  /**
   * Loads and scores the run's artifacts (lazily: the splits are read when evaluated).
   *
   * @throws ArborException (exit 1) when the prepared folder or the model is missing
   * @throws DataValidationException when the model does not fit the prepared data
   */
  public static EvaluationInputs load(SparkSession spark, EvaluateSettings s, LocalDate runDate) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    RunLayout layout = new RunLayout(s.outputRoot(), s.modelName(), runDate);
    String dir = layout.preparedDir();
    String modelPath = layout.modelFile();
    require(conf, dir + "/" + PrepModel.FILE_NAME, s, runDate, "prepare");
    require(conf, modelPath, s, runDate, "train");
    PrepModel prep = PrepModel.read(dir + "/" + PrepModel.FILE_NAME, conf);
    Model model = ModelStore.read(modelPath, conf);
    DataValidationException.check(
        model.features().equals(prep.featureNames()),
        "Cannot evaluate model %s for %s: its %d features differ from the %d of the prep model %s"
            + " (re-run train after prepare)",
        s.modelName(),
        runDate,
        model.features().size(),
        prep.featureNames().size(),
        dir);
    Map<String, Dataset<Row>> predictions = new LinkedHashMap<>();
    for (String split : EvaluateSettings.SPLITS) {
      String path = dir + "/" + split;
      if (exists(conf, path)) {
        Dataset<Row> prepared = PartFiles.read(spark, path);
        predictions.put(split, model.score(prepared, s.metrics().threshold()));
      }
    }
    JsonNode summary = readJson(conf, dir + "/" + PrepareResult.FILE_NAME);
    EvaluationInputs.RowCounts counts =
        summary == null
            ? EvaluationInputs.RowCounts.UNKNOWN
            : new EvaluationInputs.RowCounts(
                summary.path("train-rows").asLong(),
                summary.path("validation-rows").asLong(),
                summary.path("test-rows").asLong(),
                summary.path("rejected-rows").asLong()
                    + summary.path("test-input-rejected-rows").asLong());
    Long prepareMs =
        summary == null || !summary.has("seconds")
            ? null
            : Math.round(summary.path("seconds").asDouble() * 1000);
    List<TrainingStep> steps = model.history();
    Long trainMs = steps.isEmpty() ? null : steps.get(steps.size() - 1).elapsedMillis();
    LOG.info(
        "Evaluating model {} ({} features, {}) on {}",
        modelPath,
        model.features().size(),
        model.task(),
        predictions.keySet());
    return new EvaluationInputs(
        model.task(),
        model.classes(),
        predictions,
        history(model),
        candidates(model),
        coefficients(model),
        model.configJson(),
        model.dataFingerprint(),
        counts,
        prepareMs,
        trainMs);
  }

  /**
   * The history rows: every iteration of the kept model ({@value #FINAL}), then, when there were
   * several candidates, one row per candidate at its last iteration with its final objective and
   * selection score ({@code candidate-<index> key=value,…}, {@code *} marking the selected one).
   */
  static List<HistoryRow> history(Model model) {
    List<HistoryRow> out = new ArrayList<>();
    for (TrainingStep t : model.history()) {
      out.add(
          new HistoryRow(
              FINAL,
              t.iteration(),
              t.loss(),
              finiteOrNull(t.validationMetric()),
              finiteOrNull(t.gradientNorm()),
              finiteOrNull(t.stepSize()),
              t.elapsedMillis()));
    }
    if (model.candidates().size() > 1) {
      for (CandidateResult c : model.candidates()) {
        out.add(
            new HistoryRow(
                candidateName(c),
                c.iterations(),
                Double.isFinite(c.trainObjective()) ? c.trainObjective() : Double.NaN,
                finiteOrNull(c.score()),
                null,
                null,
                0L));
      }
    }
    return out;
  }

  /** {@code candidate-<index>[*] k=v,…}: how a candidate is named in {@code history}. */
  static String candidateName(CandidateResult c) {
    StringBuilder sb = new StringBuilder("candidate-").append(c.index());
    if (c.selected()) {
      sb.append('*');
    }
    new TreeMap<>(c.overrides())
        .forEach(
            (k, v) -> sb.append(sb.indexOf(" ") < 0 ? " " : ",").append(k).append('=').append(v));
    return sb.toString();
  }

  /**
   * The {@code candidates} rows: per candidate one row without fold (its score on the validation
   * split, or the mean over the folds), then under cross-validation one row per fold.
   */
  static List<CandidateRow> candidates(Model model) {
    List<CandidateRow> out = new ArrayList<>();
    for (CandidateResult c : model.candidates()) {
      String name = settingsName(c);
      String json = settingsJson(c);
      out.add(
          new CandidateRow(
              c.index(), name, json, null, c.metric(), finiteOrNull(c.score()), c.selected()));
      for (int f = 0; f < c.foldScores().size(); f++) {
        out.add(
            new CandidateRow(
                c.index(),
                name,
                json,
                f,
                c.metric(),
                finiteOrNull(c.foldScores().get(f)),
                c.selected()));
      }
    }
    return out;
  }

  /**
   * {@code key=value,…} over the overrides sorted by key, without the {@code train.} prefix every
   * override has; {@code base} without overrides.
   */
  static String settingsName(CandidateResult c) {
    if (c.overrides().isEmpty()) {
      return "base";
    }
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(c.overrides())
        .forEach(
            (k, v) ->
                sb.append(sb.length() == 0 ? "" : ",")
                    .append(k.startsWith("train.") ? k.substring("train.".length()) : k)
                    .append('=')
                    .append(v));
    return sb.toString();
  }

  private static String settingsJson(CandidateResult c) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(c.overrides()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write candidate settings as JSON", e);
    }
  }

  /** The model's {@link Model#parameterRows} as {@code coefficients} table rows. */
  static List<CoefficientRow> coefficients(Model model) {
    List<CoefficientRow> out = new ArrayList<>();
    for (Model.ParameterRow p : model.parameterRows()) {
      out.add(new CoefficientRow(p.group(), p.name(), p.value(), p.trainedValue()));
    }
    return out;
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static void require(
      Configuration conf, String path, EvaluateSettings s, LocalDate runDate, String stage) {
    if (!exists(conf, path)) {
      throw new ArborException(
          ExitCode.FAILURE,
          "Cannot evaluate model "
              + s.modelName()
              + " for "
              + runDate
              + ": missing "
              + path
              + " (run the "
              + stage
              + " stage for that date first)");
    }
  }

  private static boolean exists(Configuration conf, String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + path + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readJson(Configuration conf, String path) {
    if (!exists(conf, path)) {
      return null;
    }
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      try (InputStream in = fs.open(p)) {
        return MAPPER.readTree(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}

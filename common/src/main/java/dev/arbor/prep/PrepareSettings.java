package dev.arbor.prep;

import dev.arbor.config.ArborConfig;
import dev.arbor.demo.DemoSettings;
import dev.arbor.ingest.DatasetSchema;
import dev.arbor.store.RunLayout;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the {@code prepare} stage reads from the configuration, checked once: the {@code
 * input}, {@code output}, {@code schema}, {@code prepare} and {@code demo} sections. Immutable.
 *
 * @param inputPath Parquet path or glob of the input
 * @param datePartitionColumn partition column selected by the run date, or {@code null}
 * @param testPath separate test input replacing the test fraction, or {@code null}
 * @param generateDemoIfMissing write the demo dataset to {@code inputPath} when it is missing
 * @param outputRoot root folder of every output
 * @param modelName names the output folder
 * @param schema the declared input schema
 * @param maxRejectedFraction the run fails when more of the input is rejected
 * @param nonFinitePolicy what happens to NaN and infinite feature values
 * @param defaultImpute how missing numeric values are filled
 * @param imputeOverrides per-column rules, by input column name
 * @param topK one-hot columns per categorical column (plus "other")
 * @param missingAsCategory whether a missing category value is a category of its own
 * @param drop the reference level left out of each categorical column's one-hot columns
 * @param dropOverrides per-column reference levels, by categorical column name
 * @param scale how numeric features are scaled
 * @param split split fractions, seed and stratification
 * @param demo the demo dataset written when the input is missing
 */
public record PrepareSettings(
    String inputPath,
    String datePartitionColumn,
    String testPath,
    boolean generateDemoIfMissing,
    String outputRoot,
    String modelName,
    DatasetSchema schema,
    double maxRejectedFraction,
    NonFinitePolicy nonFinitePolicy,
    ImputeRule defaultImpute,
    Map<String, ImputeRule> imputeOverrides,
    int topK,
    boolean missingAsCategory,
    DropRule drop,
    Map<String, DropRule> dropOverrides,
    ScaleMethod scale,
    Split split,
    DemoSettings demo) {

  /** The largest {@code prepare.categorical.top-k}. */
  public static final int MAX_TOP_K = 10_000;

  /** The config key of the default reference-level rule. */
  public static final String DROP_KEY = "prepare.categorical.drop";

  /** The config section of the per-column reference-level rules. */
  public static final String DROP_COLUMNS_KEY = "prepare.categorical.drop-columns";

  public PrepareSettings {
    imputeOverrides = Map.copyOf(imputeOverrides);
    dropOverrides = Map.copyOf(dropOverrides);
  }

  /**
   * Split fractions of the valid input rows, the split hash seed, and whether classification splits
   * are stratified by label.
   */
  public record Split(double train, double validation, double test, long seed, boolean stratify) {}

  /**
   * Reads and checks the settings.
   *
   * @throws dev.arbor.ConfigException naming the key, the value and what is allowed
   */
  public static PrepareSettings from(ArborConfig c) {
    String modelName = c.string("model.name");
    if (!modelName.matches("[A-Za-z0-9_]+")) {
      throw ArborConfig.outOfRange("model.name", modelName, "letters, digits and underscores only");
    }
    String inputPath = c.string("input.path");
    if (inputPath.isBlank()) {
      throw ArborConfig.outOfRange("input.path", "\"\"", "a Parquet path or glob");
    }
    double train = c.numberInRange("prepare.split.train", 0, 1);
    double validation = c.numberInRange("prepare.split.validation", 0, 1);
    double test = c.numberInRange("prepare.split.test", 0, 1);
    if (Math.abs(train + validation + test - 1.0) > 1e-9) {
      throw new dev.arbor.ConfigException(
          "Invalid config values for 'prepare.split.train/validation/test': "
              + train
              + " + "
              + validation
              + " + "
              + test
              + " = "
              + (train + validation + test)
              + " (expected a sum of 1)");
    }
    if (train <= 0) {
      throw ArborConfig.outOfRange("prepare.split.train", train, "a number in (0, 1]");
    }
    String method = c.oneOf("prepare.impute.numeric", "mean", "median", "constant", "drop-row");
    double constant = c.number("prepare.impute.constant");
    if (!Double.isFinite(constant)) {
      throw ArborConfig.outOfRange("prepare.impute.constant", constant, "a finite number");
    }
    Map<String, ImputeRule> overrides = new TreeMap<>();
    for (Map.Entry<String, String> e : c.stringMap("prepare.impute.columns").entrySet()) {
      overrides.put(
          e.getKey(), parseRule("prepare.impute.columns." + e.getKey(), e.getValue(), constant));
    }
    DatasetSchema schema = DatasetSchema.from(c);
    Map<String, DropRule> drops = new TreeMap<>();
    for (Map.Entry<String, String> e : c.stringMap(DROP_COLUMNS_KEY).entrySet()) {
      String key = DROP_COLUMNS_KEY + "." + e.getKey();
      if (!schema.categoricalColumns().contains(e.getKey())) {
        throw new dev.arbor.ConfigException(
            "Invalid config key '"
                + key
                + "': '"
                + e.getKey()
                + "' is not a categorical column (schema.categorical-columns: "
                + String.join(", ", schema.categoricalColumns())
                + ")");
      }
      drops.put(e.getKey(), DropRule.parse(key, e.getValue()));
    }
    return new PrepareSettings(
        inputPath,
        blankToNull(c.optionalString("input.date-partition-column")),
        blankToNull(c.optionalString("input.test-path")),
        // Only ever into the embedded demo path: a mistyped production input.path must fail as
        // missing input, never silently receive synthetic data.
        c.bool("input.generate-demo-if-missing")
            && inputPath.equals(ArborConfig.defaults().string("input.path")),
        c.string("output.root"),
        modelName,
        schema,
        c.numberInRange("prepare.max-rejected-fraction", 0, 1),
        c.enumValue("prepare.non-finite-policy", NonFinitePolicy.class),
        new ImputeRule(ImputeMethod.fromConfigName(method), constant),
        overrides,
        c.intInRange("prepare.categorical.top-k", 1, MAX_TOP_K),
        c.bool("prepare.categorical.missing-as-category"),
        DropRule.parse(DROP_KEY, c.string(DROP_KEY)),
        drops,
        ScaleMethod.fromConfigName(c.oneOf("prepare.scale", "standardize", "min-max", "none")),
        new Split(
            train,
            validation,
            test,
            c.longValue("prepare.split.seed"),
            c.bool("prepare.split.stratify")),
        DemoSettings.from(c));
  }

  /** The rule for numeric column {@code column}: its override, else the default. */
  public ImputeRule imputeRule(String column) {
    return imputeOverrides.getOrDefault(column, defaultImpute);
  }

  /**
   * The reference-level rule of categorical column {@code column}: its override, else the default.
   */
  public DropRule dropRule(String column) {
    return dropOverrides.getOrDefault(column, drop);
  }

  /** The config key {@link #dropRule} of {@code column} comes from. */
  public String dropKey(String column) {
    return dropOverrides.containsKey(column) ? DROP_COLUMNS_KEY + "." + column : DROP_KEY;
  }

  /** {@code <output.root>/prepared/<model.name>/run_date=<date>}: the committed output folder. */
  public String outputDir(LocalDate runDate) {
    return new RunLayout(outputRoot, modelName, runDate).preparedDir();
  }

  private static ImputeRule parseRule(String key, String value, double defaultConstant) {
    ImputeMethod m = ImputeMethod.fromConfigName(value.trim());
    if (m != null) {
      return new ImputeRule(m, defaultConstant);
    }
    try {
      double v = Double.parseDouble(value.trim());
      if (Double.isFinite(v)) {
        return new ImputeRule(ImputeMethod.CONSTANT, v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ArborConfig.outOfRange(key, value, "mean, median, constant, drop-row or a finite number");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}

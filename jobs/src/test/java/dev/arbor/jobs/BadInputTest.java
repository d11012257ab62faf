package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bad-input matrix of issue 7, each case through the real command line ({@link Main#execute})
 * on the shared session: the documented exit code, one line on stderr naming the
 * file/column/key/value and what was expected, and nothing half-written (no file under {@code
 * output.root}, or the previous output byte for byte). Cases that are not errors by design (NaN
 * rows, duplicate ids, a constant column, extreme magnitudes) assert the documented behaviour.
 *
 * <p>Input: 200 small rows {@code id} STRING, {@code label} STRING yes/no, {@code x1}, {@code x2}
 * DOUBLE, {@code seg} STRING (categorical); a case replaces what it needs.
 */
@Tag("reliability")
@Tag("spark")
class BadInputTest {
  private static final String DATE = "2024-03-04";
  private static final int ROWS = 200;
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("label", DataTypes.StringType)
          .add("x1", DataTypes.DoubleType)
          .add("x2", DataTypes.DoubleType)
          .add("seg", DataTypes.StringType);

  private final SparkSession spark = SparkTestSession.get();
  private final Path dir = TestPaths.newTempDir("bad-input");
  private final Path in = dir.resolve("in");
  private final Path out = dir.resolve("out");

  private StringWriter stdout = new StringWriter();
  private StringWriter stderr = new StringWriter();

  // ---- data ---------------------------------------------------------------------------------

  private static Object[] goodRow(int i) {
    return new Object[] {
      "r" + i,
      i % 2 == 0 ? "yes" : "no",
      i * 0.5,
      Math.sin(i) + (i % 2),
      "abc".substring(i % 3, i % 3 + 1)
    };
  }

  private Dataset<Row> frame(StructType schema, IntFunction<Object[]> row, int from, int to) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(RowFactory.create(row.apply(i)));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** Writes rows {@code [from, to)} as one more Parquet file of the input folder. */
  private void append(StructType schema, IntFunction<Object[]> row, int from, int to) {
    frame(schema, row, from, to).coalesce(1).write().mode("append").parquet(in.toString());
  }

  private void writeInput(IntFunction<Object[]> row) {
    append(SCHEMA, row, 0, ROWS);
  }

  // ---- running ------------------------------------------------------------------------------

  private int run(String command, String... extra) {
    return runIn(in, out, command, extra);
  }

  /** Runs {@code command} with input {@code input} and output root {@code root}. */
  private int runIn(Path input, Path root, String command, String... extra) {
    stdout = new StringWriter();
    stderr = new StringWriter();
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(
        List.of(
            "--set",
            "input.path=" + input,
            "--set",
            "output.root=" + root,
            "--set",
            "schema.categorical-columns=[seg]",
            "--set",
            "train.optimizer.max-iterations=15",
            "--run-date",
            DATE));
    args.addAll(Arrays.asList(extra));
    return Main.execute(
        Main.commandLine(new PrintWriter(stdout), new PrintWriter(stderr)),
        args.toArray(String[]::new));
  }

  /** The exit code is {@code code} and stderr is exactly one line containing every fragment. */
  private void assertFails(int exit, int code, String... fragments) {
    String err = stderr.toString();
    assertThat(exit).as(err).isEqualTo(code);
    assertThat(err).startsWith(ErrorHandler.PREFIX).endsWith("\n");
    assertThat(err.strip()).as("one line").doesNotContain("\n");
    for (String f : fragments) {
      assertThat(err).contains(f);
    }
  }

  private void assertOk(int exit) {
    assertThat(exit).as(stderr.toString()).isZero();
    assertThat(stderr.toString()).isEmpty();
  }

  private Path prepared() {
    return out.resolve("prepared/demo/run_date=" + DATE);
  }

  private Path model() {
    return out.resolve("models/demo/run_date=" + DATE + "/model.json");
  }

  /** No regular file below {@code output.root}: nothing was written, not even half. */
  private void assertNothingWritten() {
    assertThat(files(out)).as("files under " + out).isEmpty();
  }

  private static List<String> files(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file below {@code root} with the SHA-256 of its content. */
  private static List<String> fingerprint(Path root) {
    List<String> lines = new ArrayList<>();
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String f : files(root)) {
        lines.add(
            f + " " + HexFormat.of().formatHex(sha.digest(Files.readAllBytes(root.resolve(f)))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return lines;
  }

  private List<Row> read(String split) {
    return spark.read().parquet(prepared().resolve(split).toString()).collectAsList();
  }

  private JsonNode prepModel() throws IOException {
    return new ObjectMapper().readTree(prepared().resolve("prep-model.json").toFile());
  }

  // ---- files --------------------------------------------------------------------------------

  @Test
  @DisplayName(
      "corrupt Parquet file among good ones — exit 4, message names the file, previous output"
          + " unchanged")
  void corruptParquetFile() throws IOException {
    writeInput(BadInputTest::goodRow);
    assertOk(run("prepare"));
    List<String> before = fingerprint(out);
    assertThat(before).isNotEmpty();

    append(SCHEMA, BadInputTest::goodRow, ROWS, 2 * ROWS);
    Path corrupt = in.resolve("part-99999-corrupt.snappy.parquet");
    Files.write(corrupt, "PAR1 this is not a parquet file".getBytes(StandardCharsets.UTF_8));

    assertFails(run("prepare"), 4, corrupt.getFileName().toString(), "expected a Parquet file");
    assertThat(fingerprint(out)).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "file with a different schema among good ones — exit 4, message names the file and both"
          + " schemas, previous output unchanged")
  void fileWithADifferentSchema() throws IOException {
    writeInput(BadInputTest::goodRow);
    assertOk(run("prepare"));
    List<String> before = fingerprint(out);

    StructType other =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("label", DataTypes.StringType)
            .add("x1", DataTypes.StringType)
            .add("seg", DataTypes.StringType);
    append(other, i -> new Object[] {"s" + i, "yes", "high", "a"}, 0, 20);

    assertFails(run("prepare"), 4, "Invalid input " + in, "x1", "string", "double", "x2");
    assertThat(stderr.toString()).containsPattern("file [^ ]*part-[^ ]*\\.parquet");
    assertThat(fingerprint(out)).isEqualTo(before);
  }

  @Test
  @DisplayName("input path that does not exist — exit 4, message names the path, nothing written")
  void inputPathDoesNotExist() {
    assertFails(run("prepare"), 4, "no such path: " + in);
    assertNothingWritten();
  }

  @Test
  @DisplayName("empty input (schema, no rows) — exit 4, message names the input, nothing written")
  void emptyInput() {
    append(SCHEMA, BadInputTest::goodRow, 0, 0);
    assertFails(run("prepare"), 4, "Invalid input " + in + ": no rows");
    assertNothingWritten();
  }

  // ---- columns ------------------------------------------------------------------------------

  @Test
  @DisplayName(
      "label column of the wrong type — exit 4, message names the column, its type and the"
          + " expected type, nothing written")
  void labelColumnOfTheWrongType() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("prepare", "--set", "schema.task=regression"),
        4,
        "label column 'label' has type string (expected a numeric type for task regression)");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "feature column all null — exit 4, message names the column and the expected non-missing"
          + " value, nothing written")
  void featureColumnAllNull() {
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          r[3] = null;
          return r;
        });
    assertFails(run("prepare"), 4, "'x2'", "no non-missing value", "expected at least one");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "NaN and ±Inf in features — not an error: exit 0, those rows in the rejects with reason"
          + " non_finite_feature, splits all finite")
  void nonFiniteFeatures() {
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          if (i == 3) {
            r[2] = Double.NaN;
          } else if (i == 50) {
            r[3] = Double.POSITIVE_INFINITY;
          } else if (i == 77) {
            r[3] = Double.NEGATIVE_INFINITY;
          }
          return r;
        });
    assertOk(run("prepare"));
    assertThat(stdout.toString()).contains("rejected 3 {non_finite_feature=3}");
    List<Row> rejects = read("rejects");
    assertThat(rejects)
        .extracting(r -> r.getAs("row_id"))
        .containsExactlyInAnyOrder("r3", "r50", "r77");
    assertThat(rejects).extracting(r -> r.getAs("reason")).containsOnly("non_finite_feature");
    long kept = 0;
    for (String split : List.of("train", "validation", "test")) {
      for (Row r : read(split)) {
        kept++;
        assertThat((Double) r.getAs("x1")).isFinite();
        assertThat((Double) r.getAs("x2")).isFinite();
      }
    }
    assertThat(kept).isEqualTo(ROWS - 3);
  }

  @Test
  @DisplayName(
      "NaN and ±Inf in more rows than allowed — exit 4, message names the fraction and the limit,"
          + " nothing written")
  void tooManyNonFiniteFeatures() {
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          r[2] = i % 10 == 0 ? Double.NaN : r[2];
          return r;
        });
    assertFails(
        run("prepare"), 4, "" + in, "non_finite_feature=20", "prepare.max-rejected-fraction");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "one class only in a binary label — exit 4, message names the column and the value seen,"
          + " nothing written")
  void oneClassOnly() {
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          r[1] = "yes";
          return r;
        });
    assertFails(
        run("prepare"),
        4,
        "label column 'label' has 1 distinct values [yes] (expected exactly 2 for task binary)");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "label outside the declared classes — exit 4, message names the value and the declared"
          + " classes, nothing written")
  void labelOutsideTheDeclaredClasses() {
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          r[1] = i == 7 ? "maybe" : r[1];
          return r;
        });
    assertFails(
        run("prepare", "--set", "schema.classes=[no,yes]"),
        4,
        "label column 'label' has value 'maybe' (1 rows) outside schema.classes [no, yes]");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "constant feature column — not an error: exit 0, kept with scale 1 and reported, prepared"
          + " values finite")
  void constantColumn() throws IOException {
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          r[3] = 42.0;
          return r;
        });
    assertOk(run("prepare"));
    JsonNode x2 = null;
    for (JsonNode f : prepModel().get("features")) {
      if (f.get("name").asText().equals("x2")) {
        x2 = f;
      }
    }
    assertThat(x2).as("feature x2 in the prep model").isNotNull();
    assertThat(x2.get("scale").asDouble()).isEqualTo(1.0);
    assertThat(read("train")).extracting(r -> (Double) r.getAs("x2")).containsOnly(0.0);
    JsonNode summary = new ObjectMapper().readTree(prepared().resolve("summary.json").toFile());
    assertThat(summary.get("constant-features").toString()).isEqualTo("[\"x2\"]");
  }

  @Test
  @DisplayName(
      "duplicate ids — not an error: exit 0, every row sharing an id in the rejects with reason"
          + " duplicate_id, none kept")
  void duplicateIds() {
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          r[0] = i == 11 || i == 12 ? "r10" : r[0];
          return r;
        });
    assertOk(run("prepare"));
    assertThat(stdout.toString()).contains("rejected 3 {duplicate_id=3}");
    assertThat(read("rejects"))
        .extracting(r -> r.getAs("row_id") + "/" + r.getAs("reason"))
        .containsOnly("r10/duplicate_id")
        .hasSize(3);
    for (String split : List.of("train", "validation", "test")) {
      assertThat(read(split)).extracting(r -> r.getAs("row_id")).doesNotContain("r10");
    }
  }

  @Test
  @DisplayName(
      "extreme magnitudes (±1e300) in a feature — not an error: standardized without overflow"
          + " (finite scale), trained weights finite, exit 0")
  void extremeMagnitudes() throws IOException {
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          r[3] = ((Double) r[3]) * 1e300;
          return r;
        });
    assertOk(run("prepare"));
    for (JsonNode f : prepModel().get("features")) {
      if (f.get("name").asText().equals("x2")) {
        assertThat(f.get("scale").asDouble()).isFinite().isGreaterThan(1e299);
        assertThat(f.get("center").asDouble()).isFinite();
      }
    }
    for (Row r : read("train")) {
      assertThat((Double) r.getAs("x2")).isFinite().isBetween(-10.0, 10.0);
    }
    assertOk(run("train"));
    JsonNode model = new ObjectMapper().readTree(model().toFile());
    List<Double> weights = new ArrayList<>();
    for (String field : List.of("coefficients", "intercepts")) {
      collect(model.get(field), weights);
    }
    assertThat(weights).isNotEmpty().allSatisfy(w -> assertThat(w).isFinite());
  }

  private static void collect(JsonNode node, List<Double> values) {
    if (node.isArray()) {
      node.forEach(n -> collect(n, values));
    } else {
      assertThat(node.isNumber()).as("weight " + node).isTrue();
      values.add(node.asDouble());
    }
  }

  // ---- config and command line --------------------------------------------------------------

  @Test
  @DisplayName(
      "config with a typo'd key — exit 3, message names the key and suggests the right one,"
          + " nothing written")
  void typoInAConfigKey() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("prepare", "--set", "prepare.split.trian=0.7"),
        3,
        "Unknown config key 'prepare.split.trian' (--set); did you mean 'prepare.split.train'?");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "typo'd key in a --config file — exit 3, message names the key and the file, nothing written")
  void typoInAConfigFile() throws IOException {
    writeInput(BadInputTest::goodRow);
    Path file = dir.resolve("model.conf");
    Files.writeString(file, "prepare { max-rejected-fraktion = 0.1 }\n");
    assertFails(
        run("prepare", "--config", file.toString()),
        3,
        "Unknown config key 'prepare.max-rejected-fraktion' (" + file + ": 1)",
        "did you mean 'prepare.max-rejected-fraction'?");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "negative learning rate — exit 3, message names the key, the value and the allowed range,"
          + " nothing written")
  void negativeLearningRate() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run(
            "train",
            "--set",
            "train.optimizer.name=sgd",
            "--set",
            "train.optimizer.learning-rate=-0.1"),
        3,
        "train.optimizer.learning-rate",
        "-0.1");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "split fractions not summing to 1 — exit 3, message names the keys, their sum and the"
          + " expected sum, nothing written")
  void splitFractionsNotSummingToOne() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("prepare", "--set", "prepare.split.train=0.8"),
        3,
        "'prepare.split.train/validation/test': 0.8 + 0.15 + 0.15 = 1.1",
        "(expected a sum of 1)");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "run date that is not a date (--run-date) — exit 2, message names the value and the"
          + " expected format, nothing written")
  void runDateNotADate() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("prepare", "--run-date", "2024-02-30"),
        2,
        "'2024-02-30' (expected a calendar date YYYY-MM-DD)");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "run date that is not a date (run.date key) — exit 3, message names the key and the value,"
          + " nothing written")
  void runDateKeyNotADate() {
    writeInput(BadInputTest::goodRow);
    stdout = new StringWriter();
    stderr = new StringWriter();
    int exit =
        Main.execute(
            Main.commandLine(new PrintWriter(stdout), new PrintWriter(stderr)),
            "prepare",
            "--set",
            "input.path=" + in,
            "--set",
            "output.root=" + out,
            "--set",
            "run.date=yesterday");
    assertFails(exit, 3, "run.date", "yesterday", "YYYY-MM-DD");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "model (table partition) name outside [A-Za-z0-9_] — exit 3, message names the key and"
          + " the value, nothing written")
  void modelNameWithBadCharacters() {
    writeInput(BadInputTest::goodRow);
    assertFails(run("prepare", "--set", "model.name=churn-v2"), 3, "model.name", "churn-v2");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "catalog namespace (table name) outside [A-Za-z0-9_] — exit 3, message names the key and"
          + " the value, nothing written")
  void catalogNamespaceWithBadCharacters() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("evaluate", "--set", "catalog.namespace=arbor;drop"),
        3,
        "'catalog.namespace': arbor;drop",
        "expected letters, digits and underscores only");
    assertNothingWritten();
  }

  // ---- training -----------------------------------------------------------------------------

  @Test
  @DisplayName(
      "learning rate far too high — exit 1 within a few iterations, message names the iteration"
          + " and the loss, no model written")
  void divergenceThroughTheTrainStage() {
    writeInput(BadInputTest::goodRow);
    assertOk(run("prepare"));
    List<String> prepared = fingerprint(prepared());
    assertFails(
        run(
            "train",
            "--set",
            "train.optimizer.name=gd",
            "--set",
            "train.optimizer.line-search=none",
            "--set",
            "train.optimizer.learning-rate=1e6",
            "--set",
            "train.optimizer.max-iterations=100"),
        1,
        "Cannot train model demo: the optimizer diverged: Diverged at iteration ",
        "loss = ",
        "lower train.optimizer.learning-rate");
    assertThat(stderr.toString()).containsPattern("iteration [1-9]:|iteration 1[0-9]:");
    assertThat(Files.exists(model())).isFalse();
    assertThat(files(out.resolve("models"))).isEmpty();
    assertThat(fingerprint(prepared())).isEqualTo(prepared);
  }

  @Test
  @DisplayName("mlp with a hidden layer of size 0 — exit 3, message names the key, nothing written")
  void mlpHiddenLayerOfSizeZero() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("train", "--set", "train.model=mlp", "--set", "train.mlp.hidden-layers=[16, 0]"),
        3,
        "'train.mlp.hidden-layers'",
        "a list of layer sizes >= 1");
    assertNothingWritten();
  }

  @Test
  @DisplayName("mlp with an unknown activation — exit 3, message names the key, nothing written")
  void mlpUnknownActivation() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("train", "--set", "train.model=mlp", "--set", "train.mlp.activation=swish"),
        3,
        "'train.mlp.activation': swish",
        "relu, leaky-relu, tanh, sigmoid");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "mlp whose loss does not fit the task (hinge on binary) — exit 3, message names train.loss"
          + " and the expected loss, nothing written")
  void mlpLossNotFittingTheTask() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("train", "--set", "train.model=mlp", "--set", "train.loss=hinge"),
        3,
        "Invalid config value for 'train.loss': hinge (expected logistic for an mlp on a binary"
            + " task)");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "mlp warm-started from a model of another architecture — exit 3, message names"
          + " train.warm-start and both architectures, no new model written")
  void mlpWarmStartFromAnotherArchitecture() throws IOException {
    writeInput(BadInputTest::goodRow);
    String[] mlp = {
      "--set", "train.model=mlp",
      "--set", "train.mlp.hidden-layers=[4]",
      "--set", "train.optimizer.name=adam",
      "--set", "train.optimizer.max-iterations=2"
    };
    assertOk(run("prepare"));
    assertOk(run("train", mlp));
    Path saved = out.resolve("previous-model.json");
    Files.copy(model(), saved);
    List<String> before = fingerprint(out.resolve("models"));
    List<String> args = new ArrayList<>(Arrays.asList(mlp));
    args.addAll(
        List.of(
            "--set",
            "train.mlp.hidden-layers=[6]",
            "--set",
            "train.warm-start=" + saved,
            "--force"));
    assertFails(
        run("train", args.toArray(String[]::new)),
        3,
        "Invalid config value for 'train.warm-start'",
        "its architecture is",
        "→ 4 relu → 1 sigmoid, not",
        "→ 6 relu → 1 sigmoid");
    assertThat(fingerprint(out.resolve("models"))).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "learning rate far too high with train.on-divergence = backoff — learning rate halved until"
          + " stable, exit 0, model written with finite weights")
  void divergenceBackoffThroughTheTrainStage() throws IOException {
    StructType numericLabel =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("label", DataTypes.DoubleType)
            .add("x1", DataTypes.DoubleType)
            .add("x2", DataTypes.DoubleType)
            .add("seg", DataTypes.StringType);
    append(
        numericLabel,
        i -> {
          Object[] r = goodRow(i);
          r[1] = 0.3 * (Double) r[2] - 2 * (Double) r[3] + (i % 7) * 0.1;
          return r;
        },
        0,
        ROWS);
    String[] regression = {
      "--set", "schema.task=regression",
      "--set", "train.loss=squared",
      "--set", "train.solver=iterative",
      "--set", "train.optimizer.name=gd",
      "--set", "train.optimizer.line-search=none",
      "--set", "train.optimizer.learning-rate=100",
      "--set", "train.optimizer.max-iterations=200"
    };
    assertOk(run("prepare", regression));
    assertFails(run("train", regression), 1, "Diverged at iteration ", "loss = ");
    assertThat(files(out.resolve("models"))).isEmpty();

    String[] backoff = Arrays.copyOf(regression, regression.length + 2);
    backoff[regression.length] = "--set";
    backoff[regression.length + 1] = "train.on-divergence=backoff";
    assertOk(run("train", backoff));
    JsonNode model = new ObjectMapper().readTree(model().toFile());
    assertThat(model.get("stopReason").asText()).isNotEqualTo("DIVERGED");
    List<Double> weights = new ArrayList<>();
    for (String field : List.of("coefficients", "intercepts")) {
      collect(model.get(field), weights);
    }
    assertThat(weights).isNotEmpty().allSatisfy(w -> assertThat(w).isFinite());
  }

  // ---- issue 16: wrong answers and destroyed state -------------------------------------------

  private static final StructType NUMERIC =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("label", DataTypes.StringType)
          .add("x1", DataTypes.DoubleType)
          .add("x2", DataTypes.DoubleType);

  private static Object[] numericRow(int i) {
    Object[] r = goodRow(i);
    return new Object[] {r[0], r[1], r[2], r[3]};
  }

  private static final String[] NO_CATEGORICAL = {"--set", "schema.categorical-columns=[]"};

  /** Prepares and trains a model on numeric-only input (features named like input columns). */
  private void trainNumericModel() {
    append(NUMERIC, BadInputTest::numericRow, 0, ROWS);
    assertOk(run("prepare", NO_CATEGORICAL));
    assertOk(run("train", NO_CATEGORICAL));
  }

  private Map<String, Double> scores(Path predictions) {
    Map<String, Double> byId = new java.util.TreeMap<>();
    for (Row r : spark.read().parquet(predictions.toString()).collectAsList()) {
      byId.put(r.getAs("row_id"), r.getAs("score"));
    }
    return byId;
  }

  @Test
  @DisplayName(
      "score on raw input whose columns are named like the model's features — scored through the"
          + " prep model (same scores as its prepared rows), output has row_id and weight, exit 0")
  void scoreNeverTakesRawInputForPrepared() {
    trainNumericModel();
    Path raw = dir.resolve("pred-raw");
    assertOk(run("score", "--input", in.toString(), "--output", raw.toString()));
    assertThat(stdout.toString()).startsWith("scored " + ROWS + " raw rows with ");
    assertThat(spark.read().parquet(raw.toString()).columns())
        .contains("row_id", "label", "weight", "prediction", "score");
    Path test = prepared().resolve("test");
    Path prep = dir.resolve("pred-prepared");
    assertOk(run("score", "--input", test.toString(), "--output", prep.toString()));
    assertThat(stdout.toString()).contains(" prepared rows with ");
    Map<String, Double> rawScores = scores(raw);
    Map<String, Double> prepScores = scores(prep);
    assertThat(prepScores).isNotEmpty();
    prepScores.forEach(
        (id, score) -> assertThat(rawScores.get(id)).as(id).isCloseTo(score, within(1e-12)));
    // Raw x1 reaches 100 (prepared: about ±1.7): taken as prepared, scores would differ.
    assertThat(rawScores.values()).anySatisfy(v -> assertThat(v).isBetween(0.05, 0.95));
  }

  @Test
  @DisplayName(
      "score input missing a feature column — exit 4, message names the column, nothing written")
  void scoreInputMissingAFeatureColumn() {
    trainNumericModel();
    Path partial = dir.resolve("partial");
    spark.read().parquet(in.toString()).drop("x2").write().parquet(partial.toString());
    Path preds = dir.resolve("preds");
    assertFails(
        run("score", "--input", partial.toString(), "--output", preds.toString()),
        4,
        "missing numeric feature column 'x2'");
    assertThat(Files.exists(preds)).isFalse();
  }

  @Test
  @DisplayName(
      "score input with 'n/a' strings in a numeric column — exit 4, message names the column and"
          + " its type, nothing written")
  void scoreInputWithAStringInANumericColumn() {
    trainNumericModel();
    Path strings = dir.resolve("strings");
    spark
        .read()
        .parquet(in.toString())
        .withColumn("x1", org.apache.spark.sql.functions.lit("n/a"))
        .write()
        .parquet(strings.toString());
    Path preds = dir.resolve("preds");
    assertFails(
        run("score", "--input", strings.toString(), "--output", preds.toString()),
        4,
        "numeric feature column 'x1' has type string (expected a numeric type");
    assertThat(Files.exists(preds)).isFalse();
  }

  /** A file under {@code out} and the input, to prove a refused command touched neither. */
  private List<String> seedState() {
    writeInput(BadInputTest::goodRow);
    try {
      Files.createDirectories(out.resolve("models/demo"));
      Files.writeString(out.resolve("models/demo/PROMOTED.json"), "{}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> state = new ArrayList<>(fingerprint(out));
    state.addAll(fingerprint(in));
    return state;
  }

  private List<String> state() {
    List<String> state = new ArrayList<>(fingerprint(out));
    state.addAll(fingerprint(in));
    return state;
  }

  @Test
  @DisplayName(
      "score --output = output.root — exit 3 before Spark, message names both paths, every model"
          + " and pointer kept")
  void scoreOutputIsTheOutputRoot() {
    List<String> before = seedState();
    assertFails(
        run("score", "--input", in.toString(), "--output", out.toString()),
        3,
        "Cannot write --output " + out + ": it is output.root " + out);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @DisplayName("score --output = --input — exit 3, message names the input, input unchanged")
  void scoreOutputIsTheInput() {
    List<String> before = seedState();
    assertFails(
        run("score", "--input", in.toString(), "--output", in + "/"), 3, "it is input.path " + in);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "score --output inside the catalog warehouse or containing output.root — exit 3, nothing"
          + " changed")
  void scoreOutputInsideTheWarehouseOrAboveTheRoot() {
    String warehouse = java.nio.file.Paths.get("work/output/warehouse").toAbsolutePath().toString();
    List<String> before = seedState();
    assertFails(
        run("score", "--input", in.toString(), "--output", warehouse + "/x"),
        3,
        "lies inside catalog.warehouse");
    assertFails(
        run("score", "--input", in.toString(), "--output", dir.toString()),
        3,
        "contains output.root " + out);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "generate --output containing output.root, report --output = the input — exit 3 each,"
          + " nothing changed")
  void generateAndReportTargets() {
    List<String> before = seedState();
    assertFails(run("generate", "--output", dir.toString()), 3, "contains output.root");
    assertFails(run("report", "--output", in.toString()), 3, "it is input.path " + in);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "output.root inside the input folder — exit 3 (prepare would write into its own input),"
          + " --dry-run too, input unchanged")
  void outputRootInsideTheInput() {
    writeInput(BadInputTest::goodRow);
    List<String> before = fingerprint(in);
    Path inside = in.resolve("out");
    assertFails(runIn(in, inside, "prepare"), 3, "lies inside input.path " + in);
    assertFails(runIn(in, inside, "prepare", "--dry-run"), 3, "lies inside input.path " + in);
    assertThat(fingerprint(in)).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "rows deleted from metrics by hand (sql --write) — the next evaluate runs again (outputs"
          + " missing), not 'evaluate skipped'; the rows are back")
  void evaluateRunsAgainWhenItsRowsWereDeleted() {
    writeInput(BadInputTest::goodRow);
    assertOk(run("prepare"));
    assertOk(run("train"));
    assertOk(run("evaluate"));
    assertOk(run("evaluate"));
    assertThat(stdout.toString()).contains("evaluate skipped (unchanged)");
    // The default catalog is shared by the tests: only this run's rows.
    String mine = "model = 'demo' AND run_date = DATE'" + DATE + "'";
    String count = "SELECT count(*) AS n FROM metrics WHERE " + mine;
    assertFails(run("sql", "DELETE FROM metrics"), 2, "arbor sql is read-only", "--write");
    assertOk(run("sql", "--write", "DELETE FROM metrics WHERE " + mine));
    assertOk(run("sql", count));
    assertThat(stdout.toString()).endsWith("\n0\n(1 row)\n");
    assertOk(run("evaluate"));
    assertThat(stdout.toString()).doesNotContain("skipped").contains("evaluated demo " + DATE);
    assertOk(run("sql", count));
    assertThat(stdout.toString()).endsWith("(1 row)\n").doesNotEndWith("\n0\n(1 row)\n");
  }

  // ---- issue 16: one failure contract --------------------------------------------------------

  @Test
  @DisplayName(
      "corrupt Parquet file whose name sorts first — exit 4, one line naming the file (not exit 1"
          + " with a SparkException trace), nothing written")
  void corruptFileSortingFirst() throws IOException {
    writeInput(BadInputTest::goodRow);
    Path corrupt = in.resolve("a-corrupt.parquet");
    Files.write(corrupt, "PAR1 this is not a parquet file".getBytes(StandardCharsets.UTF_8));
    assertFails(run("prepare"), 4, corrupt.getFileName().toString(), "expected a Parquet file");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "text file (not Parquet) in the input folder — exit 4, one line naming the file, nothing"
          + " written")
  void textFileInTheInput() throws IOException {
    writeInput(BadInputTest::goodRow);
    Path text = in.resolve("README.txt");
    Files.writeString(text, "notes about this data\n");
    assertFails(run("prepare"), 4, "README.txt", "expected a Parquet file");
    assertNothingWritten();
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  @DisplayName(
      "FIFO in the input folder — exit 4 naming it (not a regular file) instead of hanging,"
          + " nothing written")
  void fifoInTheInput() throws Exception {
    writeInput(BadInputTest::goodRow);
    Path fifo = in.resolve("part-fifo.parquet");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mk.waitFor()).isZero();
    assertFails(run("prepare"), 4, fifo.getFileName().toString(), "is not a regular file");
    assertNothingWritten();
  }

  @Test
  @DisplayName("columns 'x1' and 'X1' (differ only in case) — exit 4 naming both, nothing written")
  void columnsDifferingOnlyInCase() {
    StructType clash = SCHEMA.add("X1", DataTypes.DoubleType);
    spark.conf().set("spark.sql.caseSensitive", "true");
    try {
      append(
          clash,
          i -> {
            Object[] r = goodRow(i);
            return new Object[] {r[0], r[1], r[2], r[3], r[4], 1.0};
          },
          0,
          ROWS);
    } finally {
      spark.conf().unset("spark.sql.caseSensitive");
    }
    assertFails(run("prepare"), 4, "columns 'x1' and 'X1'", "differ only in case");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "2 rows, so the validation and test splits are empty — exit 4 at prepare naming the empty"
          + " split, nothing written")
  void tooFewRowsForEverySplit() {
    append(SCHEMA, BadInputTest::goodRow, 0, 2);
    assertFails(run("prepare"), 4, "split is empty", "expected enough valid rows");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "every row of one class has weight 0 — exit 4 at prepare naming the class and the weight"
          + " column, nothing written")
  void aClassWithZeroTotalWeight() {
    StructType weighted = SCHEMA.add("w", DataTypes.DoubleType);
    append(
        weighted,
        i -> {
          Object[] r = goodRow(i);
          return new Object[] {r[0], r[1], r[2], r[3], r[4], i % 2 == 0 ? 1.0 : 0.0};
        },
        0,
        ROWS);
    assertFails(
        run("prepare", "--set", "schema.weight-column=w"),
        4,
        "class 'no'",
        "weight column 'w'",
        "expected a positive total weight");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "catalog.namespace = 'arbor; DROP TABLE x' under --dry-run — exit 3 like the real run, no"
          + " 'configuration valid'")
  void dryRunChecksTheCatalogNamespace() {
    assertFails(
        run("prepare", "--dry-run", "--set", "catalog.namespace=\"arbor; DROP TABLE x\""),
        3,
        "catalog.namespace",
        "letters, digits and underscores only");
    assertThat(stdout.toString()).isEmpty();
    assertNothingWritten();
  }

  @Test
  @DisplayName("catalog.type = foo under --dry-run — exit 3 naming the key and the allowed types")
  void dryRunChecksTheCatalogType() {
    assertFails(run("train", "--dry-run", "--set", "catalog.type=foo"), 3, "catalog.type", "foo");
    assertThat(stdout.toString()).isEmpty();
  }

  @Test
  @DisplayName("arbor config with catalog.name = a-b — exit 3 (every stage's checks), not printed")
  void configChecksEveryStage() {
    assertFails(run("config", "--set", "catalog.name=a-b"), 3, "catalog.name", "a-b");
    assertFails(
        run(
            "config",
            "--set",
            "train.optimizer.learning-rate=-1",
            "--set",
            "train.optimizer.name=sgd"),
        3,
        "train.optimizer.learning-rate");
    assertThat(stdout.toString()).isEmpty();
  }

  @Test
  @DisplayName("score --model ../../x — exit 2 naming the value (a name, not a path)")
  void scoreModelIsAName() {
    assertFails(
        run(
            "score",
            "--input",
            in.toString(),
            "--output",
            dir.resolve("p").toString(),
            "--model",
            "../../x"),
        2,
        "'../../x'",
        "letters, digits and underscores only");
  }

  @Test
  @DisplayName(
      "prepare while another live process holds the (model, date) lock — exit 6 naming the"
          + " holder, nothing written; the lock file is left to its holder")
  void secondWriterOfTheSameTarget() throws IOException {
    writeInput(BadInputTest::goodRow);
    Path lock = out.resolve("locks/demo/run_date=" + DATE + ".lock");
    Files.createDirectories(lock.getParent());
    String holder =
        "token=other\nhost="
            + java.net.InetAddress.getLocalHost().getHostName()
            + "\npid="
            + ProcessHandle.current().pid()
            + "\ncommand=prepare\nstarted_at=2024-03-04T00:00:00Z\n";
    Files.writeString(lock, holder);
    assertFails(run("prepare"), 6, "another writer holds the lock", "prepare on host ");
    assertThat(Files.readString(lock)).isEqualTo(holder);
    assertThat(files(out)).containsExactly("locks/demo/run_date=" + DATE + ".lock");
  }

  // ---- issue 16: one-hot reference level and names ------------------------------------------

  @Test
  @DisplayName(
      "prepare.categorical.drop-columns.seg = a level that was not fitted — exit 4 naming the"
          + " column, the level and the fitted levels, nothing written")
  void referenceLevelThatIsNotFitted() {
    writeInput(BadInputTest::goodRow);
    assertFails(
        run("prepare", "--set", "prepare.categorical.drop-columns.seg=z"),
        4,
        "Cannot drop reference level 'z' of categorical column 'seg'",
        "(prepare.categorical.drop-columns.seg)",
        "not among its fitted levels [",
        "'a'",
        "'b'",
        "'c'",
        "expected one of them, first or none");
    assertNothingWritten();
  }

  @Test
  @DisplayName(
      "prepare.categorical.drop-columns.x1 (a numeric column) — exit 3 naming the key, under"
          + " --dry-run too, nothing written")
  void referenceLevelOfANonCategoricalColumn() {
    writeInput(BadInputTest::goodRow);
    for (String[] extra :
        List.of(
            new String[] {"--dry-run", "--set", "prepare.categorical.drop-columns.x1=a"},
            new String[] {"--set", "prepare.categorical.drop-columns.x1=a"})) {
      assertFails(
          run("prepare", extra),
          3,
          "Invalid config key 'prepare.categorical.drop-columns.x1': 'x1' is not a categorical"
              + " column (schema.categorical-columns: seg)");
      assertNothingWritten();
    }
  }

  @Test
  @DisplayName(
      "levels named other, Other, empty, 'a b' and 'a-b' next to missing values, drop = other —"
          + " not an error: exit 0, one column per level and bucket, names unique ignoring case,"
          + " the level 'other' is the reference and not the bucket")
  void levelsNamedLikeTheBucket() throws IOException {
    String[] levels = {"other", "Other", "", "a b", "a-b", null};
    writeInput(
        i -> {
          Object[] r = goodRow(i);
          r[4] = levels[i % levels.length];
          return r;
        });
    assertOk(run("prepare", "--set", "prepare.categorical.drop=other"));
    JsonNode prep = prepModel();
    List<String> names = new ArrayList<>();
    Set<String> lower = new HashSet<>();
    for (JsonNode f : prep.get("features")) {
      if (f.get("column").asText().equals("seg")) {
        names.add(f.get("name").asText());
        assertThat(lower.add(f.get("name").asText().toLowerCase(Locale.ROOT)))
            .as("unique name " + f.get("name"))
            .isTrue();
        if (f.get("name").asText().equals("seg__other")) {
          assertThat(f.get("origin").asText()).isEqualTo("other");
        }
      }
    }
    assertThat(names).hasSize(6).contains("seg__other", "seg__missing");
    JsonNode reference = prep.get("reference-levels").get(0);
    assertThat(reference.get("category").asText()).isEqualTo("other");
    assertThat(reference.get("name").asText()).matches("seg__other__[0-9a-f]{8}");
    assertThat(lower).doesNotContain(reference.get("name").asText().toLowerCase(Locale.ROOT));
    assertThat(read("train").get(0).schema().fieldNames()).contains(names.toArray(String[]::new));
  }
}

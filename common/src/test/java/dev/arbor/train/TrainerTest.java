package dev.arbor.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import dev.arbor.model.LinearModel;
import dev.arbor.model.ModelStore;
import dev.arbor.model.TrainingStep;
import dev.arbor.testing.LogCapture;
import dev.arbor.testing.Prostate;
import dev.arbor.testing.SharedDatasets;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestConfig;
import dev.arbor.testing.TestPaths;
import dev.arbor.train.lsq.LeastSquares;
import dev.arbor.train.lsq.LeastSquaresSolver;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The train stage's orchestration on small synthetic data and on ESL prostate. */
@Tag("spark")
class TrainerTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final LocalDate DAY = LocalDate.parse("2024-03-01");
  private static final List<String> FEATURES = List.of("x1", "x2", "x3", "x4");
  private static Dataset<Row> binaryTrain;
  private static Dataset<Row> binaryValidation;

  @BeforeAll
  static void data() {
    binaryTrain = binary(1500, 1).repartition(3).cache();
    binaryValidation = binary(500, 2).repartition(2).cache();
  }

  /** Logistic data with known coefficients (1, -2, 0.5, 0) and intercept -0.3. */
  static Dataset<Row> binary(int n, long seed) {
    Random rnd = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[4];
      for (int j = 0; j < 4; j++) {
        x[j] = rnd.nextGaussian();
      }
      double m = -0.3 + x[0] - 2 * x[1] + 0.5 * x[2];
      double y = rnd.nextDouble() < 1 / (1 + Math.exp(-m)) ? 1.0 : 0.0;
      rows.add(RowFactory.create("s" + seed + "-" + i, y, 1.0, x[0], x[1], x[2], x[3]));
    }
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("row_id", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("weight", DataTypes.DoubleType, false));
    for (String f : FEATURES) {
      fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
    }
    return SPARK.createDataFrame(rows, DataTypes.createStructType(fields));
  }

  private static ArborConfig config(String root, Map<String, String> extra) {
    return TestConfig.of()
        .pairs(
            "model.name", "t",
            "output.root", root,
            "train.precision", "float64",
            "train.regularization.type", "l2",
            "train.regularization.strength", "0.001",
            "train.optimizer.max-iterations", "20",
            "train.optimizer.tolerance", "0")
        .setAll(extra)
        .parsed();
  }

  private static TrainInputs binaryInputs(Dataset<Row> validation) {
    return TrainInputs.unscaled(Task.BINARY, List.of("n", "y"), FEATURES, binaryTrain, validation);
  }

  private static Trainer.Outcome train(ArborConfig c, TrainInputs in) {
    try (Trainer t = new Trainer(SPARK, TrainingSpec.from(c, DAY), in)) {
      return t.run();
    }
  }

  @Test
  void resumeAfterACrashEndsWithBitIdenticalWeights() {
    for (String optimizer : List.of("lbfgs", "adam")) {
      String root = TestPaths.newTempDir("resume").toString();
      Map<String, String> o =
          Map.of(
              "train.optimizer.name", optimizer,
              "train.optimizer.batch-size", "500",
              "train.optimizer.max-iterations", "12",
              "train.checkpoint-every", "4");
      LinearModel uninterrupted =
          train(config(root, o), binaryInputs(binaryValidation)).model(LinearModel.class);

      String root2 = TestPaths.newTempDir("resume").toString();
      ArborConfig crashing = config(root2, o);
      assertThatThrownBy(
              () -> {
                try (Trainer t =
                    new Trainer(
                        SPARK, TrainingSpec.from(crashing, DAY), binaryInputs(binaryValidation))) {
                  t.withIterationHook(
                          ctx -> {
                            if (ctx.record().iteration() == 10) {
                              throw new IllegalStateException("simulated crash");
                            }
                          })
                      .run();
                }
              })
          .hasMessage("simulated crash");
      AtomicInteger first = new AtomicInteger();
      LinearModel resumed;
      Map<String, String> withResume = new HashMap<>(o);
      withResume.put("train.resume", "true");
      try (Trainer t =
          new Trainer(
              SPARK,
              TrainingSpec.from(config(root2, withResume), DAY),
              binaryInputs(binaryValidation))) {
        resumed =
            t.withIterationHook(ctx -> first.compareAndSet(0, ctx.record().iteration()))
                .run()
                .model(LinearModel.class);
      }
      assertThat(first.get()).as(optimizer + ": first iteration after resume").isEqualTo(9);
      assertThat(resumed.coefficients()[0])
          .as(optimizer)
          .isEqualTo(uninterrupted.coefficients()[0]);
      assertThat(resumed.intercepts()).as(optimizer).isEqualTo(uninterrupted.intercepts());
      assertThat(resumed.history()).hasSize(12);
      assertThat(resumed.trainObjective()).isEqualTo(uninterrupted.trainObjective());
    }
  }

  /** Runs {@code config} on {@code in} and crashes it at iteration 10 (checkpoint at 8). */
  private static void crashAtIteration10(ArborConfig config, TrainInputs in) {
    assertThatThrownBy(
            () -> {
              try (Trainer t = new Trainer(SPARK, TrainingSpec.from(config, DAY), in)) {
                t.withIterationHook(
                        ctx -> {
                          if (ctx.record().iteration() == 10) {
                            throw new IllegalStateException("simulated crash");
                          }
                        })
                    .run();
              }
            })
        .hasMessage("simulated crash");
  }

  /** Runs {@code config} with {@code train.resume}; returns the model and the first iteration. */
  private static Map.Entry<LinearModel, Integer> resume(
      String root, Map<String, String> o, TrainInputs in) {
    Map<String, String> withResume = new HashMap<>(o);
    withResume.put("train.resume", "true");
    AtomicInteger first = new AtomicInteger();
    try (Trainer t = new Trainer(SPARK, TrainingSpec.from(config(root, withResume), DAY), in)) {
      LinearModel m =
          t.withIterationHook(ctx -> first.compareAndSet(0, ctx.record().iteration()))
              .run()
              .model(LinearModel.class);
      return Map.entry(m, first.get());
    }
  }

  @Test
  void resumeAfterTheDataChangedStartsFreshAndEndsAsAnUninterruptedRunOnTheNewData() {
    Map<String, String> o =
        Map.of(
            "train.optimizer.name", "gd",
            "train.optimizer.max-iterations", "12",
            "train.checkpoint-every", "4",
            "train.early-stopping.metric", "loss",
            "train.early-stopping.every", "4",
            "train.early-stopping.patience", "100");
    Dataset<Row> newTrain = binary(1500, 3).repartition(3).cache();
    Dataset<Row> newValidation = binary(500, 4).repartition(2).cache();
    String root = TestPaths.newTempDir("resume-data").toString();
    TrainInputs old = binaryInputs(binaryValidation);

    // New train split (the date was prepared again after the crash): not resumed.
    crashAtIteration10(config(root, o), old);
    TrainInputs changedTrain =
        TrainInputs.unscaled(Task.BINARY, List.of("n", "y"), FEATURES, newTrain, binaryValidation);
    Map.Entry<LinearModel, Integer> resumed = resume(root, o, changedTrain);
    assertThat(resumed.getValue()).as("first iteration after resume").isEqualTo(1);
    LinearModel uninterrupted = train(config(root, o), changedTrain).model(LinearModel.class);
    assertThat(resumed.getKey().coefficients()[0]).isEqualTo(uninterrupted.coefficients()[0]);
    assertThat(resumed.getKey().intercepts()).isEqualTo(uninterrupted.intercepts());
    assertThat(resumed.getKey().history().stream().map(TrainingStep::loss))
        .isEqualTo(uninterrupted.history().stream().map(TrainingStep::loss).toList());

    // New validation split, read by early stopping: not resumed either.
    crashAtIteration10(config(root, o), old);
    TrainInputs changedValidation =
        TrainInputs.unscaled(Task.BINARY, List.of("n", "y"), FEATURES, binaryTrain, newValidation);
    resumed = resume(root, o, changedValidation);
    assertThat(resumed.getValue()).isEqualTo(1);
    uninterrupted = train(config(root, o), changedValidation).model(LinearModel.class);
    assertThat(resumed.getKey().coefficients()[0]).isEqualTo(uninterrupted.coefficients()[0]);

    // Same data, re-read: the checkpoint of iteration 8 is resumed.
    crashAtIteration10(config(root, o), changedValidation);
    resumed =
        resume(
            root,
            o,
            TrainInputs.unscaled(
                Task.BINARY, List.of("n", "y"), FEATURES, binaryTrain, binary(500, 4)));
    assertThat(resumed.getValue()).isEqualTo(9);
    assertThat(resumed.getKey().coefficients()[0]).isEqualTo(uninterrupted.coefficients()[0]);
  }

  @Test
  void resumeAfterTheWarmStartModelChangedStartsFresh() {
    String root = TestPaths.newTempDir("resume-warm").toString();
    Map<String, String> o =
        Map.of(
            "train.optimizer.name", "gd",
            "train.optimizer.max-iterations", "12",
            "train.checkpoint-every", "4",
            "train.warm-start", "previous");
    java.util.function.Consumer<Double> previousModel =
        b ->
            ModelStore.write(
                LinearModel.builder("t", LocalDate.parse("2024-02-29"), Task.BINARY, "logistic")
                    .classes(List.of("n", "y"))
                    .weights(FEATURES, new double[][] {{0.5, -1, 0.25, 0}}, new double[] {b}, true)
                    .build(),
                root,
                SPARK.sparkContext().hadoopConfiguration());
    previousModel.accept(0.0);
    crashAtIteration10(config(root, o), binaryInputs(binaryValidation));
    // The previous date was retrained after the crash: its model is the new starting point.
    previousModel.accept(-0.25);
    Map.Entry<LinearModel, Integer> resumed = resume(root, o, binaryInputs(binaryValidation));
    assertThat(resumed.getValue()).isEqualTo(1);
    LinearModel uninterrupted =
        train(config(root, o), binaryInputs(binaryValidation)).model(LinearModel.class);
    assertThat(resumed.getKey().coefficients()[0]).isEqualTo(uninterrupted.coefficients()[0]);
    assertThat(resumed.getKey().intercepts()).isEqualTo(uninterrupted.intercepts());
  }

  @Test
  void logsOneIterationLineEveryNIterations() {
    List<String> lines =
        LogCapture.during(
            TrainingMonitor.class.getName(),
            () ->
                train(
                    config(
                        TestPaths.newTempDir("log").toString(),
                        Map.of(
                            "train.optimizer.name", "gd",
                            "train.optimizer.max-iterations", "12",
                            "train.log-every", "5")),
                    binaryInputs(binaryValidation)));
    List<String> iterations =
        lines.stream()
            .filter(l -> l.startsWith("Candidate 0 iteration "))
            .map(l -> l.substring(0, l.indexOf(':')))
            .toList();
    assertThat(iterations)
        .containsExactly(
            "Candidate 0 iteration 1", "Candidate 0 iteration 5", "Candidate 0 iteration 10");
    assertThat(lines.stream().filter(l -> l.startsWith("Candidate 0 iteration 5:")).findFirst())
        .hasValueSatisfying(
            l -> assertThat(l).contains("loss ", "gradient norm ", "step ", "validation ", " ms"));
  }

  @Test
  void earlyStoppingStopsAndRestoresTheBestWeights() {
    // Validation labels are flipped: every training improvement worsens the validation loss, so
    // the best evaluation is the first one.
    Dataset<Row> flipped = binaryValidation.withColumn("label", lit(1.0).minus(col("label")));
    String root = TestPaths.newTempDir("early").toString();
    Map<String, String> o =
        Map.of(
            "train.early-stopping.metric", "log-loss",
            "train.early-stopping.patience", "2",
            "train.optimizer.name", "gd");
    LinearModel model = train(config(root, o), binaryInputs(flipped)).model(LinearModel.class);
    assertThat(model.stopReason()).isEqualTo("STOPPED_BY_LISTENER");
    assertThat(model.history()).hasSize(3);
    assertThat(model.history().get(0).validationMetric())
        .isLessThan(model.history().get(2).validationMetric());
    LinearModel one =
        train(
                config(
                    root,
                    Map.of("train.optimizer.name", "gd", "train.optimizer.max-iterations", "1")),
                binaryInputs(flipped))
            .model(LinearModel.class);
    assertThat(model.coefficients()[0]).isEqualTo(one.coefficients()[0]);
    assertThat(model.trainObjective()).isEqualTo(model.history().get(0).loss());
  }

  @Test
  void candidatesAreScoredAndTheBestIsSelected() {
    String root = TestPaths.newTempDir("select").toString();
    Map<String, String> o =
        Map.of(
            "train.candidates",
            "[{train.regularization.strength = 10}, {train.regularization.strength = 0.0001},"
                + " {train.loss = hinge}, {train.optimizer.name = gd,"
                + " train.optimizer.learning-rate = 0.5, train.regularization.type = l1}]",
            "train.selection-metric",
            "log-loss",
            "train.optimizer.max-iterations",
            "10");
    Trainer.Outcome out;
    try (Trainer t =
        new Trainer(
            SPARK, TrainingSpec.from(config(root, o), DAY), binaryInputs(binaryValidation))) {
      out = t.run();
      assertThat(t.blocksBuilt()).as("blocks built for 4 candidates").isEqualTo(1);
    }
    assertThat(out.candidates()).hasSize(4);
    assertThat(out.candidates().get(3).overrides())
        .containsEntry("train.optimizer.name", "gd")
        .containsEntry("train.regularization.type", "l1");
    assertThat(out.candidates().get(3).score()).isGreaterThan(out.candidates().get(1).score());
    assertThat(out.candidates().get(1).selected()).isTrue();
    assertThat(out.candidates().get(0).score()).isGreaterThan(out.candidates().get(1).score());
    assertThat(out.model(LinearModel.class).candidates()).isEqualTo(out.candidates());
    assertThat(out.model(LinearModel.class).loss()).isEqualTo("logistic");

    Map<String, String> cv = new HashMap<>(o);
    cv.put(
        "train.candidates",
        "[{train.regularization.strength = 10}, {train.regularization.strength = 0.0001}]");
    cv.put("train.cv-folds", "3");
    Trainer.Outcome folds = train(config(root, cv), binaryInputs(binaryValidation.limit(0)));
    assertThat(folds.candidates().get(0).foldScores()).hasSize(3);
    assertThat(folds.candidates().get(1).selected()).isTrue();
    assertThat(folds.model(LinearModel.class).history()).isNotEmpty();
  }

  @Test
  void divergenceFailsNamingTheIterationAndLoss() {
    String root = TestPaths.newTempDir("diverge").toString();
    Map<String, String> o =
        Map.of(
            "train.optimizer.name", "gd",
            "train.optimizer.line-search", "none",
            "train.optimizer.learning-rate", "1e6",
            "train.loss", "squared",
            "train.solver", "iterative");
    TrainInputs in =
        TrainInputs.unscaled(Task.REGRESSION, List.of(), FEATURES, binaryTrain, binaryValidation);
    assertThatThrownBy(() -> train(config(root, o), in))
        .isInstanceOf(ArborException.class)
        .satisfies(e -> assertThat(((ArborException) e).exitCode()).isEqualTo(ExitCode.FAILURE))
        .hasMessageStartingWith(
            "Cannot train model t: the optimizer diverged: Diverged at iteration")
        .hasMessageContaining("loss = ");
  }

  @Test
  void warmStartFromThePreviousModelStartsCloser() {
    String root = TestPaths.newTempDir("warm").toString();
    LinearModel yesterday =
        train(config(root, Map.of()), binaryInputs(binaryValidation)).model(LinearModel.class);
    ModelStore.write(
        LinearModel.builder(
                yesterday.name(), LocalDate.parse("2024-02-29"), yesterday.task(), yesterday.loss())
            .classes(yesterday.classes())
            .weights(yesterday.features(), yesterday.coefficients(), yesterday.intercepts(), true)
            .build(),
        root,
        SPARK.sparkContext().hadoopConfiguration());
    Map<String, String> one = Map.of("train.optimizer.max-iterations", "1");
    double cold =
        train(config(root, one), binaryInputs(binaryValidation))
            .model(LinearModel.class)
            .trainObjective();
    Map<String, String> warmConfig = new HashMap<>(one);
    warmConfig.put("train.warm-start", "previous");
    double warm =
        train(config(root, warmConfig), binaryInputs(binaryValidation))
            .model(LinearModel.class)
            .trainObjective();
    assertThat(warm).isLessThan(cold);
    assertThat(warm).isCloseTo(yesterday.trainObjective(), within(1e-6));
  }

  @Test
  @SharedDatasets
  void squaredLossUsesTheClosedFormAndLbfgsAgreesOnProstate() {
    Prostate p = Prostate.load();
    TrainInputs in =
        TrainInputs.unscaled(
            Task.REGRESSION, List.of(), Prostate.FEATURES, p.train(SPARK), p.test(SPARK));
    String root = TestPaths.newTempDir("prostate").toString();
    Map<String, String> base = Map.of("train.loss", "squared", "train.regularization.type", "none");
    LinearModel closed = train(config(root, base), in).model(LinearModel.class);
    assertThat(closed.optimizer()).startsWith("normal-equations");
    LeastSquares.Solution s = LeastSquaresSolver.fit(p.train(SPARK), Prostate.FEATURES, true, 0);
    assertThat(closed.coefficients()[0]).isEqualTo(s.coefficients());
    assertThat(closed.coefficients()[0][0]).isCloseTo(0.6760, within(5e-4));
    Map<String, String> iterative = new HashMap<>(base);
    iterative.put("train.solver", "iterative");
    iterative.put("train.optimizer.max-iterations", "500");
    iterative.put("train.optimizer.tolerance", "1e-15");
    LinearModel lbfgs = train(config(root, iterative), in).model(LinearModel.class);
    for (int j = 0; j < Prostate.FEATURES.size(); j++) {
      assertThat(lbfgs.coefficients()[0][j]).isCloseTo(s.coefficients()[j], within(1e-6));
    }
    assertThat(lbfgs.intercepts()[0]).isCloseTo(s.intercept(), within(1e-6));
  }
}

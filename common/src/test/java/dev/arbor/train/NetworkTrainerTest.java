package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import dev.arbor.model.ModelStore;
import dev.arbor.model.NetworkModel;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestConfig;
import dev.arbor.testing.TestPaths;
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

/** The network family through the train stage's orchestration, on small synthetic data. */
@Tag("spark")
class NetworkTrainerTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final LocalDate DAY = LocalDate.parse("2024-03-01");
  private static final List<String> FEATURES = List.of("x1", "x2", "x3", "x4");
  private static Dataset<Row> train;
  private static Dataset<Row> validation;

  @BeforeAll
  static void data() {
    train = rings(1200, 1).repartition(3).cache();
    validation = rings(400, 2).repartition(2).cache();
  }

  /**
   * Three classes by distance from the origin: not linearly separable, easy for one hidden layer.
   */
  static Dataset<Row> rings(int n, long seed) {
    Random rnd = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[4];
      double r2 = 0;
      for (int j = 0; j < 4; j++) {
        x[j] = rnd.nextGaussian();
        r2 += j < 2 ? x[j] * x[j] : 0;
      }
      double y = r2 < 0.6 ? 0 : r2 < 2.0 ? 1 : 2;
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
            "model.name", "net",
            "output.root", root,
            "schema.task", "multiclass",
            "train.model", "mlp",
            "train.loss", "multinomial",
            "train.mlp.hidden-layers", "[16]",
            "train.mlp.average-every", "10",
            "train.optimizer.name", "adam",
            "train.optimizer.learning-rate", "0.01",
            "train.optimizer.batch-size", "32",
            "train.optimizer.max-iterations", "8",
            "train.optimizer.tolerance", "0",
            "train.optimizer.evaluate-full-loss", "false")
        .setAll(extra)
        .parsed();
  }

  private static TrainInputs inputs() {
    return TrainInputs.unscaled(
        Task.MULTICLASS, List.of("a", "b", "c"), FEATURES, train, validation);
  }

  private static Trainer.Outcome run(ArborConfig c) {
    try (Trainer t = new Trainer(SPARK, TrainingSpec.from(c, DAY), inputs())) {
      return t.run();
    }
  }

  /**
   * The articles' recipe on small data: learns the rings, keeps the best epoch by validation
   * accuracy, and a second run gives the same weights bit for bit.
   */
  @Test
  void trainsDeterministicallyWithEarlyStopping() {
    Map<String, String> o =
        Map.of("train.early-stopping.metric", "accuracy", "train.early-stopping.patience", "3");
    NetworkModel first =
        run(config(TestPaths.newTempDir("mlp").toString(), o)).model(NetworkModel.class);
    NetworkModel second =
        run(config(TestPaths.newTempDir("mlp").toString(), o)).model(NetworkModel.class);
    assertThat(second.weights()).containsExactly(first.weights());
    assertThat(first.architecture().describe()).isEqualTo("4 → 16 relu → 3 softmax");
    assertThat(first.history()).isNotEmpty();
    double best =
        first.history().stream().mapToDouble(s -> s.validationMetric()).max().orElseThrow();
    assertThat(best).isGreaterThan(0.8);
    assertThat(first.candidates().get(0).score()).isFinite();
    assertThat(first.optimizer()).contains("average-every=10");
  }

  /** A run killed after a checkpoint and resumed ends with the uninterrupted run's weights. */
  @Test
  void resumeIsBitIdentical() {
    Map<String, String> o = Map.of("train.checkpoint-every", "2");
    NetworkModel uninterrupted =
        run(config(TestPaths.newTempDir("mlp").toString(), o)).model(NetworkModel.class);
    String root = TestPaths.newTempDir("mlp").toString();
    assertThatThrownBy(
            () -> {
              try (Trainer t =
                  new Trainer(SPARK, TrainingSpec.from(config(root, o), DAY), inputs())) {
                t.withIterationHook(
                        ctx -> {
                          if (ctx.record().iteration() == 5) {
                            throw new IllegalStateException("simulated crash");
                          }
                        })
                    .run();
              }
            })
        .hasMessage("simulated crash");
    AtomicInteger first = new AtomicInteger();
    NetworkModel resumed;
    try (Trainer t = new Trainer(SPARK, TrainingSpec.from(config(root, o), DAY, true), inputs())) {
      resumed =
          t.withIterationHook(ctx -> first.compareAndSet(0, ctx.record().iteration()))
              .run()
              .model(NetworkModel.class);
    }
    assertThat(first.get()).isEqualTo(5);
    assertThat(resumed.weights()).containsExactly(uninterrupted.weights());
    assertThat(resumed.history()).hasSize(8);
  }

  /** A grid over hidden sizes and activations selects by validation accuracy; L-BFGS also fits. */
  @Test
  void gridAndFullBatchOptimizer() {
    String root = TestPaths.newTempDir("mlp").toString();
    Map<String, String> o = new HashMap<>();
    o.put("train.grid.mlp.hidden-layers", "[[4], [12, 6]]");
    o.put("train.grid.mlp.activation", "[tanh, leaky-relu]");
    o.put("train.optimizer.max-iterations", "3");
    Trainer.Outcome out = run(config(root, o));
    assertThat(out.candidates()).hasSize(4);
    assertThat(out.candidates().stream().filter(c -> c.selected())).hasSize(1);
    NetworkModel lbfgs =
        run(config(
                root,
                Map.of("train.optimizer.name", "lbfgs", "train.optimizer.max-iterations", "15")))
            .model(NetworkModel.class);
    assertThat(lbfgs.stopReason()).isIn("MAX_ITERATIONS", "LOSS_CONVERGED", "LINE_SEARCH_FAILED");
    assertThat(lbfgs.history().get(lbfgs.history().size() - 1).loss())
        .isLessThan(lbfgs.history().get(0).loss());
  }

  /** Warm start: from yesterday's network of the same shape; another shape is a config error. */
  @Test
  void warmStartNeedsTheSameArchitecture() {
    String root = TestPaths.newTempDir("mlp").toString();
    NetworkModel yesterday =
        run(config(root, Map.of("train.optimizer.max-iterations", "2"))).model(NetworkModel.class);
    String path = ModelStore.write(yesterday, root, SPARK.sparkContext().hadoopConfiguration());
    NetworkModel warm =
        run(config(root, Map.of("train.warm-start", path, "train.optimizer.max-iterations", "1")))
            .model(NetworkModel.class);
    NetworkModel cold =
        run(config(root, Map.of("train.optimizer.max-iterations", "1"))).model(NetworkModel.class);
    assertThat(warm.weights()).isNotEqualTo(cold.weights());
    assertThatThrownBy(
            () ->
                run(
                    config(
                        root, Map.of("train.warm-start", path, "train.mlp.hidden-layers", "[8]"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.warm-start': "
                + path
                + " (cannot warm start from "
                + path
                + ": its architecture is 4 → 16 relu → 3 softmax, not 4 → 8 relu → 3 softmax)");
  }

  @Test
  void badSettingsNameTheKey() {
    String root = TestPaths.newTempDir("mlp").toString();
    assertThatThrownBy(() -> run(config(root, Map.of("train.mlp.hidden-layers", "[128, 0]"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'train.mlp.hidden-layers'")
        .hasMessageContaining("a list of layer sizes >= 1");
    assertThatThrownBy(() -> run(config(root, Map.of("train.mlp.activation", "swish"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'train.mlp.activation': swish")
        .hasMessageContaining("relu, leaky-relu, tanh, sigmoid");
    assertThatThrownBy(() -> run(config(root, Map.of("train.loss", "logistic"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'train.loss': logistic (expected multinomial for an mlp on a"
                + " multiclass task)");
    assertThatThrownBy(
            () ->
                run(
                    config(
                        root, Map.of("train.mlp.dropout", "0.5", "train.optimizer.name", "lbfgs"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "'train.mlp.dropout': 0.5 (expected 0 with train.optimizer.name = lbfgs");
  }
}

package dev.arbor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import dev.arbor.model.LinearModel;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code train.backend} reaches the trainer: the same candidate fitted with the sql backend gives
 * the tree backend's model (same L-BFGS steps, since both objectives agree to ~1e-12): objective
 * within 1e-9 relative, coefficients within 1e-7.
 */
@Tag("spark")
class TrainerBackendTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final List<String> FEATURES = List.of("x1", "x2", "x3", "x4");

  private static LinearModel train(String backend, Dataset<Row> train, Dataset<Row> validation) {
    Map<String, String> o = new HashMap<>();
    o.put("model.name", "b");
    o.put("output.root", TestPaths.newTempDir("backend").toString());
    o.put("train.precision", "float64");
    o.put("train.regularization.type", "l2");
    o.put("train.regularization.strength", "0.001");
    o.put("train.optimizer.max-iterations", "8");
    o.put("train.optimizer.tolerance", "0");
    o.put("train.backend", backend);
    ArborConfig config = ArborConfig.load(null, o);
    TrainInputs in =
        TrainInputs.unscaled(Task.BINARY, List.of("n", "y"), FEATURES, train, validation);
    try (Trainer t =
        new Trainer(SPARK, TrainingSpec.from(config, LocalDate.parse("2024-03-01")), in)) {
      return t.run().model(LinearModel.class);
    }
  }

  @Test
  void theSqlBackendTrainsTheTreeBackendsModel() {
    Dataset<Row> train = TrainerTest.binary(600, 1).repartition(2).cache();
    Dataset<Row> validation = TrainerTest.binary(200, 2).cache();
    LinearModel tree = train("tree", train, validation);
    LinearModel sql = train("sql", train, validation);
    assertThat(sql.trainObjective())
        .isCloseTo(tree.trainObjective(), within(1e-9 * tree.trainObjective()));
    assertThat(sql.coefficients()[0]).containsExactly(tree.coefficients()[0], within(1e-7));
    assertThat(sql.intercepts()).containsExactly(tree.intercepts(), within(1e-7));
    train.unpersist();
    validation.unpersist();
  }
}

package dev.arbor.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.loss.Block;
import dev.arbor.nn.Activation;
import dev.arbor.nn.Architecture;
import dev.arbor.nn.NetworkGradient;
import dev.arbor.nn.OutputLayer;
import dev.arbor.optim.Decay;
import dev.arbor.optim.LocalStepFunction.RoundRequest;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Result;
import dev.arbor.optim.RuleState;
import dev.arbor.optim.StoppingCriteria;
import dev.arbor.optim.sgd.Adam;
import dev.arbor.optim.sgd.StochasticOptimizer;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.train.data.ClassWeights;
import dev.arbor.train.data.Precision;
import dev.arbor.train.data.TrainingBlocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The network objective over cached blocks on Spark: distributed equals local, determinism. */
@Tag("spark")
class NetworkObjectiveTest {
  private static final int D = 6;
  private static final int ROWS = 1_500;
  private static TrainingBlocks blocks;
  private static List<Row> rows;
  private static Dataset<Row> frame;
  private static List<String> names;
  private static final Architecture ARCH =
      new Architecture(
          D, new int[] {8}, Activation.RELU, 3, OutputLayer.SOFTMAX_CROSS_ENTROPY, 1, 0);

  @BeforeAll
  static void data() {
    SparkSession spark = SparkTestSession.get();
    Random r = new Random(5);
    rows = new ArrayList<>();
    List<StructField> fields = new ArrayList<>();
    names = new ArrayList<>();
    for (int j = 0; j < D; j++) {
      names.add("f" + j);
      fields.add(DataTypes.createStructField("f" + j, DataTypes.DoubleType, false));
    }
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("weight", DataTypes.DoubleType, false));
    for (int i = 0; i < ROWS; i++) {
      Object[] v = new Object[D + 2];
      double s = 0;
      for (int j = 0; j < D; j++) {
        double x = r.nextGaussian();
        v[j] = x;
        s += (j % 2 == 0 ? 1 : -0.5) * x;
      }
      // Three classes by a nonlinear rule (|s| and sign), learnable by one hidden layer.
      v[D] = Math.abs(s) < 0.7 ? 0.0 : s > 0 ? 1.0 : 2.0;
      v[D + 1] = 1.0;
      rows.add(RowFactory.create(v));
    }
    frame = spark.createDataFrame(rows, DataTypes.createStructType(fields));
    blocks =
        TrainingBlocks.build(
            frame.repartition(3), names, 3, ClassWeights.none(), 200, Precision.FLOAT64);
  }

  @AfterAll
  static void close() {
    blocks.close();
  }

  /** The treeAggregate of the partitions equals one local fold over the same rows. */
  @Test
  void distributedEqualsLocal() {
    NetworkObjective f = new NetworkObjective(blocks, ARCH, 0, 1);
    double[] w = ARCH.initialWeights(3);
    double[] g = new double[w.length];
    double loss = f.valueAndGradient(w, g);
    NetworkGradient local = new NetworkGradient(ARCH, w);
    for (Block b : blocks.rdd().collect()) {
      local.add(b);
    }
    double[] expected = new double[w.length];
    local.gradient(expected);
    assertThat(loss).isCloseTo(local.loss(), within(1e-12));
    assertThat(g).containsExactly(expected, within(1e-12));
    double[] g2 = new double[w.length];
    assertThat(f.valueAndGradient(w, g2)).isEqualTo(loss);
    assertThat(g2).containsExactly(g);
  }

  /**
   * Local Adam steps averaged every 5 steps learn the task, and a second run gives the same weights
   * bit for bit.
   */
  @Test
  void localStepsLearnAndAreDeterministic() {
    Result first = train(5, 8);
    Result second = train(5, 8);
    assertThat(second.weights()).containsExactly(first.weights());
    assertThat(first.history().get(first.history().size() - 1).loss())
        .isLessThan(first.history().get(0).loss());
    assertThat(accuracy(first.weights())).isGreaterThan(0.85);
    // Averaging once per epoch is a different (valid) schedule: different weights.
    Result rare = train(1_000, 8);
    assertThat(rare.weights()).isNotEqualTo(first.weights());
    assertThat(accuracy(rare.weights())).isGreaterThan(0.7);
  }

  /**
   * With one shard there is nothing to average: the averaging interval changes nothing (one job per
   * epoch, the shard's own weights and Adam moments carried over exactly), so any interval gives
   * the weights of sequential training bit for bit.
   */
  @Test
  void oneShardIsSequentialTrainingWhateverTheInterval() {
    TrainingBlocks one =
        TrainingBlocks.build(
            frame.repartition(1), names, 3, ClassWeights.none(), 200, Precision.FLOAT64);
    try {
      Result every5 = train(one, 5, 3);
      Result every1000 = train(one, 1_000, 3);
      assertThat(every5.weights()).containsExactly(every1000.weights());
      assertThat(accuracy(every5.weights())).isGreaterThan(0.8);
      // The same steps run by hand on the collected shard, epoch after epoch, state carried over.
      ShardRows shard = new ShardRows(one.rdd().collect().iterator(), D);
      int steps = (int) ((shard.numRows() + 31) / 32);
      double[] w = ARCH.initialWeights(11);
      RuleState state = null;
      boolean[] penalized = new boolean[w.length];
      for (int epoch = 0; epoch < 3; epoch++) {
        RoundRequest r =
            new RoundRequest(w, Adam.defaults(), state, penalized, 0, 0.01, epoch, 0, steps, steps);
        ShardSteps.Partial p = ShardSteps.run(ARCH, shard, 0, 11, r, w, false);
        w = p.weightedWeights;
        state = p.weightedState;
      }
      assertThat(every5.weights()).containsExactly(w);
    } finally {
      one.close();
    }
  }

  /** Global mini-batches (one job per step) still work for the network objective. */
  @Test
  void synchronousMiniBatches() {
    NetworkObjective f = new NetworkObjective(blocks, ARCH, 0, 7);
    StochasticOptimizer adam =
        new StochasticOptimizer(Adam.defaults(), 0.01, Decay.none(), 500, true, 0);
    Result r =
        adam.minimize(
            Problem.of(f, ARCH.initialWeights(7))
                .withStopping(StoppingCriteria.defaults().withMaxIterations(3)));
    assertThat(r.history()).hasSize(3);
    assertThat(r.history().get(2).loss()).isLessThan(r.history().get(0).loss());
  }

  private static Result train(int averageEvery, int epochs) {
    return train(blocks, averageEvery, epochs);
  }

  private static Result train(TrainingBlocks data, int averageEvery, int epochs) {
    NetworkObjective f = new NetworkObjective(data, ARCH, 0, 11);
    StochasticOptimizer adam =
        new StochasticOptimizer(Adam.defaults(), 0.01, Decay.none(), 32, false, averageEvery);
    return adam.minimize(
        Problem.of(f, ARCH.initialWeights(11))
            .withStopping(
                StoppingCriteria.defaults().withMaxIterations(epochs).withRelativeTolerance(0)));
  }

  private static double accuracy(double[] w) {
    dev.arbor.nn.NetworkPass pass = new dev.arbor.nn.NetworkPass(ARCH, 1);
    int correct = 0;
    for (Row row : rows) {
      double[] x = new double[D];
      for (int j = 0; j < D; j++) {
        x[j] = row.getDouble(j);
      }
      double[] p = pass.predict(w, x, 1);
      int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
      if (best == (int) row.getDouble(D)) {
        correct++;
      }
    }
    return (double) correct / rows.size();
  }
}

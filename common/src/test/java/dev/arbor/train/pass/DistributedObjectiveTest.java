package dev.arbor.train.pass;

import static dev.arbor.loss.LossFixtures.classesFor;
import static dev.arbor.loss.LossFixtures.loss;
import static dev.arbor.loss.LossFixtures.maxRelDiff;
import static dev.arbor.loss.LossFixtures.point;
import static dev.arbor.loss.LossFixtures.relDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.LossFixtures;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.Losses;
import dev.arbor.loss.functions.SquaredLoss;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.train.data.ClassWeights;
import dev.arbor.train.data.Frames;
import dev.arbor.train.data.LabeledRow;
import dev.arbor.train.data.Precision;
import dev.arbor.train.data.TrainingBlocks;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("spark")
class DistributedObjectiveTest {
  private static final int D = 6;

  static List<String> losses() {
    return Losses.NAMES;
  }

  private static TrainingBlocks blocks(Dataset<Row> split, int classes, Precision precision) {
    return TrainingBlocks.build(
        split, Frames.featureNames(D), classes, ClassWeights.none(), 64, precision);
  }

  @ParameterizedTest
  @MethodSource("losses")
  void distributedPassEqualsTheLocalFoldOverTheSamePartitionsBitForBit(String name) {
    int k = classesFor(name);
    List<LabeledRow> rows = LossFixtures.rows(11, 1500, D, k, true);
    Dataset<Row> split = Frames.split(rows, 5);
    List<List<LabeledRow>> parts = Frames.partitions(split, D);
    LossFunction f = loss(name, D, true);
    double[] w = point(12, f.layout().dimension(), 0.3);
    for (Precision precision : Precision.values()) {
      try (TrainingBlocks b = blocks(split, k, precision)) {
        DistributedObjective dist = new DistributedObjective(b, f, 0, 1);
        LocalObjective local =
            LocalObjective.ofPartitions(
                f, parts, precision, DistributedObjective.defaultDepth(5), 1);
        double[] gd = new double[w.length];
        double[] gl = new double[w.length];
        assertThat(dist.valueAndGradient(w, gd)).isEqualTo(local.valueAndGradient(w, gl));
        assertThat(gd).containsExactly(gl);
        MiniBatch batch = new MiniBatch(2, 1, 4);
        assertThat(dist.batchValueAndGradient(w, gd, batch))
            .isEqualTo(local.batchValueAndGradient(w, gl, batch));
        assertThat(gd).containsExactly(gl);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("losses")
  void distributedPassEqualsAPlainSequentialFold(String name) {
    int k = classesFor(name);
    List<LabeledRow> rows = LossFixtures.rows(21, 2000, D, k, true);
    Dataset<Row> split = Frames.split(rows, 4);
    LossFunction f = loss(name, D, true);
    double[] w = point(22, f.layout().dimension(), 0.3);
    double[] g = new double[w.length];
    // float64: the same rows in one sequential fold; only the summation order differs
    LossAggregator sequential = LossFixtures.fold(f, w, rows);
    double[] gs = new double[w.length];
    sequential.gradient(gs);
    try (TrainingBlocks b = blocks(split, k, Precision.FLOAT64)) {
      double v = new DistributedObjective(b, f, 0, 1).valueAndGradient(w, g);
      assertThat(relDiff(v, sequential.loss())).isLessThan(1e-12);
      assertThat(maxRelDiff(g, gs)).isLessThan(1e-12);
    }
    // float32 storage: exactly the objective of the float-rounded rows
    LossAggregator rounded = LossFixtures.fold(f, w, Frames.roundedToFloat(rows));
    rounded.gradient(gs);
    try (TrainingBlocks b = blocks(split, k, Precision.FLOAT32)) {
      double v = new DistributedObjective(b, f, 0, 1).valueAndGradient(w, g);
      assertThat(relDiff(v, rounded.loss())).isLessThan(1e-12);
      assertThat(maxRelDiff(g, gs)).isLessThan(1e-12);
    }
  }

  @Test
  void resultDoesNotDependOnThePartitionCount() {
    List<LabeledRow> rows = LossFixtures.rows(31, 3000, D, 3, true);
    LossFunction f = loss("multinomial", D, true);
    double[] w = point(32, f.layout().dimension(), 0.5);
    double[] reference = null;
    double referenceValue = 0;
    for (int partitions : new int[] {1, 3, 8}) {
      try (TrainingBlocks b = blocks(Frames.split(rows, partitions), 3, Precision.FLOAT64)) {
        double[] g = new double[w.length];
        double v = new DistributedObjective(b, f, 0, 1).valueAndGradient(w, g);
        if (reference == null) {
          reference = g;
          referenceValue = v;
        } else {
          assertThat(relDiff(v, referenceValue)).as("%d partitions", partitions).isLessThan(1e-9);
          assertThat(maxRelDiff(g, reference)).as("%d partitions", partitions).isLessThan(1e-9);
        }
      }
    }
  }

  /**
   * 24 partitions whose values differ by up to 14 orders of magnitude (so summation order shows in
   * the last bits: see {@link FixedTreeSumTest#theDataIsOrderSensitiveSoTheTestAboveHasPower}),
   * evaluated repeatedly, with tasks forced to finish in opposite orders, at depths 1 to 3, and
   * after rebuilding the blocks: every result must be bit-identical for a given depth.
   */
  @Test
  void resultsAreBitIdenticalAcrossCallsCompletionOrdersAndReruns() {
    int partitions = 24;
    List<LabeledRow> rows = new ArrayList<>();
    List<LabeledRow> base = LossFixtures.rows(41, 480, D, 0, true);
    for (int i = 0; i < base.size(); i++) {
      double scale = Math.pow(10, 2 * ((i / 20) % 8)); // 20 rows per partition
      double[] x = base.get(i).features().clone();
      for (int j = 0; j < D; j++) {
        x[j] *= scale;
      }
      rows.add(new LabeledRow(x, base.get(i).label() * scale, base.get(i).weight()));
    }
    Dataset<Row> split = Frames.split(rows, partitions);
    List<List<LabeledRow>> parts = Frames.partitions(split, D);
    LossFunction f = new SquaredLoss(D, true);
    double[] w = point(42, f.layout().dimension(), 0.7);
    for (int depth = 1; depth <= 3; depth++) {
      double[] first = null;
      try (TrainingBlocks b = blocks(split, 0, Precision.FLOAT64)) {
        DistributedObjective obj = new DistributedObjective(b, f, depth, 1);
        first = evaluate(obj, w);
        assertThat(evaluate(obj, w)).containsExactly(first);
        obj.setPartitionHook(p -> sleep(2L * (partitions - p))); // last partitions finish first
        assertThat(evaluate(obj, w)).containsExactly(first);
        obj.setPartitionHook(p -> sleep(2L * p)); // first partitions finish first
        assertThat(evaluate(obj, w)).containsExactly(first);
        obj.setPartitionHook(p -> sleep(p % 2 == 0 ? 30 : 0)); // interleaved
        assertThat(evaluate(obj, w)).containsExactly(first);
      }
      try (TrainingBlocks rebuilt = blocks(split, 0, Precision.FLOAT64)) {
        assertThat(evaluate(new DistributedObjective(rebuilt, f, depth, 1), w))
            .as("depth %d after rebuilding the blocks", depth)
            .containsExactly(first);
      }
      // the same fixed tree folded in this JVM
      LocalObjective local = LocalObjective.ofPartitions(f, parts, Precision.FLOAT64, depth, 1);
      double[] g = new double[w.length];
      assertThat(local.valueAndGradient(w, g)).isEqualTo(first[0]);
      assertThat(g).containsExactly(java.util.Arrays.copyOfRange(first, 1, first.length));
    }
  }

  @Test
  void theDefaultTreeDepthFollowsThePartitionCount() {
    assertThat(DistributedObjective.defaultDepth(1)).isEqualTo(1);
    assertThat(DistributedObjective.defaultDepth(16)).isEqualTo(1);
    assertThat(DistributedObjective.defaultDepth(17)).isEqualTo(2);
    assertThat(DistributedObjective.defaultDepth(10_000)).isEqualTo(2);
    List<LabeledRow> rows = LossFixtures.rows(52, 170, D, 2, false);
    LossFunction f = loss("logistic", D, true);
    try (TrainingBlocks few = blocks(Frames.split(rows, 2), 2, Precision.FLOAT64);
        TrainingBlocks many = blocks(Frames.split(rows, 17), 2, Precision.FLOAT64)) {
      assertThat(many.numPartitions()).isEqualTo(17);
      assertThat(new DistributedObjective(few, f, 0, 1).aggregationDepth()).isEqualTo(1);
      DistributedObjective auto = new DistributedObjective(many, f, 0, 1);
      assertThat(auto.aggregationDepth()).isEqualTo(2);
      assertThat(new DistributedObjective(many, f, 3, 1).aggregationDepth()).isEqualTo(3);
      double[] w = point(53, f.layout().dimension(), 0.3);
      double[] g2 = new double[w.length];
      double[] g1 = new double[w.length];
      assertThat(auto.valueAndGradient(w, g2))
          .isCloseTo(
              new DistributedObjective(many, f, 1, 1).valueAndGradient(w, g1), within(1e-12));
    }
  }

  @Test
  void theBroadcastIsDestroyedAfterEveryCall() {
    List<LabeledRow> rows = LossFixtures.rows(51, 200, D, 2, false);
    try (TrainingBlocks b = blocks(Frames.split(rows, 2), 2, Precision.FLOAT32)) {
      DistributedObjective obj = new DistributedObjective(b, loss("logistic", D, true), 0, 1);
      double[] w = new double[obj.dimension()];
      obj.valueAndGradient(w, new double[w.length]);
      var full = obj.lastBroadcast();
      assertThatThrownBy(full::value).hasMessageContaining("after it was destroyed");
      obj.batchValueAndGradient(w, new double[w.length], new MiniBatch(0, 0, 2));
      var batch = obj.lastBroadcast();
      assertThat(batch.id()).isNotEqualTo(full.id());
      assertThatThrownBy(batch::value).hasMessageContaining("after it was destroyed");
    }
  }

  @Test
  void miniBatchesOfAnEpochUseEveryRowOnceAcrossPartitions() {
    int n = 40;
    List<LabeledRow> rows = LocalObjectiveTest.unitRows(n);
    Dataset<Row> split = Frames.split(rows, 4);
    LossFunction f = new SquaredLoss(n, false);
    try (TrainingBlocks b =
        TrainingBlocks.build(
            split, Frames.featureNames(n), 0, ClassWeights.none(), 7, Precision.FLOAT32)) {
      DistributedObjective obj = new DistributedObjective(b, f, 0, 17);
      int steps = 5;
      int[] uses = new int[n];
      List<Integer> firstEpochStep0 = null;
      for (int s = 0; s < steps; s++) {
        double[] g = new double[n];
        obj.batchValueAndGradient(new double[n], g, new MiniBatch(0, s, steps));
        List<Integer> used = LocalObjectiveTest.rowsOf(g);
        // 4 partitions of 10 rows, 5 slices: 2 rows from each partition
        assertThat(used).hasSize(8);
        assertThat(obj.aggregateBatch(new double[n], new MiniBatch(0, s, steps)).rowCount())
            .isEqualTo(used.size());
        firstEpochStep0 = s == 0 ? used : firstEpochStep0;
        used.forEach(j -> uses[j]++);
      }
      assertThat(uses).containsOnly(1);
      double[] g = new double[n];
      obj.batchValueAndGradient(new double[n], g, new MiniBatch(1, 0, steps));
      assertThat(LocalObjectiveTest.rowsOf(g)).isNotEqualTo(firstEpochStep0);
    }
  }

  @Test
  void anEmptyMiniBatchIsReportedClearly() {
    List<LabeledRow> rows = LossFixtures.rows(61, 6, D, 0, false);
    try (TrainingBlocks b = blocks(Frames.split(rows, 2), 0, Precision.FLOAT64)) {
      DistributedObjective obj = new DistributedObjective(b, new SquaredLoss(D, true), 0, 1);
      double[] w = new double[obj.dimension()];
      // 3 rows per partition in 5 slices: slice 0 is empty everywhere
      assertThatThrownBy(
              () -> obj.batchValueAndGradient(w, new double[w.length], new MiniBatch(0, 0, 5)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "Cannot evaluate mini-batch MiniBatch[epoch=0, step=0, stepsPerEpoch=5]")
          .hasMessageContaining("use fewer steps per epoch");
    }
  }

  @Test
  void aLossThatDoesNotFitTheBlocksIsRejected() {
    List<LabeledRow> rows = LossFixtures.rows(71, 20, D, 2, false);
    try (TrainingBlocks b = blocks(Frames.split(rows, 1), 2, Precision.FLOAT64)) {
      assertThatThrownBy(() -> new DistributedObjective(b, loss("logistic", D + 1, true), 0, 1))
          .hasMessage(
              "Cannot build the objective: the loss expects 7 features but the blocks have: 6");
      assertThatThrownBy(() -> new DistributedObjective(b, loss("multinomial", D, true), 0, 1))
          .hasMessage(
              "Cannot build the objective: the multinomial loss expects 3 classes but the blocks"
                  + " were built for: 2");
    }
  }

  /** Value and gradient concatenated. */
  private static double[] evaluate(DistributedObjective obj, double[] w) {
    double[] g = new double[w.length];
    double v = obj.valueAndGradient(w, g);
    double[] out = new double[w.length + 1];
    out[0] = v;
    System.arraycopy(g, 0, out, 1, g.length);
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.arbor.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.DataValidationException;
import dev.arbor.loss.Block;
import dev.arbor.loss.LossFixtures;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class TrainingBlocksTest {
  private static final int D = 5;

  @Test
  void blocksHoldEveryRowInOrderAndReportTheirSize() {
    List<LabeledRow> rows = LossFixtures.rows(1, 100, D, 2, true);
    Dataset<Row> split = Frames.split(rows, 3); // 33, 33, 34 rows
    try (TrainingBlocks b =
        TrainingBlocks.build(
            split, Frames.featureNames(D), 2, ClassWeights.none(), 10, Precision.FLOAT64)) {
      assertThat(b.numRows()).isEqualTo(100);
      assertThat(b.numPartitions()).isEqualTo(3);
      assertThat(b.numBlocks()).isEqualTo(12); // 4 + 4 + 4 blocks of <= 10 rows
      assertThat(b.rowsInPartition(2)).isEqualTo(34);
      assertThat(b.payloadBytes()).isEqualTo(100L * (D * 8 + 16));
      assertThat(b.cachedBytes()).isPositive(); // Spark's estimate: see cachedBytes()
      double w = rows.stream().mapToDouble(LabeledRow::weight).sum();
      assertThat(b.weightSum()).isCloseTo(w, within(1e-9));

      List<List<Block>> parts = b.rdd().glom().collect();
      List<LabeledRow> read = new ArrayList<>();
      for (List<Block> part : parts) {
        for (int i = 0; i < part.size(); i++) {
          Block block = part.get(i);
          assertThat(block.numRows()).isEqualTo(i < part.size() - 1 ? 10 : block.numRows());
          for (int r = 0; r < block.numRows(); r++) {
            double[] x = new double[D];
            for (int j = 0; j < D; j++) {
              x[j] = block.feature(r, j);
            }
            read.add(new LabeledRow(x, block.labels()[r], block.weights()[r]));
          }
        }
      }
      assertThat(read).hasSize(100);
      for (int i = 0; i < 100; i++) {
        assertThat(read.get(i).features()).containsExactly(rows.get(i).features());
        assertThat(read.get(i).label()).isEqualTo(rows.get(i).label());
        assertThat(read.get(i).weight()).isEqualTo(rows.get(i).weight());
      }
    }
  }

  @Test
  void float32StoresFeaturesInHalfTheBytes() {
    List<LabeledRow> rows = LossFixtures.rows(2, 400, 20, 0, false);
    Dataset<Row> split = Frames.split(rows, 2);
    long bytes64;
    try (TrainingBlocks b =
        TrainingBlocks.build(
            split, Frames.featureNames(20), 0, ClassWeights.none(), 128, Precision.FLOAT64)) {
      bytes64 = b.payloadBytes();
      assertThat(bytes64).isEqualTo(400L * (20 * 8 + 16));
    }
    try (TrainingBlocks b =
        TrainingBlocks.build(
            split, Frames.featureNames(20), 0, ClassWeights.none(), 128, Precision.FLOAT32)) {
      assertThat(b.payloadBytes()).isEqualTo(400L * (20 * 4 + 16));
      assertThat((double) b.payloadBytes()).isLessThan(0.55 * bytes64);
      Block first = b.rdd().first();
      assertThat(first.isFloat32()).isTrue();
      assertThat(first.features32()[3]).isEqualTo((float) rows.get(0).features()[3]);
    }
  }

  @Test
  void balancedClassWeightsEqualPreMultipliedInstanceWeights() {
    List<LabeledRow> rows = new ArrayList<>();
    for (LabeledRow r : LossFixtures.rows(3, 200, D, 3, true)) {
      // skew: drop two thirds of class 2
      if (r.label() != 2 || rows.size() % 3 == 0) {
        rows.add(r);
      }
    }
    long[] counts = new long[3];
    rows.forEach(r -> counts[(int) r.label()]++);
    try (TrainingBlocks b =
        TrainingBlocks.build(
            Frames.split(rows, 2),
            Frames.featureNames(D),
            3,
            ClassWeights.balanced(),
            16,
            Precision.FLOAT64)) {
      double[] m = b.classMultipliers();
      double expectedWeight = 0;
      for (int k = 0; k < 3; k++) {
        assertThat(m[k]).isEqualTo((double) rows.size() / (3.0 * counts[k]));
      }
      for (LabeledRow r : rows) {
        expectedWeight += r.weight() * m[(int) r.label()];
      }
      assertThat(b.weightSum()).isCloseTo(expectedWeight, within(1e-9));
      Block first = b.rdd().first();
      assertThat(first.weights()[0]).isEqualTo(rows.get(0).weight() * m[(int) rows.get(0).label()]);
    }
  }

  @Test
  void explicitClassWeightsMultiplyTheirClassOnly() {
    List<LabeledRow> rows = LossFixtures.rows(4, 50, D, 2, false);
    try (TrainingBlocks b =
        TrainingBlocks.build(
            Frames.split(rows, 1),
            Frames.featureNames(D),
            2,
            ClassWeights.explicit(java.util.Map.of(1, 3.0)),
            16,
            Precision.FLOAT32)) {
      long ones = rows.stream().filter(r -> r.label() == 1).count();
      assertThat(b.weightSum()).isEqualTo(50 - ones + 3.0 * ones);
      assertThat(b.classMultipliers()).containsExactly(1.0, 3.0);
    }
  }

  @Test
  void invalidColumnsAreRejectedNamingTheColumn() {
    Dataset<Row> split = Frames.split(LossFixtures.rows(5, 10, D, 2, false), 1);
    assertThatThrownBy(() -> build(split.drop("f_3"), 2))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Cannot build training blocks: column 'f_3' is missing from the split");
    assertThatThrownBy(() -> build(split.withColumn("weight", functions.lit(1)), 2))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Invalid type of column 'weight': int (expected double)");
  }

  @Test
  void invalidValuesAreRejectedNamingColumnAndValue() {
    Dataset<Row> split = Frames.split(LossFixtures.rows(6, 10, D, 3, false), 2);
    assertThatThrownBy(() -> build(split, 2))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Invalid value in column 'label': 2.0 (expected a class index 0 or 1)");
    assertThatThrownBy(() -> build(split.withColumn("weight", functions.lit(-1.0)), 3))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Invalid value in column 'weight': -1.0 (expected a finite number >= 0)");
    assertThatThrownBy(
            () ->
                build(
                    split.withColumn(
                        "f_1",
                        functions
                            .when(functions.col("row_id").equalTo("r7"), Double.NaN)
                            .otherwise(functions.col("f_1"))),
                    3))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Invalid value in feature column 'f_1': NaN (expected a finite double)");
    assertThatThrownBy(
            () ->
                TrainingBlocks.build(
                    split,
                    Frames.featureNames(D),
                    2,
                    ClassWeights.balanced(),
                    8,
                    Precision.FLOAT32))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Invalid value in column 'label': 2.0 (expected a class index 0 or 1)");
  }

  @Test
  void anEmptyOrWeightlessSplitIsRejected() {
    Dataset<Row> split = Frames.split(LossFixtures.rows(7, 10, D, 2, false), 2);
    assertThatThrownBy(() -> build(split.filter("label > 5"), 2))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot train on the split: its total weight is not positive (0 rows, weight sum 0.0)");
    assertThatThrownBy(() -> build(split.withColumn("weight", functions.lit(0.0)), 2))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot train on the split: its total weight is not positive (10 rows, weight sum"
                + " 0.0)");
  }

  private static TrainingBlocks build(Dataset<Row> split, int classes) {
    return TrainingBlocks.build(
        split, Frames.featureNames(D), classes, ClassWeights.none(), 8, Precision.FLOAT32);
  }
}

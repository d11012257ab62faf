package dev.arbor.loss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.loss.functions.Losses;
import dev.arbor.loss.kernel.LinearKernel;
import dev.arbor.train.data.BlockBuilder;
import dev.arbor.train.data.LabeledRow;
import dev.arbor.train.data.Precision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LossAggregator#add} works on groups of four rows through the kernel of this JVM; its sums
 * must equal, bit for bit, those of the row-at-a-time loop it replaced (margins, loss, gradient
 * update per row, with the scalar kernel), for every loss, precision, width and tail length, with
 * zero-weight rows and zero gradient scales (hinge) inside groups.
 */
class GroupedFoldTest {

  static List<String> losses() {
    return Losses.NAMES;
  }

  @ParameterizedTest
  @MethodSource("losses")
  void groupedFoldIsBitIdenticalToARowAtATimeFold(String name) {
    for (Precision precision : Precision.values()) {
      for (int d : new int[] {0, 1, 3, 4, 7, 9}) {
        for (boolean intercept : new boolean[] {true, false}) {
          if (d == 0 && !intercept) {
            continue; // no weights at all
          }
          LossFunction f = LossFixtures.loss(name, d, intercept);
          double[] w = LossFixtures.point(d + 11, f.layout().dimension(), 0.8);
          List<LabeledRow> data = new ArrayList<>();
          for (LabeledRow r :
              LossFixtures.rows(d + 5, 45, d, LossFixtures.classesFor(name), true)) {
            // every fifth row has weight 0: skipped inside a group
            data.add(data.size() % 5 == 2 ? new LabeledRow(r.features(), r.label(), 0.0) : r);
          }
          for (int blockSize : new int[] {1, 3, 6, 4096}) {
            List<Block> blocks = BlockBuilder.blocksOf(data, d, blockSize, precision);
            LossAggregator grouped = f.newAggregator(w);
            blocks.forEach(grouped::add);
            LossAggregator reference = f.newAggregator(w);
            double[] ref = rowAtATime(reference, f.layout(), w, blocks);
            String what = name + " " + precision + " d=" + d + " block=" + blockSize;
            assertThat(grouped.lossSum()).as(what).isEqualTo(ref[0]);
            assertThat(grouped.weightSum()).as(what).isEqualTo(ref[1]);
            assertThat(grouped.rowCount()).as(what).isEqualTo((long) ref[2]);
            double[] g = grouped.gradientSum();
            for (int i = 0; i < g.length; i++) {
              assertThat(Double.doubleToRawLongBits(g[i]))
                  .as(what + " gradient[" + i + "]")
                  .isEqualTo(Double.doubleToRawLongBits(ref[3 + i]));
            }
          }
        }
      }
    }
  }

  /**
   * The loop of LossAggregator before grouping: per row with non-zero weight, its margins, its
   * loss, then {@code grad += wᵢ·∂loss/∂mₖ · x} for every non-zero scale. Returns {loss sum, weight
   * sum, rows, gradient…}.
   */
  private static double[] rowAtATime(
      LossAggregator agg, WeightLayout layout, double[] w, List<Block> blocks) {
    LinearKernel scalar = LinearKernel.scalar();
    int d = layout.numFeatures();
    int k = layout.numOutputs();
    int base = k * d;
    double[] out = new double[3 + layout.dimension()];
    double[] m = new double[k];
    double[] dm = new double[k];
    for (Block b : blocks) {
      for (int i = 0; i < b.numRows(); i++) {
        double wi = b.weights()[i];
        if (wi == 0.0) {
          continue;
        }
        int off = i * d;
        for (int c = 0; c < k; c++) {
          double mc =
              b.isFloat32()
                  ? scalar.dot(b.features32(), off, w, c * d, d)
                  : scalar.dot(b.features64(), off, w, c * d, d);
          m[c] = layout.fitIntercept() ? mc + w[base + c] : mc;
        }
        out[0] += wi * agg.rowLoss(b.labels()[i], m, dm);
        for (int c = 0; c < k; c++) {
          double g = wi * dm[c];
          if (g == 0.0) {
            continue;
          }
          if (b.isFloat32()) {
            scalar.axpy(g, b.features32(), off, out, 3 + c * d, d);
          } else {
            scalar.axpy(g, b.features64(), off, out, 3 + c * d, d);
          }
          if (layout.fitIntercept()) {
            out[3 + base + c] += g;
          }
        }
        out[1] += wi;
        out[2]++;
      }
    }
    return out;
  }
}

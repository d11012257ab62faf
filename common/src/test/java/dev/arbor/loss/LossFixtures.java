package dev.arbor.loss;

import dev.arbor.loss.functions.Losses;
import dev.arbor.train.data.BlockBuilder;
import dev.arbor.train.data.LabeledRow;
import dev.arbor.train.data.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random rows, weights and folds for the loss tests. */
public final class LossFixtures {
  private LossFixtures() {}

  /** The number of classes each loss expects (0 = regression). */
  public static int classesFor(String loss) {
    return switch (loss) {
      case "logistic", "hinge" -> 2;
      case "multinomial" -> 3;
      default -> 0;
    };
  }

  public static LossFunction loss(String name, int numFeatures, boolean intercept) {
    return Losses.create(name, numFeatures, classesFor(name), intercept, 0.7);
  }

  /**
   * {@code n} rows of {@code d} Gaussian features (feature {@code j} scaled by {@code 1 + j}),
   * labels valid for {@code numClasses} (0: real labels), weights in [0.2, 3) or all 1.
   */
  public static List<LabeledRow> rows(long seed, int n, int d, int numClasses, boolean weighted) {
    Random rnd = new Random(seed);
    List<LabeledRow> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        x[j] = rnd.nextGaussian() * (1 + j);
      }
      double y = numClasses == 0 ? rnd.nextGaussian() * 3 : rnd.nextInt(numClasses);
      double w = weighted ? 0.2 + rnd.nextDouble() * 2.8 : 1.0;
      out.add(new LabeledRow(x, y, w));
    }
    return out;
  }

  public static double[] point(long seed, int dim, double scale) {
    Random rnd = new Random(seed);
    double[] w = new double[dim];
    for (int i = 0; i < dim; i++) {
      w[i] = rnd.nextGaussian() * scale;
    }
    return w;
  }

  /** Folds {@code rows} (float64 blocks of 7 rows, to cross block boundaries). */
  public static LossAggregator fold(LossFunction loss, double[] w, List<LabeledRow> rows) {
    LossAggregator agg = loss.newAggregator(w);
    for (Block b : BlockBuilder.blocksOf(rows, loss.layout().numFeatures(), 7, Precision.FLOAT64)) {
      agg.add(b);
    }
    return agg;
  }

  public static double value(LossFunction loss, double[] w, List<LabeledRow> rows) {
    return fold(loss, w, rows).loss();
  }

  public static double[] gradient(LossFunction loss, double[] w, List<LabeledRow> rows) {
    double[] g = new double[w.length];
    fold(loss, w, rows).gradient(g);
    return g;
  }

  /** Largest {@code |a−b| / max(1, |a|, |b|)} over the elements. */
  public static double maxRelDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, relDiff(a[i], b[i]));
    }
    return m;
  }

  public static double relDiff(double a, double b) {
    return Math.abs(a - b) / Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
  }
}

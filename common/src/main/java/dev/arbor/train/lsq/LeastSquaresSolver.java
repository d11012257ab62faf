package dev.arbor.train.lsq;

import static org.apache.spark.sql.functions.col;

import dev.arbor.DataValidationException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The closed-form solver for the squared loss without L1 (train.solver = normal): one distributed
 * pass accumulates an {@link RFactor} of {@code [features, label]} weighted by {@code weight} over
 * a prepared split, the driver solves it with {@link LeastSquares}.
 *
 * <p>The partial factors are combined in a fixed tree (partition {@code i} joins group {@code i /
 * FAN_IN}, each group merges in partition order, the driver merges the last level in order), unlike
 * {@code RDD.treeAggregate}, whose final fold runs in task-completion order: the result is
 * bit-identical across re-runs on the same partitioning. Cost: {@code O(p²)} per row and {@code
 * O(p³)} per merge, for {@code p} features.
 */
public final class LeastSquaresSolver {
  private static final Logger LOG = LoggerFactory.getLogger(LeastSquaresSolver.class);

  /** Partials merged per tree node. */
  static final int FAN_IN = 16;

  private LeastSquaresSolver() {}

  /**
   * Fits weighted (ridge) least squares on a prepared split.
   *
   * @param split columns {@code label}, {@code weight} and the features, all DOUBLE
   * @param features the feature columns, in model order
   * @param fitIntercept whether to fit an unpenalized intercept
   * @param l2 λ ≥ 0 on the mean-loss scale (see {@link LeastSquares})
   * @throws DataValidationException when a weight is negative or a value is not finite
   */
  public static LeastSquares.Solution fit(
      Dataset<Row> split, List<String> features, boolean fitIntercept, double l2) {
    long start = System.nanoTime();
    RFactor factor = accumulate(split, features);
    LeastSquares.Solution solution = LeastSquares.solve(factor, fitIntercept, l2);
    LOG.info(
        "Least squares on {} rows x {} features: rank {}, {}, objective {}, {} ms",
        solution.count(),
        features.size(),
        solution.rank(),
        solution.method(),
        solution.objective(),
        (System.nanoTime() - start) / 1_000_000);
    return solution;
  }

  /** The factor of {@code [features, label]} over {@code split}, in one deterministic pass. */
  public static RFactor accumulate(Dataset<Row> split, List<String> features) {
    List<Column> columns = new ArrayList<>();
    for (String f : features) {
      columns.add(col(f).cast("double"));
    }
    columns.add(col("label").cast("double"));
    columns.add(col("weight").cast("double"));
    int dim = features.size() + 1;
    JavaRDD<Partial> partials =
        split
            .select(columns.toArray(new Column[0]))
            .javaRDD()
            .mapPartitions(rows -> List.of(Partial.of(rows, dim)).iterator());
    int n = partials.getNumPartitions();
    while (n > FAN_IN) {
      int groups = (n + FAN_IN - 1) / FAN_IN;
      JavaPairRDD<Integer, Tuple2<Integer, Partial>> keyed =
          partials
              .mapPartitionsWithIndex(
                  (index, it) -> {
                    List<Tuple2<Integer, Tuple2<Integer, Partial>>> out = new ArrayList<>();
                    it.forEachRemaining(
                        p -> out.add(new Tuple2<>(index / FAN_IN, new Tuple2<>(index, p))));
                    return out.iterator();
                  },
                  true)
              .mapToPair(t -> t);
      partials =
          keyed
              .groupByKey(new HashPartitioner(groups))
              .values()
              .map(LeastSquaresSolver::mergeInOrder);
      n = groups;
    }
    Partial total = new Partial(dim);
    for (Partial p : partials.collect()) {
      total.merge(p);
    }
    DataValidationException.check(
        total.invalid == 0,
        "Cannot fit least squares: %d rows have a negative or non-finite weight, or a non-finite"
            + " label or feature (first values: %s)",
        total.invalid,
        total.firstInvalid);
    return total.factor;
  }

  private static Partial mergeInOrder(Iterable<Tuple2<Integer, Partial>> group) {
    List<Tuple2<Integer, Partial>> sorted = new ArrayList<>();
    group.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Tuple2::_1));
    Partial out = new Partial(sorted.get(0)._2().factor.dim());
    for (Tuple2<Integer, Partial> t : sorted) {
      out.merge(t._2());
    }
    return out;
  }

  /** One partition's factor and its count of invalid rows. */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    final RFactor factor;
    long invalid;
    String firstInvalid;

    Partial(int dim) {
      this.factor = new RFactor(dim);
    }

    static Partial of(Iterator<Row> rows, int dim) {
      Partial p = new Partial(dim);
      double[] v = new double[dim];
      while (rows.hasNext()) {
        Row row = rows.next();
        boolean ok = true;
        for (int j = 0; j < dim; j++) {
          if (row.isNullAt(j)) {
            ok = false;
            break;
          }
          v[j] = row.getDouble(j);
          ok &= Double.isFinite(v[j]);
        }
        double w = row.isNullAt(dim) ? Double.NaN : row.getDouble(dim);
        if (!ok || !(w >= 0) || Double.isInfinite(w)) {
          if (p.invalid++ == 0) {
            p.firstInvalid = row.toString();
          }
          continue;
        }
        p.factor.add(v, w);
      }
      return p;
    }

    void merge(Partial other) {
      factor.merge(other.factor);
      if (invalid == 0) {
        firstInvalid = other.firstInvalid;
      }
      invalid += other.invalid;
    }
  }
}

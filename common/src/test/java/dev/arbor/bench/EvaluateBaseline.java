package dev.arbor.bench;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.spark.ColumnTrees;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The minimal hand-written Spark job {@code scripts/bench-evaluate} compares Arbor's {@code
 * evaluate} with: for each prepared split ({@code train}, {@code validation}, {@code test}) of a
 * binary linear model, the predictions (the sigmoid of the intercept plus the dot product of the
 * model's coefficients with the prepared features, as one column expression), then the exact
 * AUC-ROC by one sort, the accuracy at threshold 0.5 and the log loss. None of Arbor's extras (no
 * weights, no F1-optimal threshold, no curves, confusion matrices or tables, no predictions table).
 *
 * <p>Exact AUC: the rows are grouped by score (positives and negatives per distinct score), the
 * groups sorted by score (the one sort), and one pass over the sorted groups adds, per group, its
 * positives times (the negatives of lower scores + half its own negatives), with each partition's
 * offset of lower negatives from a first pass of per-partition totals: the Mann–Whitney statistic
 * with ties counted half.
 *
 * <p>Usage: {@code EvaluateBaseline <prepared folder> <model.json>}. Prints one line per split with
 * the three metrics, then {@code baseline evaluate <seconds> s} (from the first read to the last
 * metric).
 */
public final class EvaluateBaseline {
  private static final double EPS = Math.ulp(1.0);

  private EvaluateBaseline() {}

  /** Runs the job; returns the seconds it took. */
  public static double run(SparkSession spark, String prepared, String modelJson)
      throws IOException {
    long start = System.nanoTime();
    JsonNode model = new ObjectMapper().readTree(new File(modelJson));
    List<Column> terms = new ArrayList<>();
    terms.add(lit(model.get("intercepts").get(0).asDouble()));
    JsonNode coefficients = model.get("coefficients").get(0);
    for (int j = 0; j < coefficients.size(); j++) {
      String f = model.get("features").get(j).asText();
      terms.add(col("`" + f + "`").multiply(lit(coefficients.get(j).asDouble())));
    }
    Column score = lit(1.0).divide(lit(1.0).plus(exp(ColumnTrees.sum(terms).multiply(-1.0))));
    for (String split : List.of("train", "validation", "test")) {
      Dataset<Row> p =
          spark
              .read()
              .parquet(prepared + "/" + split)
              .select(score.as("p"), col("label").as("y"))
              .cache();
      Column clipped = least(greatest(col("p"), lit(EPS)), lit(1.0 - EPS));
      Row m =
          p.agg(
                  avg(when(col("p").geq(0.5), 1.0).otherwise(0.0).equalTo(col("y")).cast("double")),
                  avg(
                      col("y")
                          .multiply(log(clipped))
                          .plus(lit(1.0).minus(col("y")).multiply(log(lit(1.0).minus(clipped))))
                          .multiply(-1.0)))
              .first();
      double auc = auc(p);
      p.unpersist();
      System.out.printf(
          Locale.ROOT,
          "%s: auc_roc %.6f accuracy %.6f log_loss %.6f%n",
          split,
          auc,
          m.getDouble(0),
          m.getDouble(1));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The exact AUC-ROC of scores {@code p} against 0/1 labels {@code y} (ties count half). */
  static double auc(Dataset<Row> p) {
    JavaRDD<Row> groups =
        p.groupBy(col("p"))
            .agg(sum(col("y")).as("pos"), count(lit(1)).minus(sum(col("y"))).as("neg"))
            .orderBy(col("p"))
            .javaRDD()
            .cache();
    List<double[]> totals =
        groups
            .mapPartitionsWithIndex(
                (Integer i, Iterator<Row> it) -> {
                  double pos = 0;
                  double neg = 0;
                  while (it.hasNext()) {
                    Row r = it.next();
                    pos += r.getDouble(1);
                    neg += r.getDouble(2);
                  }
                  return List.of(new double[] {i, pos, neg}).iterator();
                },
                true)
            .collect();
    double[] offset = new double[totals.size()];
    double positives = 0;
    double negatives = 0;
    for (double[] t : totals.stream().sorted((a, b) -> Double.compare(a[0], b[0])).toList()) {
      offset[(int) t[0]] = negatives;
      positives += t[1];
      negatives += t[2];
    }
    double wins =
        groups
            .mapPartitionsWithIndex(
                (Integer i, Iterator<Row> it) -> {
                  double below = offset[i];
                  double w = 0;
                  while (it.hasNext()) {
                    Row r = it.next();
                    w += r.getDouble(1) * (below + r.getDouble(2) / 2);
                    below += r.getDouble(2);
                  }
                  return List.of(w).iterator();
                },
                true)
            .collect()
            .stream()
            .mapToDouble(Double::doubleValue)
            .sum();
    groups.unpersist();
    return positives == 0 || negatives == 0 ? Double.NaN : wins / (positives * negatives);
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("Usage: EvaluateBaseline <prepared folder> <model.json>");
    }
    SparkSession spark =
        SparkSession.builder().appName("arbor-bench-evaluate-baseline").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      double s = run(spark, args[0], args[1]);
      System.out.printf(Locale.ROOT, "baseline evaluate %.1f s%n", s);
    } finally {
      spark.stop();
    }
  }
}

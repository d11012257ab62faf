package dev.arbor.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.arbor.loss.Block;
import dev.arbor.nn.Activation;
import dev.arbor.nn.Architecture;
import dev.arbor.nn.NetworkPass;
import dev.arbor.nn.OutputLayer;
import dev.arbor.optim.Decay;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Result;
import dev.arbor.optim.StoppingCriteria;
import dev.arbor.optim.sgd.Adam;
import dev.arbor.optim.sgd.StochasticOptimizer;
import dev.arbor.train.data.ClassWeights;
import dev.arbor.train.data.Precision;
import dev.arbor.train.data.TrainingBlocks;
import dev.arbor.train.nn.NetworkObjective;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The training core of the MLP on Fashion-MNIST, without the pipeline: 784 → hidden relu → 10
 * softmax, Adam, pixels / 255, local steps averaged every K. Prints per epoch the wall time and the
 * test accuracy; "total" sums the epochs' training time (the accuracy pass is not counted, as in
 * {@code scripts/bench/mlp_torch.py}). Options: {@code --data} (folder with train/test.parquet)
 * {@code --epochs} (10) {@code --batch} (32) {@code --average-every} (100) {@code --hidden} (128)
 * {@code --partitions} (2) {@code --rate} (1e-3) {@code --seed} (42).
 */
public final class MlpBench {
  private MlpBench() {}

  public static void main(String[] args) {
    String data = "../shared/datasets/fashion-mnist";
    int epochs = 10;
    int batch = 32;
    int averageEvery = 100;
    int hidden = 128;
    int partitions = 2;
    double rate = 1e-3;
    long seed = 42;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--data" -> data = v;
        case "--epochs" -> epochs = Integer.parseInt(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--average-every" -> averageEvery = Integer.parseInt(v);
        case "--hidden" -> hidden = Integer.parseInt(v);
        case "--partitions" -> partitions = Integer.parseInt(v);
        case "--rate" -> rate = Double.parseDouble(v);
        case "--seed" -> seed = Long.parseLong(v);
        default -> throw new IllegalArgumentException("Invalid option: " + args[i]);
      }
    }
    SparkSession spark = SparkSession.builder().appName("arbor-bench-mlp").getOrCreate();
    spark.sparkContext().setLogLevel(System.getProperty("bench.log", "WARN"));
    List<String> features = new ArrayList<>();
    for (int j = 0; j < 784; j++) {
      features.add("p" + j);
    }
    long t0 = System.nanoTime();
    TrainingBlocks train = blocks(spark, data + "/train.parquet", features, partitions);
    TrainingBlocks test = blocks(spark, data + "/test.parquet", features, partitions);
    System.out.printf("blocks built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Architecture arch =
        new Architecture(
            784, new int[] {hidden}, Activation.RELU, 10, OutputLayer.SOFTMAX_CROSS_ENTROPY, 1, 0);
    NetworkObjective objective = new NetworkObjective(train, arch, 0, seed);
    StochasticOptimizer adam =
        new StochasticOptimizer(
            new Adam(0.9, 0.999, 1e-8, 0), rate, Decay.none(), batch, false, averageEvery);
    long[] last = {System.nanoTime(), processCpuNanos()};
    double[] trainSeconds = {0};
    Problem problem =
        Problem.of(objective, arch.initialWeights(seed))
            .withStopping(
                StoppingCriteria.defaults().withMaxIterations(epochs).withRelativeTolerance(0))
            .withListener(
                ctx -> {
                  long now = System.nanoTime();
                  double seconds = (now - last[0]) / 1e9;
                  double cpuSeconds = (processCpuNanos() - last[1]) / 1e9;
                  trainSeconds[0] += seconds;
                  double accuracy = accuracy(test, arch, ctx.weights());
                  System.out.printf(
                      "epoch %d: loss %.4f, %.2f s (CPU %.2f s), test accuracy %.4f, total %.1f s%n",
                      ctx.record().iteration(),
                      ctx.record().loss(),
                      seconds,
                      cpuSeconds,
                      accuracy,
                      trainSeconds[0]);
                  last[0] = System.nanoTime();
                  last[1] = processCpuNanos();
                });
    Result r = adam.minimize(problem);
    System.out.println(r);
    spark.stop();
  }

  /** This JVM's CPU time (all threads), comparable across runs on a shared machine. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static TrainingBlocks blocks(
      SparkSession spark, String path, List<String> features, int partitions) {
    Dataset<Row> df = spark.read().parquet(path);
    List<Column> cols = new ArrayList<>();
    for (String f : features) {
      cols.add(col(f).cast("double").divide(lit(255.0)).as(f));
    }
    cols.add(col("label").cast("double").as("label"));
    cols.add(lit(1.0).as("weight"));
    Dataset<Row> d = df.select(cols.toArray(new Column[0])).repartition(partitions);
    return TrainingBlocks.build(d, features, 10, ClassWeights.none(), 4096, Precision.FLOAT32);
  }

  static double accuracy(TrainingBlocks test, Architecture arch, double[] w) {
    long[] counts =
        test.rdd()
            .map(
                (Block b) -> {
                  NetworkPass pass = new NetworkPass(arch, b.numRows());
                  double[] x = new double[b.numRows() * b.numFeatures()];
                  for (int i = 0; i < x.length; i++) {
                    x[i] = b.features32()[i];
                  }
                  double[] p = pass.predict(w, x, b.numRows());
                  long correct = 0;
                  for (int i = 0; i < b.numRows(); i++) {
                    int best = 0;
                    for (int k = 1; k < 10; k++) {
                      if (p[i * 10 + k] > p[i * 10 + best]) {
                        best = k;
                      }
                    }
                    if (best == (int) b.labels()[i]) {
                      correct++;
                    }
                  }
                  return new long[] {correct, b.numRows()};
                })
            .reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    return (double) counts[0] / counts[1];
  }
}

package dev.arbor.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Spark MLlib's {@code MultilayerPerceptronClassifier} (layers [784, hidden, 10], L-BFGS, its only
 * solver for this) on Fashion-MNIST with pixels / 255, the reference {@code scripts/bench-mlp}
 * compares Arbor with. For each iteration budget in {@code --iterations} (e.g. 25,50,100,150) it
 * fits from scratch and prints the fit time and the test accuracy. Options: {@code --data}, {@code
 * --iterations} (25,50,100), {@code --hidden} (128), {@code --partitions} (2), {@code --seed} (42).
 */
public final class MlpMllibBench {
  private MlpMllibBench() {}

  public static void main(String[] args) {
    String data = "../shared/datasets/fashion-mnist";
    String iterations = "25,50,100";
    int hidden = 128;
    int partitions = 2;
    long seed = 42;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--data" -> data = v;
        case "--iterations" -> iterations = v;
        case "--hidden" -> hidden = Integer.parseInt(v);
        case "--partitions" -> partitions = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        default -> throw new IllegalArgumentException("Invalid option: " + args[i]);
      }
    }
    SparkSession spark = SparkSession.builder().appName("arbor-bench-mlp-mllib").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> train = vectors(spark, data + "/train.parquet", partitions);
    Dataset<Row> test = vectors(spark, data + "/test.parquet", partitions);
    System.out.printf("mllib data: %d train, %d test rows%n", train.count(), test.count());
    for (String it : iterations.split(",")) {
      int maxIter = Integer.parseInt(it.trim());
      MultilayerPerceptronClassifier mlp =
          new MultilayerPerceptronClassifier()
              .setLayers(new int[] {784, hidden, 10})
              .setMaxIter(maxIter)
              .setTol(0)
              .setSeed(seed);
      long start = System.nanoTime();
      MultilayerPerceptronClassificationModel model = mlp.fit(train);
      double seconds = (System.nanoTime() - start) / 1e9;
      double accuracy =
          new MulticlassClassificationEvaluator()
              .setMetricName("accuracy")
              .evaluate(model.transform(test));
      System.out.printf(
          "mllib iterations %d: fit %.1f s, test accuracy %.4f%n", maxIter, seconds, accuracy);
    }
    spark.stop();
  }

  private static Dataset<Row> vectors(SparkSession spark, String path, int partitions) {
    Dataset<Row> df = spark.read().parquet(path);
    List<Column> cols = new ArrayList<>();
    String[] names = new String[784];
    for (int j = 0; j < 784; j++) {
      names[j] = "p" + j;
      cols.add(col(names[j]).cast("double").divide(lit(255.0)).as(names[j]));
    }
    cols.add(col("label").cast("double").as("label"));
    Dataset<Row> scaled = df.select(cols.toArray(new Column[0]));
    Dataset<Row> out =
        new VectorAssembler()
            .setInputCols(names)
            .setOutputCol("features")
            .transform(scaled)
            .select("features", "label")
            .repartition(partitions)
            .persist(StorageLevel.MEMORY_AND_DISK());
    out.count();
    return out;
  }
}

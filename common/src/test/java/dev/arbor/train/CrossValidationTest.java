package dev.arbor.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.config.ArborConfig;
import dev.arbor.model.Model;
import dev.arbor.model.TrainingStep;
import dev.arbor.prep.ScaleMethod;
import dev.arbor.testing.SparkTestSession;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * k-fold cross-validation ({@link ModelSelection}): stratified folds against the straightforward
 * definition computed here on the driver, the fold-size-weighted score, and that a fold's training
 * rows are scaled with statistics of those rows only (changing a held-out value changes nothing the
 * fold's model sees).
 */
@Tag("spark")
@Tag("reliability")
class CrossValidationTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final long SEED = 7;
  private static final StructType SCHEMA =
      new StructType()
          .add("row_id", DataTypes.StringType)
          .add("label", DataTypes.DoubleType)
          .add("weight", DataTypes.DoubleType)
          .add("x", DataTypes.DoubleType)
          .add("c", DataTypes.DoubleType);

  /** Raw rows {label, weight, x, c}: class sizes {@code sizes}, x with a class-dependent mean. */
  private static double[][] raw(int... sizes) {
    Random rnd = new Random(3);
    List<double[]> rows = new ArrayList<>();
    for (int k = 0; k < sizes.length; k++) {
      for (int i = 0; i < sizes[k]; i++) {
        rows.add(new double[] {k, 1 + rows.size() % 3, 10 + k + rnd.nextGaussian(), i % 2});
      }
    }
    return rows.toArray(double[][]::new);
  }

  /** Prepared rows: x scaled with the whole split's statistics ({@code method}), c as is. */
  private static Dataset<Row> prepared(double[][] raw, ScaleMethod method) {
    double[] x = java.util.Arrays.stream(raw).mapToDouble(r -> r[2]).toArray();
    double[] cs = scaling(x, method);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      rows.add(RowFactory.create("r" + i, raw[i][0], raw[i][1], (x[i] - cs[0]) / cs[1], raw[i][3]));
    }
    return SPARK.createDataFrame(rows, SCHEMA).repartition(3);
  }

  /** {center, scale} as PrepFitter fits them. */
  private static double[] scaling(double[] x, ScaleMethod method) {
    double mean = java.util.Arrays.stream(x).average().orElseThrow();
    double ss = java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum();
    double lo = java.util.Arrays.stream(x).min().orElseThrow();
    double hi = java.util.Arrays.stream(x).max().orElseThrow();
    return method == ScaleMethod.STANDARDIZE
        ? new double[] {mean, Math.sqrt(ss / x.length)}
        : new double[] {lo, hi - lo};
  }

  /** The reference folds: per class, rows sorted by (xxhash64(row_id, seed), row_id), cut. */
  private static Map<String, Integer> referenceFolds(Dataset<Row> df, int k, boolean stratify) {
    Map<String, List<Row>> byClass = new TreeMap<>();
    for (Row r :
        df.select(col("row_id"), col("label"), xxhash64(col("row_id"), lit(SEED)))
            .collectAsList()) {
      byClass.computeIfAbsent(stratify ? "" + r.getDouble(1) : "", c -> new ArrayList<>()).add(r);
    }
    Map<String, Integer> fold = new HashMap<>();
    for (List<Row> rows : byClass.values()) {
      rows.sort(
          Comparator.<Row>comparingLong(r -> r.getLong(2)).thenComparing(r -> r.getString(0)));
      int n = rows.size();
      for (int r = 1; r <= n; r++) {
        int f = 0;
        while (f < k - 1 && r > Math.floor(n * ((double) (f + 1) / k) + 0.5)) {
          f++;
        }
        fold.put(rows.get(r - 1).getString(0), f);
      }
    }
    return fold;
  }

  private static Map<String, Integer> folds(Dataset<Row> df, int k, int classes) {
    Map<String, Integer> out = new HashMap<>();
    for (Row r :
        df.withColumn("f", ModelSelection.foldOf(df, k, SEED, classes))
            .select("row_id", "f")
            .collectAsList()) {
      out.put(r.getString(0), r.getInt(1));
    }
    return out;
  }

  @Test
  void foldsAreStratifiedExactlyAndDeterministic() {
    for (int[] sizes : List.of(new int[] {357, 212}, new int[] {150, 100, 43, 7})) {
      double[][] raw = raw(sizes);
      Dataset<Row> df = prepared(raw, ScaleMethod.STANDARDIZE);
      for (int k : new int[] {3, 5, 10}) {
        Map<String, Integer> fold = folds(df, k, sizes.length);
        assertThat(fold).isEqualTo(referenceFolds(df, k, true));
        assertThat(folds(df, k, sizes.length)).as("same folds again").isEqualTo(fold);
        int[][] counts = new int[k][sizes.length];
        for (int i = 0; i < raw.length; i++) {
          counts[fold.get("r" + i)][(int) raw[i][0]]++;
        }
        for (int f = 0; f < k; f++) {
          for (int c = 0; c < sizes.length; c++) {
            assertThat((double) counts[f][c])
                .as("class %d in fold %d of %d", c, f, k)
                .isCloseTo((double) sizes[c] / k, within(0.999));
          }
        }
      }
      // Regression: one group, fold sizes within one row of n/k.
      Map<String, Integer> fold = folds(df, 4, 0);
      assertThat(fold).isEqualTo(referenceFolds(df, 4, false));
      int[] sizesByFold = new int[4];
      fold.values().forEach(f -> sizesByFold[f]++);
      for (int s : sizesByFold) {
        assertThat((double) s).isCloseTo(raw.length / 4.0, within(0.999));
      }
    }
  }

  @Test
  void scoreIsTheFoldWeightedMean() {
    assertThat(ModelSelection.weightedMean(new double[] {0.5, 0.8, 0.9}, new double[] {1, 2, 7}))
        .isCloseTo(0.84, within(1e-15));
    assertThat(ModelSelection.weightedMean(new double[] {Double.NaN, 0.8}, new double[] {0, 2}))
        .isEqualTo(0.8);
    double[][] raw = raw(57, 30);
    Dataset<Row> df = prepared(raw, ScaleMethod.STANDARDIZE);
    Recorder rec = new Recorder();
    ModelSelection.Selected<Recorder.Fit> s = select(rec, df, 3, ScaleMethod.STANDARDIZE);
    // Hand computation: fold f scores f + 1 (Recorder); weights are the held-out row weights.
    Map<String, Integer> fold = referenceFolds(df, 3, true);
    double[] w = new double[3];
    for (int i = 0; i < raw.length; i++) {
      w[fold.get("r" + i)] += raw[i][1];
    }
    double expected = (w[0] * 1 + w[1] * 2 + w[2] * 3) / (w[0] + w[1] + w[2]);
    assertThat(s.results().get(0).foldScores()).containsExactly(1.0, 2.0, 3.0);
    assertThat(s.results().get(0).score()).isCloseTo(expected, within(1e-12));
    assertThat(expected).as("differs from the plain mean").isNotCloseTo(2.0, within(1e-3));
  }

  @Test
  void aFoldIsScaledWithoutItsHeldOutRows() {
    for (ScaleMethod method : List.of(ScaleMethod.STANDARDIZE, ScaleMethod.MIN_MAX)) {
      double[][] a = raw(40, 20);
      Dataset<Row> dfA = prepared(a, method);
      Map<String, Integer> fold = referenceFolds(dfA, 3, true);
      double[][] b = java.util.Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
      int extreme = 0;
      while (fold.get("r" + extreme) != 0) {
        extreme++;
      }
      b[extreme][2] = 1e6; // a held-out row of fold 0
      Dataset<Row> dfB = prepared(b, method);
      Recorder recA = new Recorder();
      Recorder recB = new Recorder();
      select(recA, dfA, 3, method);
      select(recB, dfB, 3, method);
      if (method == ScaleMethod.STANDARDIZE) {
        Recorder again = new Recorder();
        select(again, dfA, 3, method);
        assertThat(again.train).as("same data: same fold rows, bit for bit").isEqualTo(recA.train);
        assertThat(again.eval).isEqualTo(recA.eval);
      }
      // The leak the refit removes: the whole split's scaling moved every prepared value.
      String other = "r" + (extreme + 1);
      assertThat(
              Math.abs(
                  dfA.filter(col("row_id").equalTo(other)).first().getDouble(3)
                      - dfB.filter(col("row_id").equalTo(other)).first().getDouble(3)))
          .isGreaterThan(0.1);
      // What fold 0's model saw: identical in both, and the raw values scaled with statistics of
      // fold 0's training rows only.
      assertThat(recB.train.keySet()).isEqualTo(recA.train.keySet());
      double[] fitX =
          recA.train.keySet().stream()
              .mapToDouble(id -> a[Integer.parseInt(id.substring(1))][2])
              .toArray();
      double[] cs = scaling(fitX, method);
      for (Map.Entry<String, Double> e : recA.train.entrySet()) {
        double x = a[Integer.parseInt(e.getKey().substring(1))][2];
        assertThat(e.getValue()).isCloseTo((x - cs[0]) / cs[1], within(1e-9));
        assertThat(recB.train.get(e.getKey())).isCloseTo(e.getValue(), within(1e-9));
      }
      for (Map.Entry<String, Double> e : recA.eval.entrySet()) {
        double x = a[Integer.parseInt(e.getKey().substring(1))][2];
        assertThat(e.getValue()).as("held-out row").isCloseTo((x - cs[0]) / cs[1], within(1e-9));
      }
    }
  }

  private static ModelSelection.Selected<Recorder.Fit> select(
      Recorder rec, Dataset<Row> df, int k, ScaleMethod method) {
    Map<String, String> o = new HashMap<>();
    o.put("model.name", "t");
    o.put("output.root", "/nonexistent");
    List<Candidate> candidates =
        TrainingSpec.from(ArborConfig.load(null, o), LocalDate.parse("2024-03-01")).candidates();
    FoldScaling scaling = new FoldScaling(method, List.of("x"), List.of());
    return new ModelSelection<>(
            rec, null, k, SEED, 2, scaling, d -> d.persist(StorageLevel.MEMORY_AND_DISK()))
        .select(candidates, ValidationMetric.LOG_LOSS, df, df.limit(0), 0);
  }

  /** Records fold 0's rows (x by row id); fold f scores f + 1; the refit records nothing. */
  private static final class Recorder implements CandidateFitter<Recorder.Fit> {
    final Map<String, Double> train = new TreeMap<>();
    final Map<String, Double> eval = new TreeMap<>();

    record Fit() implements CandidateFit {
      @Override
      public double[] weights() {
        return new double[0];
      }

      @Override
      public double objective() {
        return 0;
      }

      @Override
      public String optimizer() {
        return "none";
      }

      @Override
      public String stopReason() {
        return "none";
      }

      @Override
      public List<TrainingStep> history() {
        return List.of();
      }
    }

    @Override
    public Fit fit(Candidate candidate, FitData data, TrainingMonitors monitors) {
      if (data.fold() == 0) {
        data.train().collectAsList().forEach(r -> train.put(r.getString(0), r.getDouble(3)));
        data.eval().collectAsList().forEach(r -> eval.put(r.getString(0), r.getDouble(3)));
      }
      return new Fit();
    }

    @Override
    public double evaluate(Candidate candidate, Fit fit, FitData data, ValidationMetric metric) {
      return data.fold() + 1;
    }

    @Override
    public Model model(Candidate candidate, Fit fit, ModelMetadata metadata) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void release(String key) {}

    @Override
    public void close() {}
  }
}

package dev.arbor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.ingest.Task;
import dev.arbor.nn.Activation;
import dev.arbor.nn.Architecture;
import dev.arbor.nn.NetworkPass;
import dev.arbor.nn.OutputLayer;
import dev.arbor.testing.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The network family's model file, parameter rows and scoring. */
@Tag("spark")
class NetworkModelTest {
  private static final List<String> FEATURES = List.of("a", "b", "c");

  private static NetworkModel model(Task task, OutputLayer out, int outputs, List<String> classes) {
    Architecture arch = new Architecture(3, new int[] {4, 2}, Activation.TANH, outputs, out, 1, 0);
    double[] w = arch.initialWeights(3);
    for (int i = 0; i < w.length; i++) {
      w[i] += 0.01 * i; // biases non-zero too
    }
    return NetworkModel.of(
            "m",
            LocalDate.parse("2026-01-02"),
            task,
            out.lossName(),
            classes,
            FEATURES,
            arch,
            w,
            new double[] {1, 2, 3},
            new double[] {2, 4, 0.5})
        .withTraining(
            "prep",
            null,
            "fp",
            "Adam",
            "MAX_ITERATIONS",
            0.25,
            List.of(new TrainingStep(1, 0.5, 0.7, 0.1, 0.001, 12)),
            List.of(new CandidateResult(0, Map.of(), "accuracy", 0.9, List.of(), 0.25, 1, true)),
            Map.of("arbor", "test"));
  }

  @Test
  void jsonRoundTripIsExact() {
    NetworkModel m =
        model(Task.MULTICLASS, OutputLayer.SOFTMAX_CROSS_ENTROPY, 3, List.of("x", "y", "z"));
    byte[] json = ModelStore.toJson(m);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"family\" : \"mlp\"");
    Model back = ModelStore.fromJson(json, "test");
    assertThat(back).isInstanceOf(NetworkModel.class);
    NetworkModel n = (NetworkModel) back;
    assertThat(n.weights()).containsExactly(m.weights());
    assertThat(n.architecture()).isEqualTo(m.architecture());
    assertThat(n.history()).isEqualTo(m.history());
    assertThat(ModelStore.toJson(n)).isEqualTo(json);
  }

  @Test
  void rejectsWeightsOfAnotherShape() {
    NetworkModel m = model(Task.BINARY, OutputLayer.SIGMOID_LOG_LOSS, 1, List.of("0", "1"));
    String json =
        new String(ModelStore.toJson(m), StandardCharsets.UTF_8)
            .replace("\"hiddenLayers\" : [ 4, 2 ]", "\"hiddenLayers\" : [ 5, 2 ]");
    assertThatThrownBy(() -> ModelStore.fromJson(json.getBytes(StandardCharsets.UTF_8), "x.json"))
        .hasMessageContaining("Cannot read model x.json")
        .hasMessageContaining("29 weights for 3 → 5 tanh → 2 tanh → 1 sigmoid (expected 35)");
  }

  /**
   * A warm start moves the first layer between prepared spaces: same outputs on the same raw row.
   */
  @Test
  void weightsInAnotherPreparedSpaceGiveTheSameOutputs() {
    NetworkModel m = model(Task.REGRESSION, OutputLayer.IDENTITY_SQUARED, 1, List.of());
    double[] raw = {4, -1, 2.5};
    double[] c2 = {0.5, 1, -2};
    double[] s2 = {3, 1, 2};
    double[] x1 = new double[3];
    double[] x2 = new double[3];
    for (int i = 0; i < 3; i++) {
      x1[i] = (raw[i] - m.centers()[i]) / m.scales()[i];
      x2[i] = (raw[i] - c2[i]) / s2[i];
    }
    NetworkPass pass = new NetworkPass(m.architecture(), 1);
    double before = pass.predict(m.weights(), x1, 1)[0];
    double after = pass.predict(m.weightsIn(c2, s2), x2, 1)[0];
    assertThat(after).isCloseTo(before, within(1e-12));
  }

  @Test
  void parameterRowsSummarizeEachLayer() {
    NetworkModel m =
        model(Task.MULTICLASS, OutputLayer.SOFTMAX_CROSS_ENTROPY, 3, List.of("x", "y", "z"));
    List<Model.ParameterRow> rows = m.parameterRows();
    assertThat(rows).hasSize(3 * 5);
    assertThat(rows.get(0))
        .isEqualTo(new Model.ParameterRow("layer 1 (3 → 4 tanh)", "parameters", 16, 16));
    assertThat(rows.get(10).group()).isEqualTo("layer 3 (2 → 3 softmax)");
    Architecture arch = m.architecture();
    double sq = 0;
    for (int i = arch.weightOffset(1); i < arch.biasOffset(1); i++) {
      sq += m.weights()[i] * m.weights()[i];
    }
    assertThat(rows.get(6).name()).isEqualTo("weight_l2_norm");
    assertThat(rows.get(6).value()).isCloseTo(Math.sqrt(sq), within(1e-15));
  }

  /** Scoring on Spark gives the forward pass's outputs and the Predictions contract's columns. */
  @Test
  void scoresMulticlassAndBinaryAsTheForwardPass() {
    var spark = SparkTestSession.get();
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("row_id", DataTypes.LongType, false));
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    for (String f : FEATURES) {
      fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
    }
    Random r = new Random(2);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      rows.add(
          RowFactory.create(
              (long) i,
              (double) r.nextInt(3),
              r.nextGaussian(),
              r.nextGaussian(),
              r.nextGaussian()));
    }
    Dataset<Row> df =
        spark.createDataFrame(rows, DataTypes.createStructType(fields)).repartition(3);
    NetworkModel multi =
        model(Task.MULTICLASS, OutputLayer.SOFTMAX_CROSS_ENTROPY, 3, List.of("x", "y", "z"));
    Dataset<Row> scored = multi.score(df).orderBy("row_id");
    assertThat(scored.columns())
        .containsExactly("row_id", "label", "prediction", "prob_0", "prob_1", "prob_2");
    List<Row> out = scored.collectAsList();
    NetworkPass pass = new NetworkPass(multi.architecture(), 1);
    for (int i = 0; i < 600; i += 37) {
      Row in = rows.get(i);
      double[] p =
          pass.predict(
              multi.weights(), new double[] {in.getDouble(2), in.getDouble(3), in.getDouble(4)}, 1);
      Row o = out.get(i);
      assertThat(o.getLong(0)).isEqualTo(i);
      assertThat(new double[] {o.getDouble(3), o.getDouble(4), o.getDouble(5)})
          .containsExactly(p[0], p[1], p[2]);
      int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
      assertThat(o.getDouble(2)).isEqualTo(best);
    }
    NetworkModel binary = model(Task.BINARY, OutputLayer.SIGMOID_LOG_LOSS, 1, List.of("0", "1"));
    Dataset<Row> b = binary.score(df.drop("label"), 0.3);
    assertThat(b.columns()).containsExactly("row_id", "prediction", "score");
    for (Row o : b.collectAsList()) {
      assertThat(o.getDouble(1)).isEqualTo(o.getDouble(2) >= 0.3 ? 1.0 : 0.0);
    }
    assertThatThrownBy(() -> multi.score(df.drop("b")))
        .hasMessageContaining("missing feature column 'b'");
  }
}

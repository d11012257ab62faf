package dev.arbor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.config.ArborConfig;
import dev.arbor.ingest.Task;
import dev.arbor.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class ModelStoreTest {
  private final Configuration conf = new Configuration();

  static LinearModel binaryModel(String runDate) throws Exception {
    return LinearModel.builder("m1", LocalDate.parse(runDate), Task.BINARY, "logistic")
        .classes(List.of("no", "yes"))
        .weights(
            List.of("a", "b", "c__x"),
            new double[][] {{0.5, -2.0, 1.0 / 3.0}},
            new double[] {0.25},
            true)
        .scaling(new double[] {10, -1, 0}, new double[] {2, 4, 1})
        .config(new ObjectMapper().readTree(ArborConfig.defaults().canonicalJson()))
        .dataFingerprint("sha256:abc")
        .training(
            "lbfgs(m=10)",
            "LOSS_CONVERGED",
            0.1234,
            List.of(new TrainingStep(1, 0.7, Double.NaN, 0.1, 1.0, 12)))
        .candidates(
            List.of(new CandidateResult(0, Map.of(), "auc", 0.9, List.of(), 0.1234, 1, true)))
        .versions(Map.of("arbor", "dev", "spark", "4.0.1"))
        .build();
  }

  @Test
  void mapsWeightsBackToOriginalUnitsByHand() throws Exception {
    LinearModel m = binaryModel("2024-01-02");
    // w_raw = w / scale; b_raw = b - Σ w·center/scale = 0.25 - (0.5·10/2 + (-2)(-1)/4 + 0) = -2.75.
    assertThat(m.originalCoefficients()[0]).containsExactly(0.25, -0.5, 1.0 / 3.0);
    assertThat(m.originalIntercepts()[0]).isCloseTo(-2.75, within(1e-15));
  }

  @Test
  void writesAtomicallyAndReadsBackBitForBit() throws Exception {
    Path root = TestPaths.newTempDir("models");
    LinearModel m = binaryModel("2024-01-02");
    String path = ModelStore.write(m, root.toString(), conf);
    assertThat(path).endsWith("models/m1/run_date=2024-01-02/model.json");
    // A re-run replaces the file; no temporary file is left behind.
    ModelStore.write(m, root.toString(), conf);
    try (Stream<Path> files = Files.list(root.resolve("models/m1/run_date=2024-01-02"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")))
          .containsExactly("model.json");
    }
    LinearModel back = ModelStore.read(path, conf, LinearModel.class);
    assertThat(back.coefficients()[0]).containsExactly(m.coefficients()[0]);
    assertThat(back.originalIntercepts()).containsExactly(m.originalIntercepts());
    assertThat(back.history().get(0).validationMetric()).isNaN();
    assertThat(back.history()).isEqualTo(m.history());
    assertThat(back.candidates()).isEqualTo(m.candidates());
    assertThat(back.config()).isEqualTo(m.config());
    assertThat(back.config().get("model").get("name").asText()).isEqualTo("demo");
    assertThat(back.features()).isEqualTo(m.features());
    assertThat(ModelStore.toJson(back)).isEqualTo(ModelStore.toJson(m));
  }

  @Test
  void findsTheLatestModelBeforeARunDate() throws Exception {
    Path root = TestPaths.newTempDir("models");
    ModelStore.write(binaryModel("2024-01-01"), root.toString(), conf);
    ModelStore.write(binaryModel("2024-01-03"), root.toString(), conf);
    ModelStore.write(binaryModel("2024-01-05"), root.toString(), conf);
    assertThat(ModelStore.latestBefore(root.toString(), "m1", LocalDate.parse("2024-01-05"), conf))
        .hasValueSatisfying(p -> assertThat(p).endsWith("run_date=2024-01-03/model.json"));
    assertThat(ModelStore.latestBefore(root.toString(), "m1", LocalDate.parse("2024-01-01"), conf))
        .isEmpty();
    assertThat(
            ModelStore.latestBefore(root.toString(), "other", LocalDate.parse("2024-01-01"), conf))
        .isEmpty();
  }

  @Test
  void rejectsInconsistentModels() {
    assertThatThrownBy(
            () ->
                LinearModel.builder(
                        "m", LocalDate.parse("2024-01-01"), Task.MULTICLASS, "multinomial")
                    .classes(List.of("a", "b", "c"))
                    .weights(List.of("x"), new double[][] {{1}}, new double[] {0}, true)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid model: 1 coefficient rows and 1 intercepts (expected 3 for task multiclass)");
    assertThatThrownBy(() -> ModelStore.fromJson("{\"format\": 1}".getBytes(), "x.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read model x.json:");
  }

  @Test
  void writesItsFamilyAndReadsFilesWithoutOneAsLinear() throws Exception {
    LinearModel m = binaryModel("2024-01-02");
    byte[] json = ModelStore.toJson(m);
    com.fasterxml.jackson.databind.node.ObjectNode node =
        (com.fasterxml.jackson.databind.node.ObjectNode) ModelStore.MAPPER.readTree(json);
    assertThat(node.path("family").asText()).isEqualTo("linear");
    assertThat(node.path("runDate").asText()).isEqualTo("2024-01-02");
    assertThat(node.path("task").asText()).isEqualTo("binary");
    // A file written before families existed has no "family": it reads as a linear model.
    node.remove("family");
    Model old = ModelStore.fromJson(ModelStore.MAPPER.writeValueAsBytes(node), "old.json");
    assertThat(old).isInstanceOf(LinearModel.class);
    assertThat(old.runDate()).isEqualTo(LocalDate.parse("2024-01-02"));
    assertThat(ModelStore.toJson(old)).isEqualTo(json);
    node.put("family", "forest");
    assertThatThrownBy(
            () -> ModelStore.fromJson(ModelStore.MAPPER.writeValueAsBytes(node), "f.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read model f.json: unknown family 'forest' (expected one of [linear, mlp])");
  }

  @Test
  void linearParameterRowsAreTheCoefficientsInBothSpaces() throws Exception {
    LinearModel m = binaryModel("2024-01-02");
    List<Model.ParameterRow> rows = m.parameterRows();
    assertThat(rows).hasSize(1 + m.features().size());
    assertThat(rows.get(0))
        .isEqualTo(
            new Model.ParameterRow(
                null, "(intercept)", m.originalIntercepts()[0], m.intercepts()[0]));
    assertThat(rows.get(2))
        .isEqualTo(
            new Model.ParameterRow(
                null, "b", m.originalCoefficients()[0][1], m.coefficients()[0][1]));
  }
}

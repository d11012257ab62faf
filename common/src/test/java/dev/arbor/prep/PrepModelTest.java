package dev.arbor.prep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ingest.Task;
import dev.arbor.testing.TestPaths;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class PrepModelTest {
  static PrepModel model() {
    return new PrepModel(
        PrepModel.FORMAT_VERSION_WITHOUT_REFERENCES,
        Task.MULTICLASS,
        "kind",
        "w",
        null,
        List.of("cat", "dog", "eel"),
        List.of(
            new NumericColumn("hours-per-week", ImputeMethod.MEDIAN, 40.0, 3, false),
            new NumericColumn("k", ImputeMethod.DROP_ROW, 0.1 + 0.2, 0, true)),
        List.of("color"),
        ScaleMethod.STANDARDIZE,
        List.of(
            new Feature(
                "hours_per_week",
                Feature.Origin.NUMERIC,
                "hours-per-week",
                null,
                40.4,
                12.3456789012345),
            new Feature("k", Feature.Origin.NUMERIC, "k", null, 0.30000000000000004, 1.0),
            new Feature("color__red", Feature.Origin.CATEGORY, "color", "red", 0, 1),
            new Feature("color__missing", Feature.Origin.MISSING, "color", null, 0, 1),
            new Feature("color__other", Feature.Origin.OTHER, "color", null, 0, 1)),
        List.of(),
        1234);
  }

  @Test
  void jsonRoundTripIsExact() {
    PrepModel m = model();
    String json = m.toJson();
    assertThat(PrepModel.fromJson(json)).isEqualTo(m);
    assertThat(json)
        .contains("\"format-version\" : 1")
        .contains("\"impute\" : \"drop-row\"")
        .contains("\"center\" : 0.30000000000000004")
        .contains("\"origin\" : \"missing\"");
    assertThat(m.constantFeatures()).containsExactly("k");
  }

  @Test
  void writeAndReadThroughTheFilesystem() {
    String path = TestPaths.newTempDir("prep-model").resolve(PrepModel.FILE_NAME).toString();
    var conf = new org.apache.hadoop.conf.Configuration();
    model().write(path, conf);
    assertThat(PrepModel.read(path, conf)).isEqualTo(model());
    assertThatThrownBy(() -> model().write(path, conf))
        .hasMessageStartingWith("Cannot write prep model " + path);
  }

  @Test
  void unknownVersionsAreRejected() {
    String json = model().toJson().replace("\"format-version\" : 1", "\"format-version\" : 3");
    assertThatThrownBy(() -> PrepModel.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid prep model format-version: 3 (expected 1 or 2)");
    assertThatThrownBy(() -> PrepModel.fromJson("{\"format-version\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid prep model JSON: missing field 'numeric-columns'");
  }

  @Test
  void transformMapsClassesCategoriesAndMissingValues() {
    StructType schema =
        new StructType()
            .add("hours-per-week", DataTypes.IntegerType)
            .add("k", DataTypes.DoubleType)
            .add("color", DataTypes.StringType)
            .add("kind", DataTypes.StringType);
    List<Row> rows =
        model()
            .transform(
                PrepTestSupport.frame(
                    schema,
                    new Object[] {50, 0.3, "red", "eel"},
                    new Object[] {null, null, null, "cat"},
                    new Object[] {30, 1.0, "teal", "yak"}))
            .orderBy("hours_per_week")
            .collectAsList();
    // no weight column in this input: weight 1.0; unknown label "yak" → null
    Row teal = rows.get(0);
    Row missing = rows.get(1); // hours imputed with the median 40 → (40 − 40.4) / 12.34...
    Row red = rows.get(2);
    assertThat(missing.getDouble(3)).isEqualTo((40.0 - 40.4) / 12.3456789012345);
    assertThat(missing.getDouble(4)).isEqualTo(0.0); // drop-row column imputed with the mean
    assertThat(List.of(missing.getDouble(1), missing.getDouble(2))).containsExactly(0.0, 1.0);
    assertThat(List.of(missing.getDouble(5), missing.getDouble(6), missing.getDouble(7)))
        .containsExactly(0.0, 1.0, 0.0);
    assertThat(teal.isNullAt(1)).isTrue();
    assertThat(teal.getDouble(4)).isEqualTo(1.0 - (0.1 + 0.2));
    assertThat(List.of(teal.getDouble(5), teal.getDouble(6), teal.getDouble(7)))
        .containsExactly(0.0, 0.0, 1.0);
    assertThat(red.getDouble(1)).isEqualTo(2.0);
    assertThat(List.of(red.getDouble(5), red.getDouble(6), red.getDouble(7)))
        .containsExactly(1.0, 0.0, 0.0);
    assertThat(red.getString(0)).matches("[0-9a-f]{32}-1");
  }
}

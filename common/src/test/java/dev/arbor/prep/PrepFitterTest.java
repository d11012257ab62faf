package dev.arbor.prep;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arbor.DataValidationException;
import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import dev.arbor.testing.SparkTestSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Imputation, encoding and scaling rules against values computed by hand. */
@Tag("spark")
class PrepFitterTest {
  private final SparkSession spark = SparkTestSession.get();

  private static final StructType SCHEMA =
      new StructType()
          .add("x", DataTypes.DoubleType)
          .add("z", DataTypes.IntegerType)
          .add("k", DataTypes.DoubleType)
          .add("color", DataTypes.StringType)
          .add("y", DataTypes.IntegerType);

  /** The training rows. */
  private Dataset<Row> train() {
    return PrepTestSupport.frame(
        SCHEMA,
        new Object[] {1.0, 5, 3.0, "red", 0},
        new Object[] {2.0, 5, 3.0, "red", 1},
        new Object[] {null, 6, 3.0, "blue", 0},
        new Object[] {4.0, 8, 3.0, null, 1},
        new Object[] {10.0, null, 3.0, "green", 0});
  }

  private PrepModel fit(Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>();
    all.put("schema.label-column", "y");
    all.put("schema.id-column", "");
    all.put("schema.categorical-columns", List.of("color"));
    all.put("prepare.impute.columns.z", 7);
    all.put("prepare.categorical.top-k", 2);
    all.putAll(overrides);
    PrepareSettings s = PrepTestSupport.settings(all);
    ResolvedSchema schema = SchemaValidator.validate(train(), s.schema(), "train");
    return PrepFitter.fit(train(), schema, s);
  }

  private static Feature feature(PrepModel m, String name) {
    return m.features().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private static NumericColumn numeric(PrepModel m, String column) {
    return m.numericColumns().stream()
        .filter(n -> n.column().equals(column))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void meanImputationStandardizationAndTopKWithMissingCategory() {
    PrepModel m = fit(Map.of());
    assertThat(m.featureNames())
        .containsExactly("x", "z", "k", "color__red", "color__missing", "color__other");
    // x: non-missing 1, 2, 4, 10 → mean 4.25; imputed 1, 2, 4.25, 4, 10 → variance 48.75 / 5
    assertThat(numeric(m, "x").imputeValue()).isEqualTo(4.25);
    assertThat(numeric(m, "x").missingInTrain()).isEqualTo(1);
    assertThat(feature(m, "x").center()).isCloseTo(4.25, within(1e-12));
    assertThat(feature(m, "x").scale()).isCloseTo(Math.sqrt(9.75), within(1e-12));
    // z: constant 7 imputed → 5, 5, 6, 8, 7: mean 6.2, variance 6.8 / 5
    assertThat(numeric(m, "z").impute()).isEqualTo(ImputeMethod.CONSTANT);
    assertThat(numeric(m, "z").imputeValue()).isEqualTo(7.0);
    assertThat(feature(m, "z").center()).isCloseTo(6.2, within(1e-12));
    assertThat(feature(m, "z").scale()).isCloseTo(Math.sqrt(1.36), within(1e-12));
    // k is constant: reported, scale 1, centered on its value
    assertThat(numeric(m, "k").constant()).isTrue();
    assertThat(feature(m, "k").scale()).isEqualTo(1.0);
    assertThat(feature(m, "k").center()).isEqualTo(3.0);
    assertThat(m.constantFeatures()).containsExactly("k");
    // color counts red 2, then blue, green, missing 1 each: ties go to the smallest value, missing
    // first
    assertThat(feature(m, "color__red").category()).isEqualTo("red");
    assertThat(feature(m, "color__missing").origin()).isEqualTo(Feature.Origin.MISSING);
    assertThat(m.trainRows()).isEqualTo(5);
  }

  @Test
  void medianImputationAndMinMaxScaling() {
    PrepModel m =
        fit(
            Map.of(
                "prepare.impute.numeric", "median",
                "prepare.scale", "min-max",
                "prepare.categorical.missing-as-category", false));
    // median of 1, 2, 4, 10 interpolates the two middle values: 3
    assertThat(numeric(m, "x").imputeValue()).isEqualTo(3.0);
    assertThat(feature(m, "x").center()).isEqualTo(1.0);
    assertThat(feature(m, "x").scale()).isEqualTo(9.0);
    assertThat(feature(m, "z").center()).isEqualTo(5.0);
    assertThat(feature(m, "z").scale()).isEqualTo(3.0);
    assertThat(feature(m, "k").scale()).isEqualTo(1.0);
    // without a missing category: red 2, then blue and green tie at 1 → blue
    assertThat(m.featureNames())
        .containsExactly("x", "z", "k", "color__red", "color__blue", "color__other");
  }

  @Test
  void noScaling() {
    PrepModel m = fit(Map.of("prepare.scale", "none"));
    assertThat(m.features()).allMatch(f -> f.center() == 0.0 && f.scale() == 1.0);
  }

  @Test
  void transformImputesEncodesAndScalesWithoutFailingOnConstantColumns() {
    assertThat(spark.conf().get("spark.sql.ansi.enabled")).isEqualTo("true");
    PrepModel m = fit(Map.of());
    Dataset<Row> fresh =
        PrepTestSupport.frame(
            SCHEMA,
            new Object[] {null, null, 3.0, "purple", 1},
            new Object[] {10.0, 8, Double.NaN, null, 0},
            new Object[] {Double.NEGATIVE_INFINITY, 5, 4.0, "red", 2});
    List<Row> rows = m.transform(fresh).orderBy(col("label").asc_nulls_last()).collectAsList();
    double sx = Math.sqrt(9.75);
    double sz = Math.sqrt(1.36);
    // label 0 row: x 10, z 8, k NaN → imputed with k's mean 3, color missing
    assertRow(rows.get(0), 0.0, (10 - 4.25) / sx, (8 - 6.2) / sz, 0.0, 0, 1, 0);
    // label 1 row: x and z missing → imputed (x 4.25 → 0; z 7), unseen category → other
    assertRow(rows.get(1), 1.0, 0.0, (7 - 6.2) / sz, 0.0, 0, 0, 1);
    // label 2 is not a class → null label; -Inf is imputed; k 4 − 3 with scale 1
    assertRow(rows.get(2), null, 0.0, (5 - 6.2) / sz, 1.0, 1, 0, 0);
    assertThat(rows.get(0).getDouble(2)).isEqualTo(1.0); // weight
  }

  private static void assertRow(
      Row r, Double label, double x, double z, double k, int red, int missing, int other) {
    assertThat(r.isNullAt(1) ? null : r.getDouble(1)).isEqualTo(label);
    assertThat(r.getDouble(3)).isCloseTo(x, within(1e-12));
    assertThat(r.getDouble(4)).isCloseTo(z, within(1e-12));
    assertThat(r.getDouble(5)).isCloseTo(k, within(1e-12));
    assertThat(List.of(r.getDouble(6), r.getDouble(7), r.getDouble(8)))
        .containsExactly((double) red, (double) missing, (double) other);
  }

  @Test
  void aColumnWithoutValuesCannotBeImputedFromData() {
    Dataset<Row> empty =
        PrepTestSupport.frame(
            SCHEMA, new Object[] {null, 1, 1.0, "a", 0}, new Object[] {null, 2, 1.0, "b", 1});
    PrepareSettings s =
        PrepTestSupport.settings(
            Map.of(
                "schema.label-column", "y",
                "schema.id-column", "",
                "schema.categorical-columns", List.of("color")));
    ResolvedSchema schema = SchemaValidator.validate(empty, s.schema(), "train");
    assertThatThrownBy(() -> PrepFitter.fit(empty, schema, s))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot fit imputation for column 'x': no non-missing value in the 2 rows of the"
                + " training split (expected at least one for impute method mean)");
  }

  @Test
  void featureNamesAreSanitizedAndUnique() {
    FeatureNames names = new FeatureNames();
    assertThat(names.unique("capital-gain")).isEqualTo("capital_gain");
    assertThat(names.unique("capital_gain")).isEqualTo("capital_gain_2");
    assertThat(names.unique("Capital.Gain")).isEqualTo("Capital_Gain_3");
    assertThat(names.unique("label")).isEqualTo("label_2");
    assertThat(names.unique("Weight")).isEqualTo("Weight_2");
    assertThat(names.unique("workclass__Self-emp-not-inc"))
        .isEqualTo("workclass__Self_emp_not_inc");
    assertThat(names.unique("")).isEqualTo("f");
  }
}

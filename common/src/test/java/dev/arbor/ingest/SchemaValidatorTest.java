package dev.arbor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.DataValidationException;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class SchemaValidatorTest {
  private final SparkSession spark = SparkTestSession.get();

  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("x", DataTypes.DoubleType)
          .add("n", DataTypes.IntegerType)
          .add("color", DataTypes.StringType)
          .add("w", DataTypes.DoubleType)
          .add("y", DataTypes.StringType);

  private Dataset<Row> frame(Object[]... rows) {
    return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
  }

  private Dataset<Row> sample() {
    return frame(
        new Object[] {1L, 1.0, 3, "red", 1.0, "yes"},
        new Object[] {2L, 2.0, 4, "blue", 1.0, "no"},
        new Object[] {3L, Double.NaN, null, null, 2.0, null},
        new Object[] {4L, 2.0, 4, "blue", 1.0, " "});
  }

  private static DatasetSchema schema(Task task, List<String> features, List<String> classes) {
    return new DatasetSchema("y", task, features, List.of("color"), "w", "id", classes);
  }

  @Test
  void resolvesAllOtherNumericColumnsAndSortedClasses() {
    ResolvedSchema r =
        SchemaValidator.validate(sample(), schema(Task.BINARY, List.of(), List.of()), "in");
    assertThat(r.numericFeatures()).containsExactly("x", "n");
    assertThat(r.categoricalColumns()).containsExactly("color");
    // null and blank labels are not classes: they are rejected later
    assertThat(r.classes()).containsExactly("no", "yes");
    assertThat(r.inputColumns()).containsExactly("id", "x", "n", "color", "w", "y");
  }

  @Test
  void numericLabelsAreOrderedNumerically() {
    StructType st = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.IntegerType);
    Dataset<Row> df =
        spark.createDataFrame(
            List.of(
                RowFactory.create(1.0, 10), RowFactory.create(2.0, 2), RowFactory.create(3.0, 9)),
            st);
    ResolvedSchema r =
        SchemaValidator.validate(
            df,
            new DatasetSchema("y", Task.MULTICLASS, List.of(), List.of(), null, null, List.of()),
            "in");
    assertThat(r.classes()).containsExactly("2", "9", "10");
    assertThat(r.numericFeatures()).containsExactly("x");
  }

  @Test
  void declaredClassesKeepTheirOrder() {
    ResolvedSchema r =
        SchemaValidator.validate(
            sample(), schema(Task.BINARY, List.of("x"), List.of("yes", "no")), "in");
    assertThat(r.classes()).containsExactly("yes", "no");
  }

  @Test
  void missingColumn() {
    assertInvalid(
        sample(),
        new DatasetSchema("label", Task.BINARY, List.of(), List.of(), null, null, List.of()),
        "Invalid input in: column 'label' (schema.label-column) not found (columns: id, x, n,"
            + " color, w, y)");
    assertInvalid(
        sample(),
        schema(Task.BINARY, List.of("x", "z"), List.of()),
        "Invalid input in: column 'z' (schema.feature-columns) not found (columns: id, x, n,"
            + " color, w, y)");
  }

  @Test
  void wrongTypes() {
    assertInvalid(
        sample(),
        schema(Task.REGRESSION, List.of(), List.of()),
        "Invalid input in: label column 'y' has type string (expected a numeric type for task"
            + " regression)");
    assertInvalid(
        sample(),
        new DatasetSchema(
            "y", Task.BINARY, List.of("x", "color"), List.of(), null, null, List.of()),
        "Invalid input in: feature column 'color' has type string (expected a numeric type; list"
            + " it in schema.categorical-columns to one-hot encode it)");
    assertInvalid(
        sample(),
        new DatasetSchema("y", Task.BINARY, List.of(), List.of("x"), null, null, List.of()),
        "Invalid input in: categorical column 'x' has type double (expected string or an integer"
            + " type)");
    assertInvalid(
        sample(),
        new DatasetSchema("y", Task.BINARY, List.of(), List.of(), "color", null, List.of()),
        "Invalid input in: weight column 'color' has type string (expected a numeric type)");
    assertInvalid(
        sample(),
        new DatasetSchema("y", Task.BINARY, List.of(), List.of(), null, "x", List.of()),
        "Invalid input in: id column 'x' has type double (expected string, an integer, decimal or"
            + " date type)");
  }

  @Test
  void emptyInput() {
    assertInvalid(frame(), schema(Task.BINARY, List.of(), List.of()), "Invalid input in: no rows");
    StructType st = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
    assertInvalid(
        spark.createDataFrame(List.<Row>of(), st),
        new DatasetSchema("y", Task.REGRESSION, List.of(), List.of(), null, null, List.of()),
        "Invalid input in: no rows");
  }

  @Test
  void wrongNumberOfClasses() {
    Dataset<Row> three = sample().union(frame(new Object[] {5L, 1.0, 1, "red", 1.0, "maybe"}));
    assertInvalid(
        three,
        schema(Task.BINARY, List.of(), List.of()),
        "Invalid input in: label column 'y' has 3 distinct values [maybe, no, yes] (expected"
            + " exactly 2 for task binary)");
    Dataset<Row> one = frame(new Object[] {1L, 1.0, 1, "red", 1.0, "yes"});
    assertInvalid(
        one,
        schema(Task.MULTICLASS, List.of(), List.of()),
        "Invalid input in: label column 'y' has 1 distinct values [yes] (expected 2 to 1000 for"
            + " task multiclass)");
  }

  @Test
  void labelOutsideDeclaredClasses() {
    assertInvalid(
        sample(),
        schema(Task.BINARY, List.of(), List.of("no", "si")),
        "Invalid input in: label column 'y' has value 'yes' (1 rows) outside schema.classes [no,"
            + " si]");
  }

  @Test
  void missingPathAndRunDatePartition() {
    String dir = TestPaths.newTempDir("ingest").toString();
    assertThatThrownBy(() -> ParquetInput.read(spark, dir + "/nothing", null, LocalDate.now()))
        .isInstanceOf(DataValidationException.class)
        .hasMessage("Cannot read input: no such path: " + dir + "/nothing");

    sample().write().parquet(dir + "/t/dt=2024-01-01");
    frame(new Object[] {9L, 9.0, 9, "red", 1.0, "no"}).write().parquet(dir + "/t/dt=2024-01-02");
    Dataset<Row> day2 = ParquetInput.read(spark, dir + "/t", "dt", LocalDate.of(2024, 1, 2));
    assertThat(day2.columns()).containsExactly("id", "x", "n", "color", "w", "y");
    assertThat(day2.collectAsList()).extracting(r -> r.getLong(0)).containsExactly(9L);
    assertThat(ParquetInput.read(spark, dir + "/t", "dt", LocalDate.of(2024, 1, 1)).count())
        .isEqualTo(4);
    assertThat(ParquetInput.read(spark, dir + "/t/dt=*", null, LocalDate.now()).count())
        .isEqualTo(5);
    assertThatThrownBy(() -> ParquetInput.read(spark, dir + "/t", "day", LocalDate.now()))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot select the run date partition: no column 'day' in input "
                + dir
                + "/t (columns: id, x, n, color, w, y, dt)");
  }

  private static void assertInvalid(Dataset<Row> df, DatasetSchema schema, String message) {
    assertThatThrownBy(() -> SchemaValidator.validate(df, schema, "in"))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(message);
  }
}

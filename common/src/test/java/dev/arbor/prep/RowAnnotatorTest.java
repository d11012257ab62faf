package dev.arbor.prep;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import dev.arbor.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class RowAnnotatorTest {
  private final SparkSession spark = SparkTestSession.get();

  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("x", DataTypes.DoubleType)
          .add("z", DataTypes.IntegerType)
          .add("color", DataTypes.StringType)
          .add("w", DataTypes.DoubleType)
          .add("y", DataTypes.StringType);

  private static final Map<String, Object> BASE =
      Map.of(
          "schema.label-column", "y",
          "schema.id-column", "id",
          "schema.weight-column", "w",
          "schema.categorical-columns", List.of("color"),
          "prepare.impute.columns.z", "drop-row");

  private Dataset<Row> dirty() {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    return PrepTestSupport.frame(
        SCHEMA,
        new Object[] {"a", 1.0, 1, "red", 1.0, "yes"},
        new Object[] {"b", nan, 1, "red", 1.0, null},
        new Object[] {"c", 1.0, 1, "red", 1.0, " "},
        new Object[] {null, 1.0, 1, "red", 1.0, "no"},
        new Object[] {"d", 1.0, 1, "red", 1.0, "no"},
        new Object[] {"d", 2.0, 2, "blue", 1.0, "yes"},
        new Object[] {"e", 1.0, 1, "red", -1.0, "no"},
        new Object[] {"f", 1.0, 1, "red", null, "no"},
        new Object[] {"g", nan, 1, "red", 1.0, "no"},
        new Object[] {"h", inf, 1, "red", 1.0, "no"},
        new Object[] {"i", 1.0, null, "red", 1.0, "no"},
        new Object[] {"j", null, 1, null, 0.0, "yes"});
  }

  private Map<String, String> reasons(Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>(BASE);
    all.putAll(overrides);
    PrepareSettings s = PrepTestSupport.settings(all);
    Dataset<Row> df = dirty();
    ResolvedSchema schema = SchemaValidator.validate(df, s.schema(), "dirty");
    Map<String, String> out = new TreeMap<>();
    for (Row r :
        RowAnnotator.annotate(df, schema, s, RowAnnotator.Mode.SPLIT)
            .select(col("id"), col(Columns.W_REASON), col("x"))
            .collectAsList()) {
      String key = r.isNullAt(0) ? "<null>" : r.getString(0);
      out.merge(
          key + (key.equals("d") ? r.getDouble(2) : ""),
          String.valueOf(r.get(1)),
          (a, b) -> a + "," + b);
    }
    return out;
  }

  @Test
  void eachInvalidRowGetsTheFirstReasonThatApplies() {
    Map<String, String> expected = new TreeMap<>();
    expected.put("a", "null");
    expected.put("b", "null_label"); // NaN feature too: the label comes first
    expected.put("c", "invalid_label");
    expected.put("<null>", "null_id");
    expected.put("d1.0", "duplicate_id"); // every row sharing the id, none kept
    expected.put("d2.0", "duplicate_id");
    expected.put("e", "invalid_weight");
    expected.put("f", "invalid_weight");
    expected.put("g", "non_finite_feature");
    expected.put("h", "non_finite_feature");
    expected.put("i", "missing_value"); // z is drop-row
    expected.put("j", "null"); // x is imputed, a missing category is a category, weight 0 is valid
    assertThat(reasons(Map.of())).isEqualTo(expected);
  }

  @Test
  void imputePolicyKeepsNonFiniteValues() {
    Map<String, String> r = reasons(Map.of("prepare.non-finite-policy", "impute"));
    assertThat(r).containsEntry("g", "null").containsEntry("h", "null");
    Map<String, String> drop =
        reasons(
            Map.of("prepare.non-finite-policy", "impute", "prepare.impute.columns.x", "drop-row"));
    assertThat(drop)
        .containsEntry("g", "missing_value")
        .containsEntry("h", "missing_value")
        .containsEntry("j", "missing_value")
        .containsEntry("a", "null");
  }

  private Dataset<Row> classes(int a, int b) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < a + b; i++) {
      rows.add(new Object[] {"r" + i, (double) i, i, "red", 1.0, i < a ? "a" : "b"});
    }
    return PrepTestSupport.frame(SCHEMA, rows.toArray(Object[][]::new));
  }

  private Map<String, String> splits(
      Dataset<Row> df, Map<String, Object> overrides, RowAnnotator.Mode mode) {
    Map<String, Object> all = new HashMap<>(BASE);
    all.putAll(overrides);
    PrepareSettings s = PrepTestSupport.settings(all);
    ResolvedSchema schema = SchemaValidator.validate(df, s.schema(), "classes");
    return RowAnnotator.annotate(df, schema, s, mode)
        .select(col(Columns.W_ROW_ID), col(Columns.W_SPLIT), col("y"))
        .collectAsList()
        .stream()
        .collect(
            Collectors.toMap(
                r -> r.getString(0),
                r -> r.getString(2) + ":" + r.getString(1),
                (x, y) -> x,
                TreeMap::new));
  }

  private static Map<String, Long> tally(Map<String, String> splits) {
    return new TreeMap<>(
        splits.values().stream().collect(Collectors.groupingBy(v -> v, Collectors.counting())));
  }

  @Test
  void stratifiedSplitHasExactPerClassCountsAndIsDeterministic() {
    Map<String, String> first = splits(classes(100, 50), Map.of(), RowAnnotator.Mode.SPLIT);
    // class a: round(100·0.7) = 70, round(100·0.85) − 70 = 15, rest 15;
    // class b: round(50·0.7) = 35, round(50·0.85) = round(42.5) = 43 → 8, rest 7.
    assertThat(tally(first))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "a:train",
                70L,
                "a:validation",
                15L,
                "a:test",
                15L,
                "b:train",
                35L,
                "b:validation",
                8L,
                "b:test",
                7L));
    Dataset<Row> shuffled = classes(100, 50).repartition(3).orderBy(col("x").desc());
    assertThat(splits(shuffled, Map.of(), RowAnnotator.Mode.SPLIT)).isEqualTo(first);
    Map<String, String> otherSeed =
        splits(classes(100, 50), Map.of("prepare.split.seed", 7), RowAnnotator.Mode.SPLIT);
    assertThat(otherSeed).isNotEqualTo(first);
    assertThat(tally(otherSeed)).isEqualTo(tally(first));
  }

  @Test
  void aSeparateTestInputLeavesOnlyTrainAndValidation() {
    Map<String, String> s =
        splits(classes(100, 50), Map.of(), RowAnnotator.Mode.SPLIT_WITHOUT_TEST);
    // train share 0.7 / 0.85: class a round(82.35) = 82, class b round(41.18) = 41
    assertThat(tally(s))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a:train", 82L, "a:validation", 18L, "b:train", 41L, "b:validation", 9L));
    assertThat(tally(splits(classes(3, 2), Map.of(), RowAnnotator.Mode.ALL_TEST)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a:test", 3L, "b:test", 2L));
  }

  @Test
  void unstratifiedSplitFollowsTheFractionsInExpectation() {
    Map<String, String> s =
        splits(
            classes(1000, 1000), Map.of("prepare.split.stratify", false), RowAnnotator.Mode.SPLIT);
    Map<String, Long> bySplit =
        s.values().stream()
            .collect(Collectors.groupingBy(v -> v.substring(2), Collectors.counting()));
    // binomial standard deviation for 2000 rows at p = 0.7: 20 rows; allow 4 sd
    assertThat(bySplit.get("train")).isBetween(1400L - 80, 1400L + 80);
    assertThat(bySplit.get("validation")).isBetween(300L - 64, 300L + 64);
    assertThat(bySplit.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2000);
  }

  @Test
  void generatedIdsAreUniqueAndStable() {
    Dataset<Row> df =
        PrepTestSupport.frame(
            SCHEMA,
            new Object[] {null, 1.0, 1, "red", 1.0, "yes"},
            new Object[] {null, 1.0, 1, "red", 1.0, "yes"},
            new Object[] {null, 1.0, null, "red", 1.0, "yes"},
            new Object[] {null, null, 1, "red", 1.0, "yes"},
            new Object[] {null, 2.0, 1, "red", 1.0, "no"});
    Map<String, Object> noId = Map.of("schema.id-column", "");
    Map<String, String> first = splits(df, noId, RowAnnotator.Mode.SPLIT);
    assertThat(first).hasSize(5);
    assertThat(first.keySet()).allMatch(id -> id.matches("[0-9a-f]{32}-[12]"));
    assertThat(first.keySet().stream().filter(id -> id.endsWith("-2"))).hasSize(1);
    Dataset<Row> reordered = df.repartition(2).orderBy(col("x").desc_nulls_first());
    assertThat(splits(reordered, noId, RowAnnotator.Mode.SPLIT)).isEqualTo(first);
  }
}

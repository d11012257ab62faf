package dev.arbor.prep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.ingest.Task;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrepareSettingsTest {

  @Test
  void defaultsDescribeTheDemoDataset() {
    PrepareSettings s = PrepTestSupport.settings(Map.of());
    assertThat(s.inputPath()).isEqualTo("work/demo/input");
    assertThat(s.schema().labelColumn()).isEqualTo("label");
    assertThat(s.schema().task()).isEqualTo(Task.BINARY);
    assertThat(s.schema().idColumn()).isEqualTo("id");
    assertThat(s.schema().weightColumn()).isNull();
    assertThat(s.schema().categoricalColumns()).containsExactly("segment", "region", "channel");
    assertThat(s.split()).isEqualTo(new PrepareSettings.Split(0.7, 0.15, 0.15, 42, true));
    assertThat(s.maxRejectedFraction()).isEqualTo(0.05);
    assertThat(s.nonFinitePolicy()).isEqualTo(NonFinitePolicy.REJECT);
    assertThat(s.defaultImpute()).isEqualTo(new ImputeRule(ImputeMethod.MEAN, 0));
    assertThat(s.topK()).isEqualTo(20);
    assertThat(s.missingAsCategory()).isTrue();
    assertThat(s.scale()).isEqualTo(ScaleMethod.STANDARDIZE);
    assertThat(s.demo().rows()).isEqualTo(20000);
    assertThat(s.outputDir(LocalDate.of(2024, 3, 9)))
        .isEqualTo("work/output/prepared/demo/run_date=2024-03-09");
  }

  @Test
  void demoDataIsOnlyEverGeneratedIntoTheDemoPath() {
    assertThat(PrepTestSupport.settings(Map.of()).generateDemoIfMissing()).isTrue();
    assertThat(
            PrepTestSupport.settings(Map.of("input.path", "hdfs:///data/typo"))
                .generateDemoIfMissing())
        .isFalse();
  }

  @Test
  void referenceLevelRulesGlobalAndPerColumn() {
    assertThat(PrepTestSupport.settings(Map.of()).dropRule("segment")).isEqualTo(DropRule.NONE);
    PrepareSettings s =
        PrepTestSupport.settings(
            Map.of(
                "prepare.categorical.drop", "first",
                "prepare.categorical.drop-columns.region", "north",
                "prepare.categorical.drop-columns.channel", "level:none",
                "prepare.categorical.drop-columns.segment", "none"));
    assertThat(s.dropRule("region")).isEqualTo(new DropRule(DropRule.Kind.LEVEL, "north"));
    assertThat(s.dropKey("region")).isEqualTo("prepare.categorical.drop-columns.region");
    assertThat(s.dropRule("channel")).isEqualTo(new DropRule(DropRule.Kind.LEVEL, "none"));
    assertThat(s.dropRule("segment")).isEqualTo(DropRule.NONE);
    assertThat(s.dropRule("other")).isEqualTo(DropRule.FIRST);
    assertThat(s.dropKey("other")).isEqualTo("prepare.categorical.drop");
    assertThat(
            PrepTestSupport.settings(Map.of("prepare.categorical.drop-columns.channel", 3))
                .dropRule("channel"))
        .isEqualTo(new DropRule(DropRule.Kind.LEVEL, "3"));
    assertThat(
            PrepTestSupport.settings(Map.of("prepare.categorical.drop", "level:"))
                .dropRule("channel"))
        .isEqualTo(new DropRule(DropRule.Kind.LEVEL, ""));
  }

  @Test
  void referenceLevelRulesAreCheckedBeforeAnyData() {
    assertThatThrownBy(
            () -> PrepTestSupport.settings(Map.of("prepare.categorical.drop-columns.age", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config key 'prepare.categorical.drop-columns.age': 'age' is not a categorical"
                + " column (schema.categorical-columns: segment, region, channel)");
    assertThatThrownBy(() -> PrepTestSupport.settings(Map.of("prepare.categorical.drop", "")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value for 'prepare.categorical.drop': \"\" (expected first, none, a"
                + " level value, or level: for the empty level)");
  }

  @Test
  void perColumnImputeOverrides() {
    PrepareSettings s =
        PrepTestSupport.settings(
            Map.of(
                "prepare.impute.constant", 7,
                "prepare.impute.columns.age", "median",
                "prepare.impute.columns.income", "constant",
                "prepare.impute.columns.\"hours-per-week\"", 40,
                "prepare.impute.columns.score", "drop-row"));
    assertThat(s.imputeRule("age")).isEqualTo(new ImputeRule(ImputeMethod.MEDIAN, 7));
    assertThat(s.imputeRule("income")).isEqualTo(new ImputeRule(ImputeMethod.CONSTANT, 7));
    assertThat(s.imputeRule("hours-per-week")).isEqualTo(new ImputeRule(ImputeMethod.CONSTANT, 40));
    assertThat(s.imputeRule("score")).isEqualTo(new ImputeRule(ImputeMethod.DROP_ROW, 7));
    assertThat(s.imputeRule("tenure")).isEqualTo(new ImputeRule(ImputeMethod.MEAN, 7));
  }

  @Test
  void fractionsMustSumToOne() {
    assertRejected(
        Map.of("prepare.split.train", 0.8),
        "Invalid config values for 'prepare.split.train/validation/test': 0.8 + 0.15 + 0.15 ="
            + " 1.1 (expected a sum of 1)");
  }

  @Test
  void fractionsWithinRoundingOfOneAreAccepted() {
    PrepareSettings s =
        PrepTestSupport.settings(
            Map.of(
                "prepare.split.train", 0.7,
                "prepare.split.validation", 0.2,
                "prepare.split.test", 0.1));
    assertThat(s.split().train() + s.split().validation() + s.split().test()).isNotEqualTo(1.0);
  }

  @Test
  void eachValueIsRangeChecked() {
    assertRejected(
        Map.of("prepare.split.test", 1.5),
        "Invalid config value for 'prepare.split.test': 1.5 (expected a number in [0.0, 1.0])");
    assertRejected(
        Map.of(
            "prepare.split.train", 0.0, "prepare.split.validation", 0.5, "prepare.split.test", 0.5),
        "Invalid config value for 'prepare.split.train': 0.0 (expected a number in (0, 1])");
    assertRejected(
        Map.of("prepare.max-rejected-fraction", -0.1),
        "Invalid config value for 'prepare.max-rejected-fraction': -0.1 (expected a number in"
            + " [0.0, 1.0])");
    assertRejected(
        Map.of("prepare.categorical.top-k", 0),
        "Invalid config value for 'prepare.categorical.top-k': 0 (expected an integer in [1,"
            + " 10000])");
    assertRejected(
        Map.of("prepare.impute.numeric", "mode"),
        "Invalid config value for 'prepare.impute.numeric': mode (expected one of mean, median,"
            + " constant, drop-row)");
    assertRejected(
        Map.of("prepare.impute.columns.age", "avg"),
        "Invalid config value for 'prepare.impute.columns.age': avg (expected mean, median,"
            + " constant, drop-row or a finite number)");
    assertRejected(
        Map.of("prepare.scale", "robust"),
        "Invalid config value for 'prepare.scale': robust (expected one of standardize, min-max,"
            + " none)");
    assertRejected(
        Map.of("prepare.non-finite-policy", "skip"),
        "Invalid config value for 'prepare.non-finite-policy': skip (expected one of reject,"
            + " impute)");
    assertRejected(
        Map.of("schema.task", "ranking"),
        "Invalid config value for 'schema.task': ranking (expected one of binary, multiclass,"
            + " regression)");
    assertRejected(
        Map.of("model.name", "my model"),
        "Invalid config value for 'model.name': my model (expected letters, digits and"
            + " underscores only)");
    assertRejected(
        Map.of("demo.rows", 10),
        "Invalid config value for 'demo.rows': 10 (expected an integer in [1000, 1000000])");
  }

  @Test
  void schemaSectionIsChecked() {
    assertRejected(
        Map.of("schema.classes", List.of("a", "b", "c")),
        "Invalid config value for 'schema.classes': [a, b, c] (expected exactly 2 values for a"
            + " binary task, or [])");
    assertRejected(
        Map.of("schema.task", "regression", "schema.classes", List.of("a", "b")),
        "Invalid config value for 'schema.classes': [a, b] (expected [] when schema.task is"
            + " regression)");
    assertRejected(
        Map.of("schema.feature-columns", List.of("age", "segment")),
        "Invalid config value for 'schema.feature-columns': segment (expected columns not also"
            + " listed in schema.categorical-columns [segment, region, channel])");
    assertRejected(
        Map.of("schema.feature-columns", List.of("age", "label")),
        "Invalid config value for 'schema.feature-columns': label (expected no label, weight or"
            + " id column among the features)");
    assertRejected(
        Map.of("schema.feature-columns", List.of("age", "age")),
        "Invalid config value for 'schema.feature-columns': [age, age] (expected no repeated"
            + " value, but 'age' repeats)");
    assertRejected(
        Map.of("schema.weight-column", "id"),
        "Invalid config value for 'schema.label-column/weight-column/id-column': [label, id, id]"
            + " (expected no repeated value, but 'id' repeats)");
  }

  private static void assertRejected(Map<String, Object> overrides, String message) {
    assertThatThrownBy(() -> PrepTestSupport.settings(overrides))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }
}

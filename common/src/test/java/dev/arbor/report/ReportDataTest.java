package dev.arbor.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.CoefficientRow;
import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.RunKey;
import dev.arbor.eval.EvalSettings;
import dev.arbor.evaluate.EvaluateResult;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.evaluate.EvaluateStage;
import dev.arbor.evaluate.EvaluateStageFixtures;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link ReportData} reads every table through the run id of the {@code runs} row. */
@Tag("reliability")
@Tag("spark")
class ReportDataTest {
  private static final SparkSession spark = SparkTestSession.get();

  @Test
  @DisplayName(
      "Report after a run stopped between two tables' commits — shows only rows of the run"
          + " that the runs row names")
  void showsOnlyRowsOfTheRunThatTheRunsRowNames() {
    Path dir = TestPaths.newTempDir("report-data");
    CatalogSettings catalog = CatalogSettings.localJdbc("t_report_data", "arbor", dir);
    catalog.applyTo(spark);
    EvaluateSettings settings =
        new EvaluateSettings("mixed", "unused", EvalSettings.DEFAULTS, List.of("test"), catalog);
    LocalDate day = LocalDate.of(2025, 5, 1);
    EvaluateResult committed =
        EvaluateStage.run(spark, settings, day, EvaluateStageFixtures.inputs(0.3));
    // A later run of the same date committed its coefficients, then died before its runs row.
    String otherRun = "r-00000000000000ff";
    assertThat(committed.key().runId()).isNotEqualTo(otherRun);
    EvaluationTables.open(spark, catalog)
        .writeCoefficients(
            new RunKey("mixed", day, otherRun),
            List.of(new CoefficientRow(null, "from_the_killed_run", 9.0, 9.0)));

    ReportData data = ReportData.load(spark, catalog, "mixed", day, 10);

    assertThat(data.run()).containsEntry("run_id", committed.key().runId());
    assertThat(data.metrics()).isNotEmpty();
    assertThat(data.history()).isNotEmpty();
    // The coefficients partition now belongs to the other run: none of its rows is shown.
    assertThat(data.topCoefficients()).isEmpty();
    assertThat(
            spark
                .sql(
                    "SELECT count(*) FROM "
                        + catalog.qualified("coefficients")
                        + " WHERE model = 'mixed' AND feature = 'from_the_killed_run'")
                .first()
                .getLong(0))
        .isEqualTo(1);
  }
}

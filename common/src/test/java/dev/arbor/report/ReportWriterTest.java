package dev.arbor.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ArborException;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.eval.EvalSettings;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.evaluate.EvaluateStage;
import dev.arbor.evaluate.EvaluateStageFixtures;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The report of two evaluated run dates, read back from the tables. */
@Tag("spark")
class ReportWriterTest {
  private static final SparkSession spark = SparkTestSession.get();

  @Test
  void writesASelfContainedPageWithChartsAndTheComparisonWithThePreviousDate() throws Exception {
    Path dir = TestPaths.newTempDir("report");
    CatalogSettings catalog = CatalogSettings.localJdbc("t_report", "arbor", dir);
    catalog.applyTo(spark);
    EvaluateSettings settings =
        new EvaluateSettings("rep", "unused", EvalSettings.DEFAULTS, List.of("test"), catalog);
    LocalDate day1 = LocalDate.of(2025, 4, 1);
    LocalDate day2 = LocalDate.of(2025, 4, 2);
    EvaluateStage.run(spark, settings, day1, EvaluateStageFixtures.inputs(0.3));
    EvaluateStage.run(spark, settings, day2, EvaluateStageFixtures.inputs(0.4));

    Path file = ReportWriter.write(spark, catalog, "rep", day2, dir.resolve("out/report.html"));

    String html = Files.readString(file);
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("Arbor report: rep, run date 2025-04-02")
        .contains("Compared with the previous run date, <b>2025-04-01</b>")
        .contains("<td>auc_roc</td>")
        .contains("Confusion matrices")
        .contains("Top coefficients")
        .doesNotContain("http://", "https://", "<script");
    // Every chart is an embedded PNG.
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    int images = 0;
    while (m.find()) {
      byte[] png = Base64.getDecoder().decode(m.group(1));
      assertThat(png).startsWith(0x89, 'P', 'N', 'G');
      images++;
    }
    assertThat(images).isEqualTo(5); // ROC, PR, calibration, history, coefficients
    // The AUC delta against day 1 is in the table, as computed from the two runs' table rows.
    double auc1 = auc(catalog, day1);
    double auc2 = auc(catalog, day2);
    assertThat(auc2).isGreaterThan(auc1);
    assertThat(html).contains(String.format(java.util.Locale.ROOT, "%+.4f", auc2 - auc1));
  }

  private static double auc(CatalogSettings catalog, LocalDate day) {
    return spark
        .sql(
            "SELECT value FROM "
                + catalog.qualified("metrics")
                + " WHERE model = 'rep' AND split = 'test' AND metric = 'auc_roc' AND run_date ="
                + " DATE'"
                + day
                + "'")
        .first()
        .getDouble(0);
  }

  @Test
  void aMissingRunIsAUsageError() {
    Path dir = TestPaths.newTempDir("report-missing");
    CatalogSettings catalog = CatalogSettings.localJdbc("t_report_missing", "arbor", dir);
    catalog.applyTo(spark);
    assertThatThrownBy(
            () ->
                ReportWriter.write(
                    spark, catalog, "nope", LocalDate.of(2025, 1, 1), dir.resolve("r.html")))
        .isInstanceOf(ArborException.class)
        .hasMessageContaining("Cannot write the report: no run of model nope on 2025-01-01");
  }
}

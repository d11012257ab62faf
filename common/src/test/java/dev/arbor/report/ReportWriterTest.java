package dev.arbor.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ArborException;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.PromotionRecord;
import dev.arbor.catalog.RunKey;
import dev.arbor.eval.EvalSettings;
import dev.arbor.evaluate.EvaluateSettings;
import dev.arbor.evaluate.EvaluateStage;
import dev.arbor.evaluate.EvaluateStageFixtures;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

/**
 * The report of two evaluated run dates with their promotion decisions, read back from the tables.
 */
@Tag("spark")
class ReportWriterTest {
  private static final SparkSession spark = SparkTestSession.get();

  @Test
  void writesASelfContainedPageWithChartsTheTrendAndTheComparisonWithThePreviousDate()
      throws Exception {
    Path dir = TestPaths.newTempDir("report");
    CatalogSettings catalog = CatalogSettings.localJdbc("t_report", "arbor", dir);
    catalog.applyTo(spark);
    EvaluateSettings settings =
        new EvaluateSettings("rep", "unused", EvalSettings.DEFAULTS, List.of("test"), catalog);
    LocalDate day1 = LocalDate.of(2025, 4, 1);
    LocalDate day2 = LocalDate.of(2025, 4, 2);
    EvaluateStage.run(spark, settings, day1, EvaluateStageFixtures.inputs(0.3));
    EvaluateStage.run(spark, settings, day2, EvaluateStageFixtures.inputs(0.4));
    // The gate's decisions, as the promote stage records them: day 1 first, day 2 rejected.
    EvaluationTables tables = EvaluationTables.open(spark, catalog);
    tables.writePromotion(decision(catalog, day1, "first"));
    tables.writePromotion(decision(catalog, day2, "rejected"));

    Path file = ReportWriter.write(spark, catalog, "rep", day2, dir.resolve("out/report.html"));

    String html = Files.readString(file);
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("Arbor report: rep, run date 2025-04-02")
        .contains("Compared with the previous run date, <b>2025-04-01</b>")
        .contains("<td>auc_roc</td>")
        .contains("Confusion matrices")
        .contains("Top coefficients")
        .doesNotContain("http://", "https://", "<script", "<img");
    // The trend: both nights, their decisions, the chart with a ring and a cross.
    assertThat(html)
        .contains("<h2>Across run dates</h2>")
        .contains("<title>Test auc_roc per run date</title>")
        .contains("<tr><td>2025-04-01</td>")
        .contains("<tr class=\"current\"><td>2025-04-02</td>")
        .contains("</td><td>first</td></tr>")
        .contains("</td><td>rejected</td></tr>")
        .contains("fill=\"none\" stroke=\"#2ca02c\"")
        .contains("stroke=\"#d62728\" stroke-width=\"2.5\"");
    // Training and validation curves side by side; the run's configuration.
    assertThat(html)
        .contains("<title>Training curve</title>")
        .contains("<title>Validation curve</title>")
        .contains("<h2>Configuration</h2>")
        .contains("<tr><th>model.name</th><td>m</td></tr>");
    // Every chart is inline SVG and well-formed XML: ROC, PR, calibration, training, validation,
    // coefficients, trend.
    Matcher m = Pattern.compile("<svg [\\s\\S]*?</svg>").matcher(html);
    int charts = 0;
    while (m.find()) {
      DocumentBuilderFactory.newInstance()
          .newDocumentBuilder()
          .parse(new InputSource(new StringReader(m.group())));
      charts++;
    }
    assertThat(charts).isEqualTo(7);
    // The AUC delta against day 1 is in the table, as computed from the two runs' table rows.
    double auc1 = auc(catalog, day1);
    double auc2 = auc(catalog, day2);
    assertThat(auc2).isGreaterThan(auc1);
    assertThat(html).contains(String.format(java.util.Locale.ROOT, "%+.4f", auc2 - auc1));
  }

  private static PromotionRecord decision(CatalogSettings catalog, LocalDate day, String what) {
    String runId =
        spark
            .sql(
                "SELECT run_id FROM "
                    + catalog.qualified("runs")
                    + " WHERE model = 'rep' AND run_date = DATE'"
                    + day
                    + "'")
            .first()
            .getString(0);
    return new PromotionRecord(
        new RunKey("rep", day, runId), "auc_roc", 0.8, null, null, null, 0.01, what, "test");
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

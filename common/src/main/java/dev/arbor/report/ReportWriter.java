package dev.arbor.report;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.EvaluationTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the HTML report of one (model, run date) from the evaluation tables. */
public final class ReportWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

  /** Number of coefficients shown. */
  public static final int TOP_COEFFICIENTS = 20;

  private ReportWriter() {}

  /** The default file: {@code <output.root>/reports/<model>/report-<date>.html}. */
  public static Path defaultPath(String outputRoot, String model, LocalDate runDate) {
    return Path.of(outputRoot, "reports", model, "report-" + runDate + ".html");
  }

  /**
   * Reads the tables and writes the report to {@code file} (atomically: a temp file renamed).
   *
   * @return the file written
   */
  public static Path write(
      SparkSession spark, CatalogSettings catalog, String model, LocalDate runDate, Path file) {
    EvaluationTables.open(spark, catalog);
    ReportData data = ReportData.load(spark, catalog, model, runDate, TOP_COEFFICIENTS);
    String html = HtmlReport.render(data);
    try {
      Path abs = file.toAbsolutePath();
      Files.createDirectories(abs.getParent());
      Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
      Files.writeString(tmp, html, StandardCharsets.UTF_8);
      Files.move(
          tmp,
          abs,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      LOG.info("Wrote report of {} for {} to {} ({} bytes)", model, runDate, abs, html.length());
      return abs;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write report " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.arbor.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lays out a {@link ReportData} as one self-contained HTML page: inline CSS, charts as inline SVG
 * ({@link SvgChart}), no script and no external resource, so it opens offline and can be mailed.
 */
public final class HtmlReport {
  private static final List<String> SPLIT_ORDER = List.of("train", "validation", "test");

  private HtmlReport() {}

  /** The page. */
  public static String render(ReportData d) {
    StringBuilder h = new StringBuilder(64 * 1024);
    String title = "Arbor report: " + d.model() + ", run date " + d.runDate();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style></head><body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n");
    runSection(h, d);
    HtmlSections.trend(h, d);
    metricsSection(h, d);
    curvesSection(h, d);
    confusionSection(h, d);
    HtmlSections.learning(h, d);
    coefficientsSection(h, d);
    HtmlSections.configuration(h, d);
    h.append("<p class=\"note\">Every number on this page was read from the evaluation tables (")
        .append(
            "<code>runs</code>, <code>metrics</code>, <code>curves</code>, <code>confusion</code>,")
        .append(
            " <code>history</code>, <code>coefficients</code>, <code>promotions</code>) with SQL.</p>\n</body></html>\n");
    return h.toString();
  }

  private static void runSection(StringBuilder h, ReportData d) {
    Map<String, Object> r = d.run();
    h.append("<h2>Run</h2>\n<table class=\"kv\">\n");
    for (String k :
        List.of(
            "run_id",
            "task",
            "status",
            "started_at",
            "finished_at",
            "rows_train",
            "rows_validation",
            "rows_test",
            "rows_rejected",
            "prepare_ms",
            "train_ms",
            "evaluate_ms",
            "data_fingerprint",
            "arbor_version",
            "spark_version",
            "iceberg_version",
            "message")) {
      Object v = r.get(k);
      if (v != null) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v)));
        h.append("</td></tr>\n");
      }
    }
    h.append("</table>\n");
  }

  private static void metricsSection(StringBuilder h, ReportData d) {
    List<String> splits = splits(d.metrics().stream().map(ReportData.MetricRow::split).toList());
    Map<String, Map<String, ReportData.MetricRow>> bySplit = new LinkedHashMap<>();
    Set<String> keys = new LinkedHashSet<>();
    for (String s : splits) {
      Map<String, ReportData.MetricRow> m = d.metricsOf(d.metrics(), s);
      bySplit.put(s, m);
      keys.addAll(m.keySet());
    }
    String cmp =
        splits.contains("test") ? "test" : splits.isEmpty() ? null : splits.get(splits.size() - 1);
    Map<String, ReportData.MetricRow> prev =
        cmp == null ? Map.of() : d.metricsOf(d.previousMetrics(), cmp);
    h.append("<h2>Metrics</h2>\n");
    if (d.previousDate().isPresent()) {
      h.append("<p>Compared with the previous run date, <b>")
          .append(d.previousDate().get())
          .append("</b> (")
          .append(cmp)
          .append(" split): Δ = this run − previous run.</p>\n");
    } else {
      h.append("<p>No earlier succeeded run of this model: nothing to compare with.</p>\n");
    }
    h.append("<table class=\"grid\"><tr><th>metric</th><th>threshold</th>");
    for (String s : splits) {
      h.append("<th>").append(esc(s)).append("</th>");
    }
    if (!prev.isEmpty()) {
      h.append("<th>").append(esc(cmp)).append(" on ").append(d.previousDate().get());
      h.append("</th><th>Δ ").append(esc(cmp)).append("</th>");
    }
    h.append("</tr>\n");
    for (String k : keys) {
      Double threshold = null;
      for (Map<String, ReportData.MetricRow> m : bySplit.values()) {
        if (m.containsKey(k) && m.get(k).threshold() != null) {
          threshold = m.get(k).threshold();
        }
      }
      h.append("<tr><td>").append(esc(k)).append("</td><td>");
      h.append(threshold == null ? "" : fmt(threshold)).append("</td>");
      for (String s : splits) {
        ReportData.MetricRow m = bySplit.get(s).get(k);
        h.append("<td class=\"num\">").append(m == null ? "" : fmt(m.value())).append("</td>");
      }
      if (!prev.isEmpty()) {
        ReportData.MetricRow now = bySplit.get(cmp).get(k);
        ReportData.MetricRow before = prev.get(k);
        h.append("<td class=\"num\">").append(before == null ? "" : fmt(before.value()));
        h.append("</td><td class=\"num\">");
        if (now != null && before != null) {
          double delta = now.value() - before.value();
          h.append(delta == 0 ? "0" : String.format(Locale.ROOT, "%+.4f", delta));
        }
        h.append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void curvesSection(StringBuilder h, ReportData d) {
    Map<String, List<ReportData.Point>> roc = curveBySplit(d, "roc");
    Map<String, List<ReportData.Point>> pr = curveBySplit(d, "pr");
    Map<String, List<ReportData.Point>> cal = curveBySplit(d, "calibration");
    if (roc.isEmpty() && pr.isEmpty() && cal.isEmpty()) {
      return;
    }
    h.append("<h2>Curves</h2>\n<div class=\"charts\">\n");
    if (!roc.isEmpty()) {
      chart(
          h,
          Charts.curves(
              "ROC curve", "false-positive rate", "true-positive rate", roc, 0, 1, false));
    }
    if (!pr.isEmpty()) {
      double base = positiveRate(d);
      chart(
          h, Charts.curves("Precision-recall curve", "recall", "precision", pr, base, base, false));
    }
    if (!cal.isEmpty()) {
      chart(
          h,
          Charts.curves(
              "Calibration (reliability)",
              "mean predicted probability",
              "observed positive rate",
              cal,
              0,
              1,
              true));
    }
    h.append(
        "</div>\n<p class=\"note\">Dashed: ROC of a random ranking; PR at the test positive"
            + " rate; calibration of a perfectly calibrated model.</p>\n");
  }

  private static double positiveRate(ReportData d) {
    for (ReportData.MetricRow m : d.metrics()) {
      if (m.split().equals("test") && m.metric().equals("label_positive_rate")) {
        return m.value();
      }
    }
    return Double.NaN;
  }

  /** Validation and test only: the train curves sit on top of them and add little. */
  private static Map<String, List<ReportData.Point>> curveBySplit(ReportData d, String curve) {
    Map<String, List<ReportData.Point>> out = new LinkedHashMap<>();
    for (String s : List.of("validation", "test")) {
      Map<String, List<ReportData.Point>> c = d.curves().get(s);
      if (c != null && c.containsKey(curve)) {
        out.put(s, c.get(curve));
      }
    }
    return out;
  }

  private static void confusionSection(StringBuilder h, ReportData d) {
    if (d.confusion().isEmpty()) {
      return;
    }
    h.append("<h2>Confusion matrices</h2>\n<p>Rows: actual class; columns: predicted class")
        .append(" (binary: at the configured threshold). Cells: rows, and share of the actual")
        .append(" class.</p>\n<div class=\"charts\">\n");
    for (String s : splits(new ArrayList<>(d.confusion().keySet()))) {
      List<ReportData.Cell> cells = d.confusion().get(s);
      Set<String> classes = new LinkedHashSet<>();
      cells.forEach(c -> classes.add(c.actual()));
      cells.forEach(c -> classes.add(c.predicted()));
      Map<String, Long> rowTotal = new LinkedHashMap<>();
      Map<String, Long> count = new LinkedHashMap<>();
      for (ReportData.Cell c : cells) {
        rowTotal.merge(c.actual(), c.count(), Long::sum);
        count.put(c.actual() + "\u0000" + c.predicted(), c.count());
      }
      h.append("<table class=\"cm\"><caption>").append(esc(s)).append("</caption><tr><th></th>");
      for (String p : classes) {
        h.append("<th>pred ").append(esc(p)).append("</th>");
      }
      h.append("</tr>\n");
      for (String a : classes) {
        h.append("<tr><th>actual ").append(esc(a)).append("</th>");
        long total = rowTotal.getOrDefault(a, 0L);
        for (String p : classes) {
          long n = count.getOrDefault(a + "\u0000" + p, 0L);
          double share = total == 0 ? 0 : (double) n / total;
          int shade = (int) Math.round(255 - 150 * share);
          h.append(
                  String.format(
                      Locale.ROOT, "<td style=\"background:rgb(%d,%d,255)\">", shade, shade))
              .append(n)
              .append("<br><small>")
              .append(String.format(Locale.ROOT, "%.1f%%", 100 * share))
              .append("</small></td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("</div>\n");
  }

  private static void coefficientsSection(StringBuilder h, ReportData d) {
    if (d.topCoefficients().isEmpty()) {
      return;
    }
    h.append("<h2>Top coefficients</h2>\n<div class=\"charts\">\n");
    chart(h, Charts.coefficients(d.topCoefficients()));
    boolean perClass = d.topCoefficients().stream().anyMatch(c -> c.className() != null);
    h.append("<table class=\"grid\"><tr><th>feature</th>")
        .append(perClass ? "<th>class</th>" : "")
        .append("<th>weight (original units)</th><th>weight (standardized)</th></tr>\n");
    for (ReportData.Coefficient c : d.topCoefficients()) {
      h.append("<tr><td>").append(esc(c.feature())).append("</td>");
      if (perClass) {
        h.append("<td>").append(c.className() == null ? "" : esc(c.className())).append("</td>");
      }
      h.append("<td class=\"num\">")
          .append(fmt(c.weight()))
          .append("</td><td class=\"num\">")
          .append(fmt(c.weightScaled()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n</div>\n");
  }

  private static List<String> splits(List<String> present) {
    List<String> out = new ArrayList<>();
    for (String s : SPLIT_ORDER) {
      if (present.contains(s)) {
        out.add(s);
      }
    }
    for (String s : new LinkedHashSet<>(present)) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private static void chart(StringBuilder h, String svg) {
    h.append(svg).append('\n');
  }

  static String fmt(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    double a = Math.abs(v);
    return a != 0 && (a < 1e-3 || a >= 1e6)
        ? String.format(Locale.ROOT, "%.4g", v)
        : String.format(Locale.ROOT, "%.4f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static final String CSS =
      """
      body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 24px;
             color: #222; max-width: 1180px; }
      h1 { font-size: 24px; } h2 { font-size: 19px; margin-top: 28px;
             border-bottom: 1px solid #ddd; padding-bottom: 4px; }
      table { border-collapse: collapse; margin: 8px 16px 8px 0; font-size: 13px; }
      th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
      th { background: #f3f3f3; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      table.kv th { width: 160px; }
      table.cm td { text-align: center; min-width: 80px; }
      table.cm caption { font-weight: bold; padding: 4px; }
      .charts { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
      .charts svg { border: 1px solid #eee; }
      .charts .empty { width: 520px; min-height: 120px; border: 1px dashed #ccc; padding: 18px;
             color: #555; font-size: 13px; }
      tr.current td { font-weight: bold; background: #fff8dc; }
      details { margin: 8px 0; } summary { cursor: pointer; color: #1f5f9f; }
      .note { color: #666; font-size: 12px; }
      """;
}

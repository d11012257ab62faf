package dev.arbor.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's charts, as inline SVG ({@link SvgChart}): ROC, PR and calibration curves, the
 * training and validation curves, the largest coefficients and the metric trend across run dates.
 */
final class Charts {
  private static final String[] SPLIT_COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#7f7f7f"};
  private static final String PROMOTED = "#2ca02c";
  private static final String REJECTED = "#d62728";

  private Charts() {}

  /**
   * One line per split (for example ROC curves of validation and test), plus the reference line
   * from (0, {@code refFrom}) to (1, {@code refTo}) when {@code refFrom} is not NaN.
   */
  static String curves(
      String title,
      String xLabel,
      String yLabel,
      Map<String, List<ReportData.Point>> bySplit,
      double refFrom,
      double refTo,
      boolean markers) {
    List<SvgChart.Series> series = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, List<ReportData.Point>> e : bySplit.entrySet()) {
      List<double[]> pts = new ArrayList<>();
      for (ReportData.Point p : e.getValue()) {
        pts.add(new double[] {p.x(), p.y()});
      }
      series.add(
          SvgChart.Series.line(e.getKey(), SPLIT_COLORS[i++ % SPLIT_COLORS.length], pts, markers));
    }
    if (!Double.isNaN(refFrom)) {
      series.add(
          SvgChart.Series.reference(
              "reference", List.of(new double[] {0, refFrom}, new double[] {1, refTo})));
    }
    return SvgChart.lines(
        title, SvgChart.Axis.fixed(xLabel, 0, 1), SvgChart.Axis.fixed(yLabel, 0, 1.02), series);
  }

  /** The training objective per iteration of the kept model. */
  static String training(List<ReportData.Step> steps) {
    List<double[]> pts = new ArrayList<>();
    for (ReportData.Step s : steps) {
      pts.add(new double[] {s.iteration(), s.trainLoss()});
    }
    return SvgChart.lines(
        "Training curve",
        SvgChart.Axis.auto("iteration"),
        SvgChart.Axis.auto("training objective"),
        List.of(
            SvgChart.Series.line("training objective", SPLIT_COLORS[0], pts, pts.size() <= 40)));
  }

  /** The validation metric per iteration where it was computed, or null when never. */
  static String validation(List<ReportData.Step> steps, String metricLabel) {
    List<double[]> pts = new ArrayList<>();
    for (ReportData.Step s : steps) {
      if (s.validationMetric() != null) {
        pts.add(new double[] {s.iteration(), s.validationMetric()});
      }
    }
    if (pts.isEmpty()) {
      return null;
    }
    return SvgChart.lines(
        "Validation curve",
        SvgChart.Axis.auto("iteration"),
        SvgChart.Axis.auto(metricLabel),
        List.of(SvgChart.Series.line(metricLabel, SPLIT_COLORS[1], pts, pts.size() <= 40)));
  }

  /** Horizontal bars of the coefficients on the standardized features. */
  static String coefficients(List<ReportData.Coefficient> top) {
    List<String> labels = new ArrayList<>();
    double[] values = new double[top.size()];
    for (int i = 0; i < top.size(); i++) {
      ReportData.Coefficient c = top.get(i);
      labels.add(c.className() == null ? c.feature() : c.feature() + " [" + c.className() + "]");
      values[i] = c.weightScaled();
    }
    return SvgChart.bars(
        "Largest coefficients", "weight on the standardized feature", labels, values);
  }

  /**
   * The test metric per run date, with the promotion gate's decisions marked: a ring where the run
   * was promoted (or was the first), a cross where it was rejected.
   */
  static String trend(List<NightlyTrend.Night> nights, String metric) {
    List<double[]> all = new ArrayList<>();
    List<double[]> promoted = new ArrayList<>();
    List<double[]> rejected = new ArrayList<>();
    for (NightlyTrend.Night n : nights) {
      double[] p = {n.runDate().toEpochDay(), n.value()};
      all.add(p);
      if ("promoted".equals(n.decision()) || "first".equals(n.decision())) {
        promoted.add(p);
      } else if ("rejected".equals(n.decision())) {
        rejected.add(p);
      }
    }
    return SvgChart.lines(
        "Test " + metric + " per run date",
        SvgChart.Axis.dates("run date"),
        SvgChart.Axis.auto("test " + metric),
        List.of(
            SvgChart.Series.line("test " + metric, SPLIT_COLORS[0], all, true),
            SvgChart.Series.markers("promoted", PROMOTED, promoted, SvgChart.Marker.RING),
            SvgChart.Series.markers("rejected", REJECTED, rejected, SvgChart.Marker.CROSS)));
  }
}

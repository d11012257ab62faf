package dev.arbor.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart into PNG images (returned base64-encoded for {@code
 * data:} URIs). Needs no display: AWT runs headless ({@code java.awt.headless=true}, set here
 * before the first chart).
 */
final class Charts {
  static final int WIDTH = 560;
  static final int HEIGHT = 400;

  private static final Color[] SPLIT_COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x7f7f7f)
  };
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);

  static {
    System.setProperty("java.awt.headless", "true");
  }

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
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, List<ReportData.Point>> e : bySplit.entrySet()) {
      XYSeries s = new XYSeries(e.getKey(), false, true);
      for (ReportData.Point p : e.getValue()) {
        s.add(p.x(), p.y());
      }
      data.addSeries(s);
    }
    int lines = data.getSeriesCount();
    if (!Double.isNaN(refFrom)) {
      XYSeries ref = new XYSeries("reference", false, true);
      ref.add(0.0, refFrom);
      ref.add(1.0, refTo);
      data.addSeries(ref);
    }
    NumberAxis x = new NumberAxis(xLabel);
    NumberAxis y = new NumberAxis(yLabel);
    x.setRange(0.0, 1.0);
    y.setRange(0.0, 1.02);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, markers);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      boolean reference = i >= lines;
      r.setSeriesPaint(i, reference ? Color.GRAY : SPLIT_COLORS[i % SPLIT_COLORS.length]);
      r.setSeriesStroke(
          i,
          reference
              ? new BasicStroke(
                  1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f)
              : new BasicStroke(2f));
      r.setSeriesShapesVisible(i, markers && !reference);
    }
    XYPlot plot = new XYPlot(data, x, y, r);
    return png(chart(title, plot));
  }

  /** Training objective per iteration (left axis) and validation metric (right axis). */
  static String history(List<ReportData.Step> steps, String metricLabel) {
    XYSeries loss = new XYSeries("training objective");
    XYSeries metric = new XYSeries(metricLabel);
    for (ReportData.Step s : steps) {
      if (Double.isFinite(s.trainLoss())) {
        loss.add(s.iteration(), s.trainLoss());
      }
      if (s.validationMetric() != null) {
        metric.add(s.iteration(), s.validationMetric().doubleValue());
      }
    }
    NumberAxis x = new NumberAxis("iteration");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis left = new NumberAxis("training objective");
    left.setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer r0 = new XYLineAndShapeRenderer(true, steps.size() <= 40);
    r0.setSeriesPaint(0, SPLIT_COLORS[0]);
    r0.setSeriesStroke(0, new BasicStroke(2f));
    XYPlot plot = new XYPlot(new XYSeriesCollection(loss), x, left, r0);
    if (metric.getItemCount() > 0) {
      NumberAxis right = new NumberAxis(metricLabel);
      right.setAutoRangeIncludesZero(false);
      plot.setRangeAxis(1, right);
      plot.setDataset(1, new XYSeriesCollection(metric));
      plot.mapDatasetToRangeAxis(1, 1);
      XYLineAndShapeRenderer r1 = new XYLineAndShapeRenderer(true, steps.size() <= 40);
      r1.setSeriesPaint(0, SPLIT_COLORS[1]);
      r1.setSeriesStroke(0, new BasicStroke(2f));
      plot.setRenderer(1, r1);
    }
    return png(chart("Training history", plot));
  }

  /** Horizontal bars of the coefficients on the standardized features. */
  static String coefficients(List<ReportData.Coefficient> top) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ReportData.Coefficient c : top) {
      String label = c.className() == null ? c.feature() : c.feature() + " [" + c.className() + "]";
      data.addValue(c.weightScaled(), "weight (standardized feature)", label);
    }
    JFreeChart chart =
        org.jfree.chart.ChartFactory.createBarChart(
            "Largest coefficients",
            null,
            "weight on the standardized feature",
            data,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false);
    BarRenderer r = (BarRenderer) chart.getCategoryPlot().getRenderer();
    r.setSeriesPaint(0, SPLIT_COLORS[0]);
    r.setShadowVisible(false);
    r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    chart
        .getCategoryPlot()
        .getDomainAxis()
        .setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    style(chart);
    return png(chart, WIDTH, Math.max(HEIGHT, 60 + 22 * top.size()));
  }

  private static JFreeChart chart(String title, XYPlot plot) {
    JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
    style(chart);
    return chart;
  }

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setTitle(new TextTitle(chart.getTitle().getText(), TITLE));
    chart.getPlot().setBackgroundPaint(new Color(0xfafafa));
    if (chart.getPlot() instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(new Color(0xdddddd));
      xy.setRangeGridlinePaint(new Color(0xdddddd));
    }
  }

  private static String png(JFreeChart chart) {
    return png(chart, WIDTH, HEIGHT);
  }

  private static String png(JFreeChart chart, int width, int height) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(out, chart, width, height);
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot draw chart " + chart.getTitle().getText(), e);
    }
  }
}

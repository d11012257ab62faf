package dev.arbor.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Charts as inline SVG, written by hand: axes with round ticks, lines, markers, a legend. No
 * library, no script, no external resource; the browser draws them, so they stay sharp at any zoom.
 * Used by {@link Charts}.
 */
final class SvgChart {
  static final int WIDTH = 560;
  static final int HEIGHT = 400;
  private static final int LEFT = 72;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 56;

  /** How a series draws its points. */
  enum Marker {
    NONE,
    DOT,
    RING,
    CROSS
  }

  /**
   * One series: points as {x, y} pairs; {@code line} joins them, {@code dashed} for reference
   * lines.
   */
  record Series(
      String name,
      String color,
      List<double[]> points,
      boolean line,
      boolean dashed,
      Marker marker) {
    static Series line(String name, String color, List<double[]> points, boolean dots) {
      return new Series(name, color, points, true, false, dots ? Marker.DOT : Marker.NONE);
    }

    static Series reference(String name, List<double[]> points) {
      return new Series(name, "#888888", points, true, true, Marker.NONE);
    }

    static Series markers(String name, String color, List<double[]> points, Marker marker) {
      return new Series(name, color, points, false, false, marker);
    }
  }

  /** An axis: label, fixed range (or {@code null} bounds: fitted to the data), tick labels. */
  record Axis(String label, Double min, Double max, DoubleFunction<String> format) {
    static Axis auto(String label) {
      return new Axis(label, null, null, null);
    }

    static Axis fixed(String label, double min, double max) {
      return new Axis(label, min, max, null);
    }

    /** x values are epoch days; ticks print as dates. */
    static Axis dates(String label) {
      return new Axis(label, null, null, d -> LocalDate.ofEpochDay(Math.round(d)).toString());
    }
  }

  private SvgChart() {}

  /** A line chart of {@code series}; points with a non-finite coordinate are left out. */
  static String lines(String title, Axis x, Axis y, List<Series> series) {
    double[] xr = range(series, 0, x);
    double[] yr = range(series, 1, y);
    double[] xTicks = x.format() != null ? dateTicks(xr) : ticks(xr);
    double[] yTicks = ticks(yr);
    if (x.min() == null) {
      xr = widen(xr, xTicks);
    }
    if (y.min() == null) {
      yr = widen(yr, yTicks);
    }
    Frame f = new Frame(xr, yr);
    StringBuilder s = open(title);
    grid(s, f, x, y, xTicks, yTicks);
    for (Series se : series) {
      List<double[]> pts = finite(se.points());
      if (se.line() && pts.size() > 1) {
        s.append("<polyline fill=\"none\" stroke=\"")
            .append(se.color())
            .append("\" stroke-width=\"")
            .append(se.dashed() ? "1" : "2")
            .append(se.dashed() ? "\" stroke-dasharray=\"4 4" : "")
            .append("\" points=\"");
        for (double[] p : pts) {
          s.append(num(f.px(p[0]))).append(',').append(num(f.py(p[1]))).append(' ');
        }
        s.append("\"/>\n");
      }
      for (double[] p : pts) {
        marker(s, se.marker(), se.color(), f.px(p[0]), f.py(p[1]));
      }
    }
    legend(s, series);
    return s.append("</svg>").toString();
  }

  /** Horizontal bars, one per label, from zero. */
  static String bars(String title, String valueLabel, List<String> labels, double[] values) {
    int height = Math.max(HEIGHT, 60 + 22 * labels.size());
    int left = 210;
    double lo = 0;
    double hi = 0;
    for (double v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double[] ticks = ticks(new double[] {lo, hi == lo ? lo + 1 : hi});
    double[] r = widen(new double[] {lo, hi == lo ? lo + 1 : hi}, ticks);
    double plotW = WIDTH - left - RIGHT;
    double band = (height - TOP - BOTTOM) / (double) Math.max(1, labels.size());
    DoubleFunction<Double> px = v -> left + (v - r[0]) / (r[1] - r[0]) * plotW;
    StringBuilder s = open(title, height);
    for (double t : ticks) {
      double x = px.apply(t);
      s.append(line(x, TOP, x, height - BOTTOM, "#dddddd"));
      s.append(text(x, height - BOTTOM + 16, "middle", fmtTick(t, ticks), 11));
    }
    s.append(text(left + plotW / 2, height - 14, "middle", valueLabel, 12));
    double zero = px.apply(0.0);
    for (int i = 0; i < labels.size(); i++) {
      double y = TOP + i * band;
      double x0 = Math.min(zero, px.apply(values[i]));
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"#1f77b4\"/>\n",
              num(x0),
              num(y + band * 0.15),
              num(Math.abs(px.apply(values[i]) - zero)),
              num(band * 0.7)));
      s.append(text(left - 6, y + band / 2 + 4, "end", labels.get(i), 11));
    }
    s.append(line(zero, TOP, zero, height - BOTTOM, "#444444"));
    return s.append("</svg>").toString();
  }

  private record Frame(double[] xr, double[] yr) {
    double px(double x) {
      return LEFT + (x - xr[0]) / (xr[1] - xr[0]) * (WIDTH - LEFT - RIGHT);
    }

    double py(double y) {
      return HEIGHT - BOTTOM - (y - yr[0]) / (yr[1] - yr[0]) * (HEIGHT - TOP - BOTTOM);
    }
  }

  private static StringBuilder open(String title) {
    return open(title, HEIGHT);
  }

  private static StringBuilder open(String title, int height) {
    StringBuilder s = new StringBuilder(8 * 1024);
    s.append(
            String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\">\n",
                WIDTH,
                height,
                WIDTH,
                height))
        .append("<title>")
        .append(HtmlReport.esc(title))
        .append("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
        .append(
            text(WIDTH / 2.0, 22, "middle", title, 15)
                .replace("<text ", "<text font-weight=\"bold\" "));
    return s;
  }

  private static void grid(StringBuilder s, Frame f, Axis x, Axis y, double[] xt, double[] yt) {
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\""
                + " stroke=\"#bbbbbb\"/>\n",
            LEFT,
            TOP,
            WIDTH - LEFT - RIGHT,
            HEIGHT - TOP - BOTTOM));
    for (double t : xt) {
      double px = f.px(t);
      s.append(line(px, TOP, px, HEIGHT - BOTTOM, "#e3e3e3"));
      String label = x.format() != null ? x.format().apply(t) : fmtTick(t, xt);
      s.append(text(px, HEIGHT - BOTTOM + 16, "middle", label, 11));
    }
    for (double t : yt) {
      double py = f.py(t);
      s.append(line(LEFT, py, WIDTH - RIGHT, py, "#e3e3e3"));
      s.append(text(LEFT - 6, py + 4, "end", fmtTick(t, yt), 11));
    }
    s.append(text(LEFT + (WIDTH - LEFT - RIGHT) / 2.0, HEIGHT - 14, "middle", x.label(), 12));
    double cy = TOP + (HEIGHT - TOP - BOTTOM) / 2.0;
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"16\" y=\"%s\" font-size=\"12\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 16 %s)\">%s</text>\n",
            num(cy),
            num(cy),
            HtmlReport.esc(y.label())));
  }

  private static void legend(StringBuilder s, List<Series> series) {
    List<Series> named = new ArrayList<>();
    for (Series se : series) {
      if (se.name() != null && !se.points().isEmpty()) {
        named.add(se);
      }
    }
    if (named.size() < 2) {
      return;
    }
    double y = TOP + 14;
    for (Series se : named) {
      double x = WIDTH - RIGHT - 150;
      if (se.line()) {
        s.append(line(x, y - 4, x + 22, y - 4, se.color()));
      }
      marker(s, se.marker(), se.color(), x + 11, y - 4);
      s.append(text(x + 28, y, "start", se.name(), 11));
      y += 16;
    }
  }

  private static void marker(StringBuilder s, Marker m, String color, double x, double y) {
    switch (m) {
      case NONE -> {}
      case DOT ->
          s.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>\n",
                  num(x),
                  num(y),
                  color));
      case RING ->
          s.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%s\" cy=\"%s\" r=\"7\" fill=\"none\" stroke=\"%s\""
                      + " stroke-width=\"2.5\"/>\n",
                  num(x),
                  num(y),
                  color));
      case CROSS -> {
        s.append(line(x - 6, y - 6, x + 6, y + 6, color).replace("/>", " stroke-width=\"2.5\"/>"));
        s.append(line(x - 6, y + 6, x + 6, y - 6, color).replace("/>", " stroke-width=\"2.5\"/>"));
      }
    }
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\"/>\n",
        num(x1),
        num(y1),
        num(x2),
        num(y2),
        color);
  }

  private static String text(double x, double y, String anchor, String text, int size) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%s\" y=\"%s\" font-size=\"%d\" text-anchor=\"%s\">%s</text>\n",
        num(x),
        num(y),
        size,
        anchor,
        HtmlReport.esc(text));
  }

  /** The data range of coordinate {@code c} (fixed bounds win); never empty. */
  private static double[] range(List<Series> series, int c, Axis axis) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series se : series) {
      for (double[] p : finite(se.points())) {
        lo = Math.min(lo, p[c]);
        hi = Math.max(hi, p[c]);
      }
    }
    if (axis.min() != null) {
      return new double[] {axis.min(), axis.max()};
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    if (lo == hi) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.05;
      return new double[] {lo - pad, hi + pad};
    }
    return new double[] {lo, hi};
  }

  /** Round ticks (1, 2 or 5 times a power of ten) covering {@code r}, about five of them. */
  static double[] ticks(double[] r) {
    double span = r[1] - r[0];
    double raw = span / 5;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step =
        raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    double first = Math.ceil(r[0] / step - 1e-9) * step;
    List<Double> out = new ArrayList<>();
    for (double t = first; t <= r[1] + step * 1e-9; t += step) {
      out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Whole days; every day when few, else round steps. */
  private static double[] dateTicks(double[] r) {
    double span = r[1] - r[0];
    double step = Math.max(1, Math.ceil(span / 6));
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(r[0]); t <= r[1] + 1e-9; t += step) {
      out.add(t);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The range extended to the outer ticks plus a margin, so no point sits on the frame. */
  private static double[] widen(double[] r, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.max(1e-9, r[1] - r[0]);
    return new double[] {r[0] - step * 0.25, r[1] + step * 0.25};
  }

  private static List<double[]> finite(List<double[]> points) {
    return points.stream().filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1])).toList();
  }

  private static String fmtTick(double v, double[] ticks) {
    double step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(v);
    int decimals = step == 0 ? 0 : Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    if (Math.abs(v) >= 1e6 || (v != 0 && decimals > 6)) {
      return String.format(Locale.ROOT, "%.2g", v);
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}

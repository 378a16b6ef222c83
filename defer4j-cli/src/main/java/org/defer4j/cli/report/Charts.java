package org.defer4j.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.defer4j.core.metric.Calibration;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, rendered with XChart to PNG bytes.
 *
 * <p>Every chart keeps its legend outside the plot area, so no point hides behind it, pads its axes
 * so that points on the edges (coverage 0 and 1) stay whole, and prints tick labels with a leading
 * zero ("0.08", not ".08"). Charts that take a {@link Palette} colour each series by its name's
 * key, so an agent or a policy has one colour in every chart of a report.
 */
public final class Charts {
  private static final int WIDTH = 960;
  private static final int HEIGHT = 520;

  /** Tick labels: a leading zero and up to three decimals ("0.08", "0.125", "1.0"). */
  static final String DECIMALS = "0.0##";

  private Charts() {}

  /**
   * One colour per name, assigned in the order names are first seen, from a fixed list of colours
   * distinguishable in print (Tableau 10 without its grey); the oracle is always black and random
   * deferral always grey, so references look the same in every report. A report holds one palette
   * ({@link HtmlReport#palette()}) and registers its names in a stable order (agents in index
   * order, then policies in entry order) before it draws, so the same name has the same colour in
   * every chart. Not thread-safe.
   */
  public static final class Palette {
    /** The key of the oracle's colour. */
    public static final String ORACLE = "oracle";

    /** The key of random deferral's colour. */
    public static final String RANDOM = "random deferral";

    private static final Color[] COLOURS = {
      new Color(0x4E79A7),
      new Color(0xF28E2B),
      new Color(0x59A14F),
      new Color(0xE15759),
      new Color(0xB07AA1),
      new Color(0x499894),
      new Color(0x9D7660),
      new Color(0xD37295),
      new Color(0xB6992D),
      new Color(0x2F4B7C),
      new Color(0x17BECF),
      new Color(0xBCBD22),
      new Color(0x6A3D9A),
      new Color(0xA0CBE8),
      new Color(0xFF9D9A),
      new Color(0x8CD17D),
    };

    private final Map<String, Color> colours = new LinkedHashMap<>();

    /** An empty palette: the oracle black, random deferral grey, every other name on first use. */
    public Palette() {
      colours.put(ORACLE, new Color(0x222222));
      colours.put(RANDOM, new Color(0x9A9A9A));
    }

    /** Assigns colours to the names not yet seen, in the order given. */
    public Palette register(List<String> names) {
      names.forEach(this::colour);
      return this;
    }

    /**
     * The colour of a name, assigned on first use: the next of the fixed colours, then (past them)
     * hues spaced by the golden angle, so every name gets a distinct, reproducible colour.
     */
    public Color colour(String name) {
      return colours.computeIfAbsent(name, k -> next(colours.size() - 2));
    }

    private static Color next(int k) {
      if (k < COLOURS.length) {
        return COLOURS[k];
      }
      float hue = (float) (((k - COLOURS.length) * 0.618033988749895) % 1.0);
      return Color.getHSBColor(hue, 0.65f, 0.75f);
    }

    /** The names seen so far, in the order they were given their colours. */
    public List<String> names() {
      return List.copyOf(colours.keySet());
    }
  }

  /** One named line of a chart. */
  public record Series(String name, double[] x, double[] y, boolean markersOnly) {
    /** Copies the arrays. */
    public Series {
      x = x.clone();
      y = y.clone();
    }
  }

  /** How a line is drawn. */
  public enum Stroke {
    /** A solid line (a policy's own curve). */
    SOLID,
    /** A dashed line (the oracle). */
    DASHED,
    /** A dotted line (random deferral). */
    DOTTED
  }

  /** The shape of a point marker. */
  public enum Shape {
    /** A diamond (learned policies). */
    DIAMOND,
    /** A square (baselines). */
    SQUARE,
    /** A circle (references). */
    CIRCLE
  }

  /**
   * A named curve.
   *
   * @param name the legend entry (unique within a chart)
   * @param colourKey the palette name whose colour it takes
   * @param stroke how it is drawn
   * @param x the x values
   * @param y the y values (NaN points are left out)
   */
  public record Line(String name, String colourKey, Stroke stroke, double[] x, double[] y) {
    /** Copies the arrays. */
    public Line {
      x = x.clone();
      y = y.clone();
    }
  }

  /**
   * One labelled point: its own legend entry.
   *
   * @param name the legend entry (unique within a chart)
   * @param colourKey the palette name whose colour it takes
   * @param shape its marker
   * @param x its x value
   * @param y its y value
   */
  public record Point(String name, String colourKey, Shape shape, double x, double y) {}

  /** A line chart of several series, in XChart's default colours. */
  public static byte[] lines(String title, String xLabel, String yLabel, List<Series> series) {
    XYChart chart = xyChart(title, xLabel, yLabel);
    for (Series s : series) {
      XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
      if (s.markersOnly()) {
        xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      } else {
        xy.setMarker(SeriesMarkers.NONE);
      }
    }
    padAxes(
        chart, series.stream().map(Series::x).toList(), series.stream().map(Series::y).toList());
    return png(chart);
  }

  /**
   * A chart of curves and labelled points in the palette's colours; each point is its own legend
   * entry. Axes are padded around every finite value, so the end points of the curves and every
   * marker stay whole and visible.
   */
  public static byte[] curves(
      String title,
      String xLabel,
      String yLabel,
      List<Line> lines,
      List<Point> points,
      Palette palette) {
    return png(curvesChart(title, xLabel, yLabel, lines, points, palette));
  }

  static XYChart curvesChart(
      String title,
      String xLabel,
      String yLabel,
      List<Line> lines,
      List<Point> points,
      Palette palette) {
    // Taller when the legend is long, so that the plot keeps its height.
    int entries = lines.size() + points.size();
    XYChart chart = xyChart(title, xLabel, yLabel, Math.max(HEIGHT, 130 + 21 * entries));
    chart.getStyler().setMarkerSize(11);
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    for (Line l : lines) {
      double[][] xy = finite(l.x(), l.y());
      if (xy[0].length == 0) {
        continue;
      }
      XYSeries s = chart.addSeries(l.name(), xy[0], xy[1]);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(palette.colour(l.colourKey()));
      s.setLineStyle(stroke(l.stroke()));
      xs.add(xy[0]);
      ys.add(xy[1]);
    }
    for (Point p : points) {
      if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) {
        continue;
      }
      XYSeries s = chart.addSeries(p.name(), new double[] {p.x()}, new double[] {p.y()});
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(marker(p.shape()));
      s.setMarkerColor(palette.colour(p.colourKey()));
      xs.add(new double[] {p.x()});
      ys.add(new double[] {p.y()});
    }
    padAxes(chart, xs, ys);
    return chart;
  }

  /** A bar chart of one value per category. */
  public static byte[] bars(String title, String yLabel, Map<String, Double> values) {
    CategoryChart chart = categoryChart(title, yLabel);
    chart.getStyler().setLegendVisible(false);
    chart.addSeries(yLabel, new ArrayList<>(values.keySet()), new ArrayList<>(values.values()));
    return png(chart);
  }

  /** A grouped bar chart: one series per name, one bar per category, in XChart's colours. */
  public static byte[] groupedBars(
      String title, String yLabel, List<String> categories, Map<String, List<Double>> series) {
    CategoryChart chart = categoryChart(title, yLabel);
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    return png(chart);
  }

  /**
   * A grouped bar chart: one series per name in the palette's colour of that name, one bar per
   * category.
   */
  public static byte[] groupedBars(
      String title,
      String yLabel,
      List<String> categories,
      Map<String, List<Double>> series,
      Palette palette) {
    return png(groupedBarsChart(title, yLabel, categories, series, palette));
  }

  static CategoryChart groupedBarsChart(
      String title,
      String yLabel,
      List<String> categories,
      Map<String, List<Double>> series,
      Palette palette) {
    CategoryChart chart = categoryChart(title, yLabel);
    series.forEach(
        (name, values) -> {
          CategorySeries s = chart.addSeries(name, categories, values);
          s.setFillColor(palette.colour(name));
        });
    return chart;
  }

  /**
   * A reliability diagram: each non-empty bin's observed frequency against its mean estimate, with
   * the diagonal of perfect calibration; each point is labelled with its bin's count, since a bin
   * of five cases says little.
   */
  public static byte[] reliability(
      String title, String xLabel, String seriesName, Calibration.Reliability rel) {
    List<Calibration.Bin> bins = rel.bins().stream().filter(b -> b.count() > 0).toList();
    double[] x = bins.stream().mapToDouble(Calibration.Bin::meanConfidence).toArray();
    double[] y = bins.stream().mapToDouble(Calibration.Bin::accuracy).toArray();
    XYChart chart = xyChart(title, xLabel, "observed frequency");
    XYSeries diagonal =
        chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
    diagonal.setMarker(SeriesMarkers.NONE);
    diagonal.setLineColor(new Color(0x9A9A9A));
    diagonal.setLineStyle(SeriesLines.DASH_DASH);
    if (x.length > 0) {
      XYSeries s = chart.addSeries(seriesName + " (label: cases in bin)", x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setMarkerColor(new Color(0x4E79A7));
      s.setLineColor(new Color(0x4E79A7));
    }
    chart.getStyler().setXAxisMin(-0.03).setXAxisMax(1.03).setYAxisMin(-0.03).setYAxisMax(1.09);
    chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.getStyler().setAnnotationTextFontColor(new Color(0x333333));
    for (Label l : binLabels(rel)) {
      chart.addAnnotation(new AnnotationText(l.text(), l.x(), l.y(), false));
    }
    return png(chart);
  }

  /** A text placed at data coordinates. */
  record Label(String text, double x, double y) {}

  /**
   * The count labels of a reliability diagram, one per non-empty bin: alternately above and below
   * the points, so the counts of neighbouring bins do not collide (below near the top, above near
   * the bottom).
   */
  static List<Label> binLabels(Calibration.Reliability rel) {
    List<Label> out = new ArrayList<>();
    int k = 0;
    for (Calibration.Bin b : rel.bins()) {
      if (b.count() == 0) {
        continue;
      }
      double y = b.accuracy();
      boolean above = y <= 0.95 && (y < 0.05 || k % 2 == 0);
      out.add(
          new Label(Integer.toString(b.count()), b.meanConfidence(), y + (above ? 0.045 : -0.045)));
      k++;
    }
    return out;
  }

  private static XYChart xyChart(String title, String xLabel, String yLabel) {
    return xyChart(title, xLabel, yLabel, HEIGHT);
  }

  private static XYChart xyChart(String title, String xLabel, String yLabel, int height) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(height)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    style(chart.getStyler());
    return chart;
  }

  private static CategoryChart categoryChart(String title, String yLabel) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .yAxisTitle(yLabel)
            .build();
    style(chart.getStyler());
    return chart;
  }

  private static void style(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setLegendBorderColor(new Color(0xDDDDDD));
    s.setLocale(Locale.ROOT);
    s.setXAxisDecimalPattern(DECIMALS);
    s.setYAxisDecimalPattern(DECIMALS);
    s.setDecimalPattern(DECIMALS);
  }

  /** Sets the axes to the finite values' range, widened by 3 % on each side. */
  private static void padAxes(XYChart chart, List<double[]> xs, List<double[]> ys) {
    double[] x = range(xs);
    double[] y = range(ys);
    if (x != null) {
      double pad = 0.03 * Math.max(x[1] - x[0], Math.max(Math.abs(x[1]), 1e-9));
      chart.getStyler().setXAxisMin(x[0] - pad).setXAxisMax(x[1] + pad);
    }
    if (y != null) {
      double span = y[1] - y[0];
      double pad = 0.05 * (span > 0 ? span : Math.max(Math.abs(y[1]), 1e-3));
      chart.getStyler().setYAxisMin(y[0] - pad).setYAxisMax(y[1] + pad);
    }
  }

  private static double[] range(List<double[]> arrays) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] a : arrays) {
      for (double v : a) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return lo <= hi ? new double[] {lo, hi} : null;
  }

  private static double[][] finite(double[] x, double[] y) {
    int n = Math.min(x.length, y.length);
    double[] fx = new double[n];
    double[] fy = new double[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        fx[m] = x[i];
        fy[m] = y[i];
        m++;
      }
    }
    return new double[][] {java.util.Arrays.copyOf(fx, m), java.util.Arrays.copyOf(fy, m)};
  }

  private static BasicStroke stroke(Stroke s) {
    return switch (s) {
      case SOLID -> new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
      case DASHED ->
          new BasicStroke(
              1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f);
      case DOTTED ->
          new BasicStroke(
              1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 4f}, 0f);
    };
  }

  private static Marker marker(Shape s) {
    return switch (s) {
      case DIAMOND -> SeriesMarkers.DIAMOND;
      case SQUARE -> SeriesMarkers.SQUARE;
      case CIRCLE -> SeriesMarkers.CIRCLE;
    };
  }

  static byte[] png(Chart<?, ?> chart) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("could not render chart '" + chart.getTitle() + "'", e);
    }
  }
}

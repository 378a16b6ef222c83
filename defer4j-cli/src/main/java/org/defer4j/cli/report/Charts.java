package org.defer4j.cli.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.defer4j.core.metric.Calibration;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, rendered with XChart to PNG bytes. */
public final class Charts {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;

  private Charts() {}

  /** One named line of a chart. */
  public record Series(String name, double[] x, double[] y, boolean markersOnly) {
    /** Copies the arrays. */
    public Series {
      x = x.clone();
      y = y.clone();
    }
  }

  /** A line chart of several series. */
  public static byte[] lines(String title, String xLabel, String yLabel, List<Series> series) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    for (Series s : series) {
      XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
      if (s.markersOnly()) {
        xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      } else {
        xy.setMarker(SeriesMarkers.NONE);
      }
    }
    return png(chart);
  }

  /** A bar chart of one value per category. */
  public static byte[] bars(String title, String yLabel, Map<String, Double> values) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.addSeries(yLabel, new ArrayList<>(values.keySet()), new ArrayList<>(values.values()));
    return png(chart);
  }

  /** A grouped bar chart: one series per name, one bar per category. */
  public static byte[] groupedBars(
      String title, String yLabel, List<String> categories, Map<String, List<Double>> series) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    return png(chart);
  }

  /**
   * A reliability diagram: each non-empty bin's observed frequency against its mean estimate, with
   * the diagonal of perfect calibration.
   */
  public static byte[] reliability(
      String title, String xLabel, String seriesName, Calibration.Reliability rel) {
    double[] x =
        rel.bins().stream()
            .filter(b -> b.count() > 0)
            .mapToDouble(Calibration.Bin::meanConfidence)
            .toArray();
    double[] y =
        rel.bins().stream()
            .filter(b -> b.count() > 0)
            .mapToDouble(Calibration.Bin::accuracy)
            .toArray();
    return lines(
        title,
        xLabel,
        "observed frequency",
        List.of(
            new Series("perfect calibration", new double[] {0, 1}, new double[] {0, 1}, false),
            new Series(seriesName, x, y, true)));
  }

  private static byte[] png(Chart<?, ?> chart) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("could not render chart '" + chart.getTitle() + "'", e);
    }
  }
}

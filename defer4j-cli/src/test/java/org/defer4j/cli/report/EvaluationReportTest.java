package org.defer4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.AccuracyCoverageCurve;
import org.defer4j.core.metric.Calibration;
import org.defer4j.core.metric.EvaluationResult;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The evaluation report: every section, the notes and the small-sample warning, one labelled marker
 * per policy, one colour per name in every chart, and a self-contained file.
 *
 * <p>The table is the six hand-made cases of core's evaluator tests (frozen model m, experts a, b,
 * c with fees 0.1, 0.2, 0.3; groups g0/g1), so the best baseline is "model" (mean cost 0.5 against
 * expert:b's 3.2/6); the learned policy was "trained" under b's fee 0.5, which must give a note.
 */
class EvaluationReportTest {
  private static final int[] Y = {0, 1, 0, 1, 0, 1};
  private static final int[][] CORRECT = {
    {1, 1, 0, 1}, {1, 0, 1, 1}, {0, 1, 1, 0}, {0, 0, 1, 0}, {1, 0, 1, 1}, {0, 0, 0, 1}
  };
  private static final double[] SCORES = {
    0, 0.5, -1, -1, 0, -1, 0.3, -1, 0, 0.9, -1, -1, 0, -1, 0.2, 0.1, 0, -1, -0.4, -1, 0, -1, -1, 0.6
  };
  private static final int[] LEARNED = {1, 2, 1, 2, 0, 3};

  private static TaskSpec task(double feeB) {
    return TaskSpec.classification(
        List.of("0", "1"),
        "m",
        List.of(Agent.expert("a", 0.1), Agent.expert("b", feeB), Agent.expert("c", 0.3)));
  }

  private static DeferralTable table() {
    DeferralTable.Builder b =
        DeferralTable.builder("six.csv", 6)
            .labels(Y.clone())
            .groups(new String[] {"g0", "g0", "g0", "g1", "g1", "g1"});
    String[] names = {"m", "a", "b", "c"};
    for (int j = 0; j < 4; j++) {
      int[] said = new int[6];
      for (int i = 0; i < 6; i++) {
        said[i] = CORRECT[i][j] == 1 ? Y[i] : 1 - Y[i];
      }
      b.agent(names[j], new AgentColumns(6, said, null, null, 0, null));
    }
    return b.build();
  }

  private static Decisions all(TaskSpec task, int agent) {
    int[] d = new int[6];
    java.util.Arrays.fill(d, agent);
    return Decisions.builder(task.agents(), d).build();
  }

  static EvaluationResult result() {
    TaskSpec task = task(0.2);
    DeferralTable t = table();
    CostMatrix c = new CostModel(task).costs(t);
    Decisions learned =
        Decisions.builder(task.agents(), LEARNED)
            .scores(SCORES)
            .availability(Availability.all(task.agents(), 6))
            .build();
    List<Evaluator.Entry> entries =
        List.of(
            Evaluator.Entry.learned("l2d", learned, LearnedPolicy.margins(learned), c, task(0.5)),
            Evaluator.Entry.baseline("model", all(task, 0), c),
            Evaluator.Entry.baseline("expert:b", all(task, 2), c),
            Evaluator.Entry.oracle(c));
    return new Evaluator(Evaluator.Options.defaults().withResamples(200).withThreads(1))
        .evaluate(task, t, entries);
  }

  @Test
  void rendersEverySectionTheNotesAndTheSmallSampleWarning() {
    HtmlReport html = new HtmlReport("t");
    EvaluationResult r = result();
    EvaluationReport.write(html, r, "six.csv");
    String page = html.html();
    assertThat(page)
        .contains("<h3>Metrics</h3>")
        .contains("<h3>Cost split and comparison with model</h3>")
        .contains("<h3>Workload per agent</h3>")
        .contains("<h3>Allocation</h3>")
        .contains("<h3>Accuracy and cost against coverage</h3>")
        .contains("<h3>Per group</h3>")
        .contains("Table six.csv: 6 rows")
        .contains("<th>error part</th>", "<th>fees</th>", "<th>verdict vs model</th>")
        .contains("<th>accuracy on its cases</th>")
        .contains("0 (reference)")
        .contains("<td>g0</td>", "<td>g1</td>")
        .contains("l2d · margin curve")
        .contains("System accuracy against the share of cases the model keeps")
        .contains("Mean system cost against the share of cases the model keeps");
    // The note of the policy trained under other fees, in its box, and the warning for n < 200.
    assertThat(r.notes()).singleElement().asString().contains("fee of 'b' 0.5 → 0.2");
    assertThat(page)
        .contains("<p class=\"note\"><strong>Note:</strong> " + HtmlReport.escape(r.notes().get(0)))
        .contains("<p class=\"warning\"><strong>Warning:</strong> only 6 rows were evaluated");
    for (String name : List.of("l2d", "model", "expert:b", "oracle")) {
      assertThat(page).contains("<td>" + name + "</td>");
    }
    // A "How to read this" under each of the three charts.
    assertThat(count(page, "<strong>How to read this:</strong>")).isEqualTo(3);
    assertThat(count(page, "data:image/png;base64,")).isEqualTo(3);
  }

  @Test
  void aLargeTableWithoutNotesHasNeitherNoteNorWarning() {
    TaskSpec task = randomTask();
    DeferralTable t = randomTable(2000);
    CostMatrix c = new CostModel(task).costs(t);
    int[] keep = new int[2000];
    int[] defer = new int[2000];
    java.util.Arrays.fill(defer, 1);
    EvaluationResult r =
        new Evaluator(Evaluator.Options.defaults().withResamples(50).withThreads(1))
            .evaluate(
                task,
                t,
                List.of(
                    Evaluator.Entry.baseline(
                        "model", Decisions.builder(task.agents(), keep).build(), c),
                    Evaluator.Entry.baseline(
                        "expert:e", Decisions.builder(task.agents(), defer).build(), c),
                    Evaluator.Entry.oracle(c)));
    HtmlReport html = new HtmlReport("t");
    EvaluationReport.write(html, r, "r.csv");
    assertThat(html.html())
        .doesNotContain("class=\"note\"")
        .doesNotContain("class=\"warning\"")
        .doesNotContain("<h3>Per group</h3>")
        .doesNotContain("· margin curve")
        .contains("Table r.csv: 2000 rows");
  }

  @Test
  void everyPolicyIsItsOwnLabelledMarkerInItsOwnColourInBothCoverageCharts() {
    EvaluationResult r = result();
    Charts.Palette palette = new Charts.Palette();
    EvaluationReport.CoverageSeries s = EvaluationReport.coverageSeries(r);
    XYChart acc = Charts.curvesChart("a", "x", "y", s.accuracy(), s.accuracyPoints(), palette);
    XYChart cost = Charts.curvesChart("c", "x", "y", s.cost(), s.costPoints(), palette);
    Set<Color> markerColours = new HashSet<>();
    for (String name : List.of("l2d", "model", "expert:b", "oracle")) {
      XYSeries a = acc.getSeries(name);
      XYSeries c = cost.getSeries(name);
      assertThat(a).as(name).isNotNull();
      assertThat(c).as(name).isNotNull();
      assertThat(a.getXYSeriesRenderStyle()).contains(XYSeries.XYSeriesRenderStyle.Scatter);
      assertThat(a.getMarkerColor()).as(name).isEqualTo(palette.colour(name));
      assertThat(c.getMarkerColor()).as(name).isEqualTo(a.getMarkerColor());
      markerColours.add(a.getMarkerColor());
    }
    assertThat(markerColours).hasSize(4);
    // The learned policy's margin curve is drawn in its colour; oracle and random curves once
    // (every entry shares one cost matrix).
    assertThat(acc.getSeries("l2d · margin curve").getLineColor()).isEqualTo(palette.colour("l2d"));
    assertThat(acc.getSeriesCollection())
        .extracting(XYSeries::getName)
        .containsOnlyOnce("oracle curve", "random deferral");
    assertThat(s.matrices()).isEqualTo(1);
    assertThat(acc.getSeries("oracle curve").getLineColor())
        .isEqualTo(palette.colour(Charts.Palette.ORACLE));
    // The legend sits outside the plot, so it hides no point; ticks print "0.08", not ".08".
    assertThat(acc.getStyler().getLegendPosition().name()).startsWith("Outside");
    assertThat(acc.getStyler().getYAxisDecimalPattern()).isEqualTo(Charts.DECIMALS);
    DecimalFormat f =
        new DecimalFormat(Charts.DECIMALS, DecimalFormatSymbols.getInstance(Locale.ROOT));
    assertThat(f.format(0.08)).isEqualTo("0.08");
    assertThat(f.format(1)).isEqualTo("1.0");
    // Every marker lies inside the axes (coverage 1 included).
    assertThat(acc.getStyler().getXAxisMax()).isGreaterThan(1.0);
    assertThat(acc.getStyler().getXAxisMin()).isLessThan(0.0);
  }

  @Test
  void paletteGivesOneNameOneColourInEveryChart() {
    Charts.Palette palette = new Charts.Palette();
    palette.register(List.of("model", "alice", "bob"));
    Color model = palette.colour("model");
    // The same name, the same colour, whenever and however often it is asked for.
    palette.register(List.of("bob", "model", "ce"));
    assertThat(palette.colour("model")).isEqualTo(model);
    assertThat(palette.names()).containsSubsequence("model", "alice", "bob", "ce");
    // The oracle and random deferral have fixed colours, whatever was registered first.
    assertThat(new Charts.Palette().colour(Charts.Palette.ORACLE))
        .isEqualTo(palette.colour(Charts.Palette.ORACLE));
    // Distinct names get distinct colours, past the 16 fixed ones too.
    Set<Integer> rgb = new HashSet<>();
    for (int k = 0; k < 40; k++) {
      rgb.add(palette.colour("p" + k).getRGB());
    }
    rgb.add(palette.colour(Charts.Palette.ORACLE).getRGB());
    assertThat(rgb).hasSize(41);
    // A grouped bar chart and a curves chart drawn with one palette agree on a shared name.
    Map<String, List<Double>> shares = new LinkedHashMap<>();
    shares.put("model", List.of(0.5, 1.0));
    shares.put("alice", List.of(0.5, 0.0));
    CategoryChart bars =
        Charts.groupedBarsChart("s", "share", List.of("p1", "p2"), shares, palette);
    XYChart curves =
        Charts.curvesChart(
            "c",
            "x",
            "y",
            List.of(),
            List.of(new Charts.Point("model", "model", Charts.Shape.SQUARE, 1, 0.5)),
            palette);
    assertThat(bars.getSeries("model").getFillColor()).isEqualTo(model);
    assertThat(curves.getSeries("model").getMarkerColor()).isEqualTo(model);
    assertThat(bars.getSeries("alice").getFillColor()).isNotEqualTo(model);
  }

  @Test
  void thinnedCurvesKeepTheHighestAccuracyAndTheLowestCost() {
    // 2000 random rows with one expert: a curve of ~2000 vertices, thinned to 20 for a chart.
    TaskSpec task = randomTask();
    DeferralTable t = randomTable(2000);
    double[] score = new SplittableRandom(6).doubles(2000).toArray();
    AccuracyCoverageCurve c = AccuracyCoverageCurve.of(new CostModel(task).costs(t), score, 1, t);
    List<AccuracyCoverageCurve.Point> thin = EvaluationReport.chartPoints(c, 20);
    assertThat(thin.size()).isLessThanOrEqualTo(22);
    double minCost =
        c.points().stream().mapToDouble(AccuracyCoverageCurve.Point::cost).min().getAsDouble();
    double maxAcc =
        c.points().stream().mapToDouble(AccuracyCoverageCurve.Point::accuracy).max().getAsDouble();
    assertThat(thin.stream().mapToDouble(AccuracyCoverageCurve.Point::cost).min().getAsDouble())
        .isEqualTo(minCost);
    assertThat(thin.stream().mapToDouble(AccuracyCoverageCurve.Point::accuracy).max().getAsDouble())
        .isEqualTo(maxAcc);
    assertThat(thin.get(0)).isEqualTo(c.point(0));
    assertThat(thin.get(thin.size() - 1)).isEqualTo(c.point(c.size() - 1));
    List<Double> xs = new ArrayList<>();
    thin.forEach(p -> xs.add(p.coverage()));
    assertThat(xs).isSorted();
  }

  @Test
  void theReportIsOneSelfContainedFile() {
    HtmlReport html = new HtmlReport("t");
    EvaluationReport.write(html, result(), "six.csv");
    String page = html.html();
    assertThat(page)
        .doesNotContain("<script")
        .doesNotContain("<link")
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain("@import")
        .doesNotContain("url(");
    Matcher img = Pattern.compile("<img [^>]*src=\"([^\"]{0,30})").matcher(page);
    while (img.find()) {
      assertThat(img.group(1)).startsWith("data:image/png;base64,");
    }
  }

  @Test
  void reliabilityDiagramsLabelEveryNonEmptyBinWithItsCount() {
    // 10 bins (lo, hi]: 0.05 alone in (0, 0.1], 0.12 and 0.18 in (0.1, 0.2], 0.83 and 0.87 in
    // (0.8, 0.9], 0.95 alone in (0.9, 1]; the other six bins are empty and get no label.
    Calibration.Reliability rel =
        Calibration.reliability(
            new double[] {0.05, 0.12, 0.18, 0.83, 0.87, 0.95}, new int[] {0, 0, 1, 1, 1, 1}, 10);
    List<Charts.Label> labels = Charts.binLabels(rel);
    assertThat(labels).extracting(Charts.Label::text).containsExactly("1", "2", "2", "1");
    // Each label sits next to its point: at the bin's mean estimate, 0.045 above or below it.
    List<Calibration.Bin> bins = rel.bins().stream().filter(b -> b.count() > 0).toList();
    for (int k = 0; k < labels.size(); k++) {
      assertThat(labels.get(k).x()).isEqualTo(bins.get(k).meanConfidence());
      assertThat(Math.abs(labels.get(k).y() - bins.get(k).accuracy()))
          .isCloseTo(0.045, org.assertj.core.api.Assertions.within(1e-12));
    }
    // Observed frequency 1 is labelled below the point, inside the plot.
    assertThat(labels.get(3).y()).isLessThan(1.0);
    byte[] png = Charts.reliability("r", "p", "est", rel);
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
  }

  private static TaskSpec randomTask() {
    return TaskSpec.classification(List.of("0", "1"), "m", List.of(Agent.expert("e", 0.05)));
  }

  /** n random cases: the model right 70 % of the time, the expert 80 %. */
  private static DeferralTable randomTable(int n) {
    SplittableRandom rng = new SplittableRandom(5);
    int[] y = new int[n];
    int[] m = new int[n];
    int[] e = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(2);
      m[i] = rng.nextInt(10) < 7 ? y[i] : 1 - y[i];
      e[i] = rng.nextInt(10) < 8 ? y[i] : 1 - y[i];
    }
    return DeferralTable.builder("r.csv", n)
        .labels(y)
        .agent("m", new AgentColumns(n, m, null, null, 0, null))
        .agent("e", new AgentColumns(n, e, null, null, 0, null))
        .build();
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int k = s.indexOf(what); k >= 0; k = s.indexOf(what, k + what.length())) {
      n++;
    }
    return n;
  }
}

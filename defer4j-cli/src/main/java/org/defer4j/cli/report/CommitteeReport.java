package org.defer4j.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.defer4j.core.metric.CommitteeEvaluation;
import org.defer4j.core.task.TaskSpec;

/**
 * The committee section of an evaluation report (evaluate --k): a table of every policy's
 * committees by size, cost and accuracy against the mean committee size, the distribution of the
 * committee sizes, and each agent's share of committees.
 */
public final class CommitteeReport {
  private CommitteeReport() {}

  /**
   * One committee result.
   *
   * @param policy the trained policy's name
   * @param k the size asked for ({@code 1}, {@code 2}, ... or {@code adaptive})
   * @param aggregator how the answers combined
   * @param result its metrics
   */
  public record Row(String policy, String k, String aggregator, CommitteeEvaluation result) {}

  /** Appends the section. */
  public static void write(HtmlReport html, List<Row> rows, TaskSpec task) {
    html.heading("Committees (top-k)");
    html.paragraph(
        "Each case goes to the k best-scored available agents (one-stage policies rank the"
            + " model's classes and the experts together, so the model may stand for several"
            + " classes). The committee's cost is the fees of the distinct members plus the error"
            + " of the aggregated answer; the top-k loss (survey eq. 18) sums the members' own"
            + " costs. k(x) is the size the policy learned per case.");
    List<List<String>> table = new ArrayList<>();
    for (Row r : rows) {
      CommitteeEvaluation e = r.result();
      table.add(
          List.of(
              r.policy(),
              r.k(),
              pct(e.accuracy().estimate())
                  + " ["
                  + pct(e.accuracy().lower())
                  + ", "
                  + pct(e.accuracy().upper())
                  + "]",
              num(e.meanCost().estimate())
                  + " ["
                  + num(e.meanCost().lower())
                  + ", "
                  + num(e.meanCost().upper())
                  + "]",
              num(e.meanError()),
              num(e.meanFees()),
              String.format(Locale.ROOT, "%.2f", e.meanSize()),
              String.format(Locale.ROOT, "%.2f", e.meanAgents()),
              num(e.topKLoss())));
    }
    html.table(
        List.of(
            "policy",
            "k",
            "accuracy [95% CI]",
            "cost [95% CI]",
            "error",
            "fees",
            "mean size",
            "agents asked",
            "top-k loss"),
        table);
    Charts.Palette palette = html.palette();
    List<String> policies = new ArrayList<>();
    rows.forEach(
        r -> {
          if (!policies.contains(r.policy())) {
            policies.add(r.policy());
          }
        });
    palette.register(policies);
    List<Charts.Line> costLines = new ArrayList<>();
    List<Charts.Line> accLines = new ArrayList<>();
    List<Charts.Point> costPoints = new ArrayList<>();
    List<Charts.Point> accPoints = new ArrayList<>();
    boolean classes = task.kind().hasLabels();
    for (String p : policies) {
      List<Row> fixed = rows.stream().filter(r -> r.policy().equals(p) && !adaptive(r)).toList();
      double[] x = fixed.stream().mapToDouble(r -> r.result().meanSize()).toArray();
      costLines.add(
          new Charts.Line(
              p + ", fixed k",
              p,
              Charts.Stroke.SOLID,
              x,
              fixed.stream().mapToDouble(r -> r.result().meanCost().estimate()).toArray()));
      accLines.add(
          new Charts.Line(
              p + ", fixed k",
              p,
              Charts.Stroke.SOLID,
              x,
              fixed.stream().mapToDouble(r -> r.result().accuracy().estimate()).toArray()));
      for (Row r : rows) {
        if (r.policy().equals(p) && adaptive(r)) {
          CommitteeEvaluation e = r.result();
          costPoints.add(
              new Charts.Point(
                  p + ", k(x)", p, Charts.Shape.DIAMOND, e.meanSize(), e.meanCost().estimate()));
          accPoints.add(
              new Charts.Point(
                  p + ", k(x)", p, Charts.Shape.DIAMOND, e.meanSize(), e.accuracy().estimate()));
        }
      }
    }
    html.figure(
        Charts.curves(
            "Committee cost against its mean size",
            "mean committee size",
            "mean cost",
            costLines,
            costPoints,
            palette),
        "committee cost against mean committee size",
        "each line joins a policy's fixed k = 1, 2, ...; a diamond is its learned k(x). A k(x)"
            + " below its line reaches a lower cost than mixing fixed sizes at the same mean size.");
    if (classes) {
      html.figure(
          Charts.curves(
              "Committee accuracy against its mean size",
              "mean committee size",
              "accuracy",
              accLines,
              accPoints,
              palette),
          "committee accuracy against mean committee size",
          "higher is better; the fees that larger committees pay are in the cost chart above.");
    }
    TreeSet<Integer> allSizes = new TreeSet<>();
    rows.forEach(r -> allSizes.addAll(r.result().sizes().keySet()));
    List<String> sizeLabels = allSizes.stream().map(s -> "k=" + s).toList();
    Map<String, List<Double>> sizeSeries = new LinkedHashMap<>();
    Map<String, List<Double>> loadSeries = new LinkedHashMap<>();
    List<String> agents = new ArrayList<>(rows.get(0).result().workload().keySet());
    for (Row r : rows) {
      String name = r.policy() + " " + (adaptive(r) ? "k(x)" : "k=" + r.k());
      List<Double> share = new ArrayList<>();
      for (int s : allSizes) {
        share.add(r.result().sizes().getOrDefault(s, 0) / (double) r.result().rows());
      }
      sizeSeries.put(name, share);
      List<Double> load = new ArrayList<>();
      for (String a : agents) {
        load.add(r.result().workload().get(a));
      }
      loadSeries.put(name, load);
    }
    palette.register(new ArrayList<>(sizeSeries.keySet()));
    html.figure(
        Charts.groupedBars(
            "Distribution of committee sizes", "share of cases", sizeLabels, sizeSeries, palette),
        "share of cases by committee size",
        "fixed k gives one bar (fewer only where fewer agents are available); k(x) spreads over"
            + " the sizes it learned to use.");
    html.figure(
        Charts.groupedBars(
            "Workload: share of cases on which each agent sits on the committee",
            "share of cases",
            agents,
            loadSeries,
            palette),
        "per-agent workload of committees",
        "a committee asks several agents at once, so the shares add up to the mean number of"
            + " agents asked, not to 1.");
  }

  private static boolean adaptive(Row r) {
    return r.k().equals("adaptive");
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}

package org.defer4j.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.defer4j.core.conformal.ConformalEnsembleStudy;
import org.defer4j.core.conformal.ConformalStudy;
import org.defer4j.core.robust.AttackResult;

/**
 * Renders the safety of an allocation into an {@link HtmlReport}: attacked against clean cost and
 * allocation per policy and radius (undefended vs defended), and conformal deferral sets' empirical
 * coverage and sizes.
 */
public final class SafetyReport {
  private SafetyReport() {}

  /**
   * One attacked policy at one radius.
   *
   * @param policy its name in the report
   * @param method its training method (e.g. {@code sard-r:2s-comp:1})
   * @param result what the attack achieved
   */
  public record AttackRow(String policy, String method, AttackResult result) {}

  /**
   * Appends the attack sections.
   *
   * @param html the report
   * @param rows per policy and radius, policies in order
   * @param dataName the attacked table
   * @param norm the ball's norm
   * @param target the target agent or {@code any}
   * @param steps PGD steps
   * @param restarts random starts
   */
  public static void attacks(
      HtmlReport html,
      List<AttackRow> rows,
      String dataName,
      String norm,
      String target,
      int steps,
      int restarts) {
    html.heading("What was attacked");
    html.paragraph(
        String.format(
            Locale.ROOT,
            "%s: %d cases. PGD in the %s ball of each radius on the standardised features, %d"
                + " steps, %d random start(s); target: %s. Costs are those of the clean case"
                + " (survey eq. 20): an attack changes who decides, not the outcome each agent would"
                + " give.",
            dataName,
            rows.isEmpty() ? 0 : rows.get(0).result().rows(),
            norm,
            steps,
            restarts,
            target.equals("any") ? "any costlier agent (untargeted)" : target));
    html.heading("Clean and attacked cost");
    List<List<String>> table = new ArrayList<>();
    for (AttackRow r : rows) {
      AttackResult a = r.result();
      table.add(
          List.of(
              r.policy(),
              r.method(),
              num(a.pgd().radius()),
              cost(a.clean().meanCost()),
              cost(a.attacked().meanCost()),
              cost(a.costInflation()),
              pct(a.successRate()),
              pct(a.changedRate()),
              pct(a.clean().systemAccuracy()),
              pct(a.attacked().systemAccuracy()),
              a.expensiveExpert()
                  + " "
                  + pct(a.expensiveShareClean())
                  + " → "
                  + pct(a.expensiveShareAttacked())));
    }
    html.table(
        List.of(
            "policy",
            "method",
            "radius",
            "clean cost",
            "attacked cost",
            "inflation",
            "success",
            "changed",
            "clean accuracy",
            "attacked accuracy",
            "share to the dearest expert"),
        table);
    Set<String> names = new LinkedHashSet<>();
    rows.forEach(r -> names.add(r.policy()));
    List<String> agents = new ArrayList<>(rows.get(0).result().clean().allocation().keySet());
    Charts.Palette palette = html.palette();
    palette.register(agents);
    palette.register(new ArrayList<>(names));
    List<Charts.Line> costs = new ArrayList<>();
    List<Charts.Line> shares = new ArrayList<>();
    for (String n : names) {
      List<AttackRow> mine = rows.stream().filter(r -> r.policy().equals(n)).toList();
      double[] x = mine.stream().mapToDouble(r -> r.result().pgd().radius()).toArray();
      costs.add(
          new Charts.Line(
              n + " attacked",
              n,
              Charts.Stroke.SOLID,
              x,
              mine.stream().mapToDouble(r -> r.result().attacked().meanCost()).toArray()));
      costs.add(
          new Charts.Line(
              n + " clean",
              n,
              Charts.Stroke.DASHED,
              x,
              mine.stream().mapToDouble(r -> r.result().clean().meanCost()).toArray()));
      shares.add(
          new Charts.Line(
              n,
              n,
              Charts.Stroke.SOLID,
              x,
              mine.stream().mapToDouble(r -> r.result().expensiveShareAttacked()).toArray()));
    }
    if (rows.stream().map(r -> r.result().pgd().radius()).distinct().count() > 1) {
      html.figure(
          Charts.curves("Mean cost under attack", "radius", "mean cost", costs, List.of(), palette),
          "mean cost against radius",
          "One colour per policy: solid under attack, dashed on the clean cases; a defended"
              + " policy's solid line stays close to its dashed one.");
      html.figure(
          Charts.curves(
              "Share given to the most expensive expert under attack",
              "radius",
              "share",
              shares,
              List.of(),
              palette),
          "share to the most expensive expert against radius",
          "How much of the workload the attacker pushes to the most expensive expert.");
    }
    html.heading("Allocation, clean and attacked");
    List<List<String>> alloc = new ArrayList<>();
    for (AttackRow r : rows) {
      List<String> row = new ArrayList<>();
      row.add(r.policy() + " @ " + num(r.result().pgd().radius()));
      for (String agent : agents) {
        row.add(
            pct(r.result().clean().allocation().getOrDefault(agent, 0.0))
                + " → "
                + pct(r.result().attacked().allocation().getOrDefault(agent, 0.0)));
      }
      alloc.add(row);
    }
    List<String> header = new ArrayList<>();
    header.add("policy @ radius");
    agents.forEach(a -> header.add(a + ": clean → attacked"));
    html.table(header, alloc);
    // The chart shows each policy at its largest radius, so that the labels stay readable.
    double top = rows.stream().mapToDouble(r -> r.result().pgd().radius()).max().orElse(0);
    List<AttackRow> last = rows.stream().filter(r -> r.result().pgd().radius() == top).toList();
    List<String> categories = new ArrayList<>();
    Map<String, List<Double>> bars = new LinkedHashMap<>();
    for (AttackRow r : last) {
      categories.add(r.policy() + " clean");
      categories.add(r.policy() + " attacked");
    }
    for (String agent : agents) {
      List<Double> v = new ArrayList<>();
      for (AttackRow r : last) {
        v.add(r.result().clean().allocation().getOrDefault(agent, 0.0));
        v.add(r.result().attacked().allocation().getOrDefault(agent, 0.0));
      }
      bars.put(agent, v);
    }
    html.figure(
        Charts.groupedBars(
            "Allocation at radius " + num(top), "share of cases", categories, bars, palette),
        "allocation per policy, clean and attacked, at the largest radius",
        "Each policy's workload per agent on the clean cases and under the attack of the largest"
            + " radius; the table above gives every radius.");
  }

  /**
   * Appends the conformal section.
   *
   * @param html the report
   * @param studies per policy name, one summary per α
   * @param calibrationShare the calibration share of each split
   */
  public static void conformal(
      HtmlReport html, Map<String, List<ConformalStudy.Summary>> studies, double calibrationShare) {
    html.heading("Conformal deferral sets (Fang & Nalisnick)");
    html.paragraph(
        String.format(
            Locale.ROOT,
            "Split conformal over {model, expert} covering the expert's correctness; %s of the"
                + " rows calibrate, the rest are tested, over random splits. Abstention: an"
                + " ambiguous set abstains; consensus: it asks both and answers if they agree.",
            pct(calibrationShare)));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, List<ConformalStudy.Summary>> e : studies.entrySet()) {
      for (ConformalStudy.Summary s : e.getValue()) {
        rows.add(
            List.of(
                e.getKey(),
                num(1 - s.alpha()),
                Integer.toString(s.splits()),
                pct(s.coverage()) + " ± " + pct(s.coverageSd()),
                pct(s.coverageMin()),
                String.format(Locale.ROOT, "%.3f", s.meanSetSize()),
                pct(s.shareModel()) + " / " + pct(s.shareExpert()) + " / " + pct(s.shareBoth()),
                pct(s.policyAccuracy()),
                pct(s.abstentionAccuracy()) + " (" + pct(s.abstentionAnswered()) + ")",
                pct(s.consensusAccuracy()) + " (" + pct(s.consensusAnswered()) + ")"));
      }
    }
    html.table(
        List.of(
            "policy",
            "1 − α",
            "splits",
            "coverage (mean ± sd)",
            "worst split",
            "mean set size",
            "{model} / {expert} / both",
            "policy accuracy",
            "abstention: accuracy (answered)",
            "consensus: accuracy (answered)"),
        rows);
  }

  /**
   * Appends the conformal-ensemble section (several experts).
   *
   * @param html the report
   * @param studies per policy name, one summary per α
   */
  public static void ensembles(
      HtmlReport html, Map<String, List<ConformalEnsembleStudy.Summary>> studies) {
    html.heading("Conformal expert ensembles (Verma et al.)");
    html.paragraph(
        "On the cases each policy defers: the smallest prefix of experts by confidence covering"
            + " every correct expert with probability 1 − α (split conformal), answered by vote;"
            + " and the risk-control sets whose expected false-negative rate is at most α.");
    List<List<String>> rows = new ArrayList<>();
    studies.forEach(
        (name, sums) -> {
          for (ConformalEnsembleStudy.Summary s : sums) {
            rows.add(
                List.of(
                    name,
                    num(1 - s.alpha()),
                    Integer.toString(s.splits()),
                    pct(s.coverage()) + " ± " + pct(s.coverageSd()),
                    String.format(Locale.ROOT, "%.3f", s.meanSetSize()),
                    pct(s.voteAccuracy()),
                    pct(s.chosenAccuracy()),
                    pct(s.riskControlFnr()),
                    String.format(Locale.ROOT, "%.3f", s.riskControlSetSize())));
          }
        });
    html.table(
        List.of(
            "policy",
            "1 − α",
            "splits",
            "coverage (mean ± sd)",
            "mean set size",
            "vote accuracy",
            "chosen-expert accuracy",
            "risk control: FNR",
            "risk control: set size"),
        rows);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  private static String cost(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String num(double v) {
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}

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
    List<Charts.Series> series = new ArrayList<>();
    List<Charts.Series> shares = new ArrayList<>();
    for (String n : names) {
      List<AttackRow> mine = rows.stream().filter(r -> r.policy().equals(n)).toList();
      double[] x = mine.stream().mapToDouble(r -> r.result().pgd().radius()).toArray();
      series.add(
          new Charts.Series(
              n + " attacked",
              x,
              mine.stream().mapToDouble(r -> r.result().attacked().meanCost()).toArray(),
              false));
      series.add(
          new Charts.Series(
              n + " clean",
              x,
              mine.stream().mapToDouble(r -> r.result().clean().meanCost()).toArray(),
              false));
      shares.add(
          new Charts.Series(
              n,
              x,
              mine.stream().mapToDouble(r -> r.result().expensiveShareAttacked()).toArray(),
              false));
    }
    if (rows.stream().map(r -> r.result().pgd().radius()).distinct().count() > 1) {
      html.figure(
          Charts.lines("Mean cost under attack", "radius", "mean cost", series),
          "mean cost against radius",
          "Each policy's mean cost on the clean cases and under attack at each radius; a defended"
              + " policy's attacked line stays closer to its clean line.");
      html.figure(
          Charts.lines(
              "Share given to the most expensive expert under attack", "radius", "share", shares),
          "share to the most expensive expert against radius",
          "How much of the workload the attacker pushes to the most expensive expert.");
    }
    html.heading("Allocation, clean and attacked");
    Map<String, List<Double>> bars = new LinkedHashMap<>();
    List<String> categories = new ArrayList<>();
    List<String> agents = new ArrayList<>(rows.get(0).result().clean().allocation().keySet());
    for (AttackRow r : rows) {
      String label = r.policy() + " @ " + num(r.result().pgd().radius());
      categories.add(label + " clean");
      categories.add(label + " attacked");
    }
    for (String agent : agents) {
      List<Double> v = new ArrayList<>();
      for (AttackRow r : rows) {
        v.add(r.result().clean().allocation().getOrDefault(agent, 0.0));
        v.add(r.result().attacked().allocation().getOrDefault(agent, 0.0));
      }
      bars.put(agent, v);
    }
    List<List<String>> alloc = new ArrayList<>();
    for (int c = 0; c < categories.size(); c++) {
      List<String> row = new ArrayList<>();
      row.add(categories.get(c));
      for (String agent : agents) {
        row.add(pct(bars.get(agent).get(c)));
      }
      alloc.add(row);
    }
    List<String> header = new ArrayList<>();
    header.add("policy @ radius");
    header.addAll(agents);
    html.table(header, alloc);
    html.figure(
        Charts.groupedBars("Allocation", "share of cases", categories, bars),
        "allocation per policy and radius, clean and attacked",
        "Each pair of bars groups is one policy at one radius, without and with the attack.");
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

package org.defer4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.cli.report.Charts;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.AccuracyCoverageCurve;
import org.defer4j.core.metric.Bootstrap;
import org.defer4j.core.metric.DeferralMetrics;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.GroupReport;
import org.defer4j.core.metric.MultiTaskMetrics;
import org.defer4j.core.metric.Oracle;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.DeferralPolicy;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * The evaluation of one or more policies on one table: metrics with bootstrap intervals, as JSON
 * fields and as an HTML report with its charts.
 */
final class PolicyEvaluation {
  static final int RESAMPLES = 1000;
  static final double LEVEL = 0.95;

  /** One evaluated policy. */
  record Result(
      String policy,
      DeferralReport report,
      Bootstrap.Interval accuracy,
      Bootstrap.Interval cost,
      MultiTaskMetrics.Result multiTask) {}

  private final TaskSpec task;
  private final DeferralTable table;
  private final CostMatrix costs;
  private final List<Result> results = new ArrayList<>();

  PolicyEvaluation(TaskSpec task, DeferralTable table, CostMatrix costs) {
    this.task = task;
    this.table = table;
    this.costs = costs;
  }

  /**
   * Runs a policy under the evaluation's availability and records its metrics against the shared
   * cost matrix; the bootstrap is seeded by {@code seed}.
   */
  Result add(DeferralPolicy policy, long seed) {
    return add(
        policy.name(), policy.decide(table, Availability.observed(task, table)), costs, seed);
  }

  /** Records the oracle: each case to its cheapest available agent under the shared costs. */
  Result addOracle(long seed) {
    return add(Oracle.NAME, Oracle.decisions(costs), costs, seed);
  }

  /**
   * Records the metrics of decisions against their own cost matrix (a learned one-stage policy's
   * model column holds its own predictions).
   */
  Result add(String name, Decisions d, CostMatrix viewCosts, long seed) {
    DeferralTable view = table;
    DeferralReport report = DeferralMetrics.evaluate(viewCosts, d, view);
    SplittableRandom rng = new SplittableRandom(seed);
    Bootstrap.Interval acc =
        Bootstrap.systemAccuracy(viewCosts, d.agents(), view, RESAMPLES, LEVEL, rng.split());
    Bootstrap.Interval cost =
        Bootstrap.meanCost(viewCosts, d.agents(), view, RESAMPLES, LEVEL, rng.split());
    MultiTaskMetrics.Result multi =
        task.kind() == TaskKind.MULTITASK && task.hasFrozenModel()
            ? MultiTaskMetrics.evaluate(task, view, d.agents())
            : null;
    Result r = new Result(name, report, acc, cost, multi);
    results.add(r);
    return r;
  }

  List<Result> results() {
    return results;
  }

  /** The JSON fields of one result (NaN becomes null). */
  static Map<String, Object> json(Result r) {
    DeferralReport rep = r.report();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", r.policy());
    m.put("n", rep.n());
    m.put("system_accuracy", num(rep.systemAccuracy()));
    m.put("system_accuracy_ci", interval(r.accuracy()));
    m.put("system_cost", num(rep.meanCost()));
    m.put("system_cost_ci", interval(r.cost()));
    m.put("coverage", num(rep.coverage()));
    m.put("allocation", nums(rep.allocation()));
    m.put("model_accuracy_on_kept", num(rep.modelAccuracy()));
    m.put("expert_accuracy_on_deferred", nums(rep.expertAccuracy()));
    m.put("fallbacks", rep.fallbackCount());
    if (r.multiTask() != null) {
      Map<String, Object> mt = new LinkedHashMap<>();
      mt.put("class_accuracy", num(r.multiTask().accuracy()));
      mt.put("regression_loss", num(r.multiTask().regressionLoss()));
      m.put("multitask", mt);
    }
    if (!rep.groups().isEmpty()) {
      Map<String, Object> groups = new LinkedHashMap<>();
      for (GroupReport g : rep.groups().values()) {
        Map<String, Object> gm = new LinkedHashMap<>();
        gm.put("n", g.n());
        gm.put("system_accuracy", num(g.systemAccuracy()));
        gm.put("system_cost", num(g.meanCost()));
        gm.put("coverage", num(g.coverage()));
        gm.put("allocation", nums(g.allocation()));
        groups.put(g.group(), gm);
      }
      m.put("groups", groups);
    }
    return m;
  }

  private static Object interval(Bootstrap.Interval i) {
    if (Double.isNaN(i.lower())) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lower", i.lower());
    m.put("upper", i.upper());
    m.put("level", i.level());
    m.put("resamples", i.resamples());
    return m;
  }

  static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static Map<String, Double> nums(Map<String, Double> m) {
    Map<String, Double> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, num(v)));
    return out;
  }

  /** Fills a report: the metrics table, allocation bars and accuracy–coverage curves. */
  void writeTo(HtmlReport html, String dataName) {
    html.paragraph(
        String.format(
            Locale.ROOT,
            "Table %s: %d rows; task %s; agents %s. Intervals are %d%% percentile bootstrap"
                + " intervals over %d resamples.",
            dataName,
            table.rows(),
            task.kind().specName(),
            List.of(costs.agents().names()),
            Math.round(LEVEL * 100),
            RESAMPLES));
    html.heading("Metrics");
    List<List<String>> rows = new ArrayList<>();
    for (Result r : results) {
      DeferralReport rep = r.report();
      rows.add(
          List.of(
              r.policy(),
              pct(rep.systemAccuracy()) + ci(r.accuracy(), true),
              fmt(rep.meanCost()) + ci(r.cost(), false),
              pct(rep.coverage()),
              pct(rep.modelAccuracy()),
              Integer.toString(rep.fallbackCount())));
    }
    html.table(
        List.of(
            "policy",
            "system accuracy",
            "mean system cost",
            "coverage (model keeps)",
            "model accuracy on kept",
            "fallbacks"),
        rows);
    if (!results.isEmpty() && results.get(0).multiTask() != null) {
      List<List<String>> mt = new ArrayList<>();
      for (Result r : results) {
        if (r.multiTask() != null) {
          mt.add(
              List.of(
                  r.policy(), pct(r.multiTask().accuracy()), fmt(r.multiTask().regressionLoss())));
        }
      }
      html.paragraph(
          "Per task: accuracy of the chosen agents' classes and mean "
              + task.cost().regressionLoss().specName()
              + " of their numeric predictions (unclipped).");
      html.table(List.of("policy", "class accuracy", "regression loss"), mt);
    }
    html.heading("Allocation");
    List<String> agents = List.of(costs.agents().names());
    Map<String, List<Double>> series = new LinkedHashMap<>();
    List<List<String>> allocRows = new ArrayList<>();
    for (Result r : results) {
      List<Double> shares = new ArrayList<>();
      List<String> cells = new ArrayList<>();
      cells.add(r.policy());
      for (String a : agents) {
        double s = r.report().allocation().getOrDefault(a, 0.0);
        shares.add(s);
        cells.add(pct(s));
      }
      series.put(r.policy(), shares);
      allocRows.add(cells);
    }
    List<String> header = new ArrayList<>();
    header.add("policy");
    header.addAll(agents);
    html.table(header, allocRows);
    html.image(
        Charts.groupedBars("Share of cases per agent", "share", agents, series),
        "Allocation: share of cases each policy gives to each agent");
    writeGroups(html);
    if (costs.agentCount() > 1) {
      html.heading("Accuracy and cost against coverage");
      html.paragraph(
          "Coverage is the share of cases the model keeps; the rest go to "
              + costs.agents().get(1).name()
              + ". Curves order cases by a rejection score: the oracle's (cost advantage of"
              + " deferring, known only in hindsight), a random order, and the model's"
              + " confidence when the table records its probabilities.");
      List<Charts.Series> acc = new ArrayList<>();
      List<Charts.Series> cost = new ArrayList<>();
      List<List<String>> areas = new ArrayList<>();
      for (Map.Entry<String, double[]> e : rejectionScores().entrySet()) {
        AccuracyCoverageCurve c = AccuracyCoverageCurve.of(costs, e.getValue(), 1, table);
        double[] x =
            c.points().stream().mapToDouble(AccuracyCoverageCurve.Point::coverage).toArray();
        double[] ya =
            c.points().stream().mapToDouble(AccuracyCoverageCurve.Point::accuracy).toArray();
        double[] yc = c.points().stream().mapToDouble(AccuracyCoverageCurve.Point::cost).toArray();
        acc.add(new Charts.Series(e.getKey(), x, ya, false));
        cost.add(new Charts.Series(e.getKey(), x, yc, false));
        areas.add(List.of(e.getKey(), fmt(c.areaUnderAccuracy()), fmt(c.areaUnderCost())));
      }
      double[] px = results.stream().mapToDouble(r -> r.report().coverage()).toArray();
      double[] pa = results.stream().mapToDouble(r -> r.report().systemAccuracy()).toArray();
      double[] pc = results.stream().mapToDouble(r -> r.report().meanCost()).toArray();
      acc.add(new Charts.Series("evaluated policies", px, pa, true));
      cost.add(new Charts.Series("evaluated policies", px, pc, true));
      if (!Double.isNaN(
          results.isEmpty() ? Double.NaN : results.get(0).report().systemAccuracy())) {
        html.image(
            Charts.lines("Accuracy–coverage", "coverage", "system accuracy", acc),
            "System accuracy against the share of cases the model keeps");
      }
      html.image(
          Charts.lines("Cost–coverage", "coverage", "mean system cost", cost),
          "Mean system cost against the share of cases the model keeps");
      html.table(List.of("rejection score", "area under accuracy", "area under cost"), areas);
    }
  }

  /** Per-group accuracy (or cost, where accuracy is undefined) of every policy. */
  private void writeGroups(HtmlReport html) {
    if (results.isEmpty() || results.get(0).report().groups().isEmpty()) {
      return;
    }
    html.heading("Per group");
    boolean accuracy = !Double.isNaN(results.get(0).report().systemAccuracy());
    html.paragraph(
        (accuracy ? "System accuracy" : "Mean system cost")
            + " of each policy within each value of the table's group column; an empty group"
            + " shows n/a.");
    List<String> header = new ArrayList<>(List.of("group", "n"));
    results.forEach(r -> header.add(r.policy()));
    List<List<String>> rows = new ArrayList<>();
    for (String g : results.get(0).report().groups().keySet()) {
      List<String> row = new ArrayList<>();
      row.add(g);
      row.add(Integer.toString(results.get(0).report().groups().get(g).n()));
      for (Result r : results) {
        GroupReport gr = r.report().groups().get(g);
        row.add(gr == null ? "n/a" : accuracy ? pct(gr.systemAccuracy()) : fmt(gr.meanCost()));
      }
      rows.add(row);
    }
    html.table(header, rows);
  }

  private Map<String, double[]> rejectionScores() {
    int n = costs.rows();
    Map<String, double[]> scores = new LinkedHashMap<>();
    double[] oracle = new double[n];
    double[] random = new double[n];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      double keep = costs.available(i, 0) ? costs.cost(i, 0) : Double.MAX_VALUE / 4;
      double defer = costs.available(i, 1) ? costs.cost(i, 1) : Double.MAX_VALUE / 4;
      oracle[i] = Math.max(-1e300, Math.min(1e300, keep - defer));
      random[i] = rng.nextDouble();
    }
    scores.put("oracle", oracle);
    scores.put("random", random);
    if (task.hasFrozenModel()) {
      AgentColumns m = table.agent(task.model());
      if (m.hasProbabilities()) {
        double[] conf = new double[n];
        for (int i = 0; i < n; i++) {
          double p = m.maxProbability(i);
          conf[i] = Double.isNaN(p) ? 1.0 : -p;
        }
        scores.put("model confidence", conf);
      }
    }
    return scores;
  }

  static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String ci(Bootstrap.Interval i, boolean percent) {
    if (Double.isNaN(i.lower())) {
      return "";
    }
    return percent
        ? String.format(Locale.ROOT, " [%.2f, %.2f]", 100 * i.lower(), 100 * i.upper())
        : String.format(Locale.ROOT, " [%.4f, %.4f]", i.lower(), i.upper());
  }
}

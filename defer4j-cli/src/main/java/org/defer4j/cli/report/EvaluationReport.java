package org.defer4j.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.metric.AccuracyCoverageCurve;
import org.defer4j.core.metric.Bootstrap;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.EvaluationResult;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.metric.GroupReport;
import org.defer4j.core.metric.PolicyResult;

/**
 * Renders an {@link EvaluationResult} into an {@link HtmlReport}: what a data scientist would show
 * a colleague to argue that one deferral policy is better than another.
 *
 * <ol>
 *   <li>What was evaluated (table, rows, task, agents and fees, how intervals were computed), the
 *       result's notes in boxes (e.g. a policy trained under other fees), and a warning when there
 *       are fewer than {@value #SMALL_N} rows;
 *   <li>the metrics with their bootstrap intervals; the mean cost split into error and fees, with
 *       the paired difference to the best baseline (named) and a verdict only where the interval
 *       excludes 0; each agent's workload;
 *   <li>charts: the allocation, and accuracy and cost against coverage with the oracle and random
 *       curves (once per distinct cost matrix), each learned policy's margin curve and each entry
 *       as its own labelled marker — each with a one-line "How to read this";
 *   <li>per group and multi-task tables when the result has them.
 * </ol>
 *
 * Colours come from the report's {@link Charts.Palette}: agents (in index order) then entries (in
 * order) are registered first, so one name has one colour in every chart of the report.
 */
public final class EvaluationReport {
  /** Below this many rows the report warns that its intervals are wide. */
  public static final int SMALL_N = 200;

  /** At most this many points of a curve go into a chart. */
  static final int CHART_POINTS = 400;

  /** Group tables longer than this are folded (opened on a click). */
  static final int FOLD_ROWS = 12;

  private EvaluationReport() {}

  /**
   * Appends the evaluation's sections to a report.
   *
   * @param html the report
   * @param result the evaluation
   * @param dataName the evaluated table's name as the reader knows it (e.g. its path)
   */
  public static void write(HtmlReport html, EvaluationResult result, String dataName) {
    List<PolicyResult> policies = result.policies();
    List<String> agents =
        policies.get(0).workload().stream().map(PolicyResult.Workload::agent).toList();
    Charts.Palette palette = html.palette();
    palette.register(agents);
    palette.register(policies.stream().map(PolicyResult::name).toList());

    overview(html, result, dataName, agents);
    html.subheading("Metrics");
    metrics(html, result);
    html.subheading(
        result.bestBaseline().map(b -> "Cost split and comparison with " + b).orElse("Cost split"));
    comparison(html, result);
    html.subheading("Workload per agent");
    workload(html, result);
    html.subheading("Allocation");
    allocation(html, result, agents);
    coverage(html, result);
    groups(html, result);
    multiTask(html, result);
  }

  // ------------------------------------------------------------------ sections

  private static void overview(
      HtmlReport html, EvaluationResult result, String dataName, List<String> agents) {
    List<String> described = new ArrayList<>();
    List<Agent> all = result.task().agents().all();
    for (int j = 0; j < agents.size(); j++) {
      String role = j == 0 ? "model" : "expert";
      double fee = j < all.size() ? all.get(j).fee() : Double.NaN;
      described.add(
          agents.get(j)
              + " ("
              + role
              + (fee > 0 ? ", fee " + num(fee) : j == 0 ? "" : ", no fee")
              + ")");
    }
    Evaluator.Options o = result.options();
    String intervals =
        o.resamples() == 0
            ? " No bootstrap resamples were asked for, so no intervals are shown."
            : String.format(
                Locale.ROOT,
                " Intervals are %s%% percentile bootstrap intervals over %d Poisson(1) resamples"
                    + " (seed %d); every entry sees the same resamples, so differences between"
                    + " entries are paired.",
                num(100 * o.level()),
                o.resamples(),
                o.seed());
    html.paragraph(
        String.format(
                Locale.ROOT,
                "Table %s: %d rows; task %s; agents: %s.",
                dataName,
                result.rows(),
                result.task().kind().specName(),
                String.join(", ", described))
            + intervals);
    for (String note : result.notes()) {
      html.note(note);
    }
    if (result.rows() < SMALL_N) {
      html.warning(
          "only "
              + result.rows()
              + " rows were evaluated (fewer than "
              + SMALL_N
              + "): the intervals are wide, and differences smaller than their width are no"
              + " evidence that one policy is better than another.");
    }
    headline(html, result);
  }

  /** The cheapest deployable entry and how it compares with the best baseline. */
  private static void headline(HtmlReport html, EvaluationResult result) {
    PolicyResult best = null;
    for (PolicyResult p : result.policies()) {
      if (p.kind() != Evaluator.Kind.REFERENCE
          && Double.isFinite(p.meanCost())
          && (best == null || p.meanCost() < best.meanCost())) {
        best = p;
      }
    }
    if (best == null) {
      return;
    }
    StringBuilder b =
        new StringBuilder("Lowest mean cost among the deployable entries: ")
            .append(best.name())
            .append(" (")
            .append(fmt(best.meanCost()))
            .append(ci(best.costInterval(), false))
            .append(").");
    Optional<String> baseline = result.bestBaseline();
    if (baseline.isPresent() && !baseline.get().equals(best.name())) {
      Bootstrap.Interval d = best.costDifference();
      b.append(" Against the best baseline, ")
          .append(baseline.get())
          .append(", its cost differs by ")
          .append(signed(d.estimate()))
          .append(ci(d, false))
          .append(": ")
          .append(costVerdict(best, baseline.get()))
          .append('.');
    } else if (baseline.isPresent()
        && result.policies().stream().anyMatch(p -> p.kind() == Evaluator.Kind.LEARNED)) {
      b.append(" It is the best baseline: no learned policy is cheaper.");
    }
    html.paragraph(b.toString());
  }

  private static void metrics(HtmlReport html, EvaluationResult result) {
    List<List<String>> rows = new ArrayList<>();
    for (PolicyResult p : result.policies()) {
      DeferralReport rep = p.report();
      rows.add(
          List.of(
              p.name(),
              kind(p.kind()),
              pct(rep.systemAccuracy()) + ci(p.accuracyInterval(), true),
              fmt(rep.meanCost()) + ci(p.costInterval(), false),
              pct(rep.coverage()),
              pct(rep.modelAccuracy()),
              Integer.toString(rep.fallbackCount())));
    }
    String level = level(result);
    html.table(
        List.of(
            "policy",
            "kind",
            "system accuracy" + level,
            "mean system cost" + level,
            "coverage (model keeps)",
            "model accuracy on kept",
            "fallbacks"),
        rows);
  }

  private static void comparison(HtmlReport html, EvaluationResult result) {
    Optional<String> baseline = result.bestBaseline();
    html.paragraph(
        "Mean system cost = error part (the agents' weighted errors) + fees (consultation fees"
            + " paid)."
            + baseline
                .map(
                    b ->
                        " Differences are this entry minus "
                            + b
                            + ", the baseline of lowest mean cost, on the same resamples:"
                            + " negative cost and positive accuracy differences favour the entry."
                            + " The verdict names a difference only when its interval excludes"
                            + " 0 (accuracy differences in percentage points).")
                .orElse(" No baseline was evaluated, so there is no reference to compare with."));
    List<String> header = new ArrayList<>(List.of("policy", "mean cost", "error part", "fees"));
    String level = level(result);
    if (baseline.isPresent()) {
      header.add("cost − " + baseline.get() + level);
      header.add("accuracy − " + baseline.get() + level);
      header.add("verdict vs " + baseline.get());
    }
    List<List<String>> rows = new ArrayList<>();
    for (PolicyResult p : result.policies()) {
      List<String> row = new ArrayList<>();
      row.add(p.name());
      row.add(fmt(p.cost().total()));
      row.add(fmt(p.cost().error()));
      row.add(fmt(p.cost().fee()));
      if (baseline.isPresent()) {
        Bootstrap.Interval dc = p.costDifference();
        Bootstrap.Interval da = p.accuracyDifference();
        boolean reference = p.name().equals(baseline.get());
        row.add(
            reference
                ? "0 (reference)"
                : dc == null ? "n/a" : signed(dc.estimate()) + ci(dc, false));
        row.add(
            reference
                ? "0 (reference)"
                : da == null ? "n/a" : signedPoints(da.estimate()) + ci(da, true));
        row.add(verdict(p, baseline.get()));
      }
      rows.add(row);
    }
    html.table(header, rows);
  }

  private static void workload(HtmlReport html, EvaluationResult result) {
    html.paragraph(
        "The cases each policy gives to each agent and how that agent did on exactly those cases"
            + " (the model's row is the cases it kept); agents a policy gives no case are left"
            + " out.");
    List<List<String>> rows = new ArrayList<>();
    for (PolicyResult p : result.policies()) {
      boolean first = true;
      for (PolicyResult.Workload w : p.workload()) {
        if (w.cases() == 0) {
          continue;
        }
        rows.add(
            List.of(
                first ? p.name() : "",
                w.agent(),
                Integer.toString(w.cases()),
                pct(w.share()),
                pct(w.accuracy()),
                fmt(w.meanCost())));
        first = false;
      }
    }
    html.table(
        List.of(
            "policy", "agent", "cases", "share", "accuracy on its cases", "mean cost on its cases"),
        rows);
  }

  private static void allocation(HtmlReport html, EvaluationResult result, List<String> agents) {
    List<String> names = result.policies().stream().map(PolicyResult::name).toList();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (int j = 0; j < agents.size(); j++) {
      List<Double> shares = new ArrayList<>();
      for (PolicyResult p : result.policies()) {
        double s = p.workload().get(j).share();
        shares.add(Double.isFinite(s) ? s : 0.0);
      }
      series.put(agents.get(j), shares);
    }
    html.figure(
        Charts.groupedBars(
            "Share of cases per agent", "share of cases", names, series, html.palette()),
        "Allocation: share of cases each policy gives to each agent",
        "each group of bars is one policy and each bar the share of its cases one agent receives"
            + " (the model's bar is the policy's coverage); an agent has the same colour in every"
            + " chart of this report.");
  }

  /** A distinct cost matrix: the entries scored against it share its curve objects. */
  private record Matrix(
      AccuracyCoverageCurve oracle, AccuracyCoverageCurve random, PolicyResult owner) {}

  /**
   * The series of the two coverage charts.
   *
   * @param accuracy the curves of the accuracy chart
   * @param cost the same curves in the cost chart
   * @param accuracyPoints one labelled point per entry, (coverage, system accuracy)
   * @param costPoints one labelled point per entry, (coverage, mean cost)
   * @param areas the rows of the areas table
   * @param matrices how many distinct cost matrices the entries are scored against
   */
  record CoverageSeries(
      List<Charts.Line> accuracy,
      List<Charts.Line> cost,
      List<Charts.Point> accuracyPoints,
      List<Charts.Point> costPoints,
      List<List<String>> areas,
      int matrices) {}

  static CoverageSeries coverageSeries(EvaluationResult result) {
    List<Matrix> matrices = matrices(result.policies());
    boolean several = matrices.size() > 1;
    List<Charts.Line> acc = new ArrayList<>();
    List<Charts.Line> cost = new ArrayList<>();
    List<List<String>> areas = new ArrayList<>();
    for (Matrix m : matrices) {
      String of = several ? " · " + m.owner().name() + " costs" : "";
      String oracleKey = several ? m.owner().name() : Charts.Palette.ORACLE;
      String randomKey = several ? m.owner().name() : Charts.Palette.RANDOM;
      addCurve(
          "oracle" + (several ? of : " curve"),
          oracleKey,
          Charts.Stroke.DASHED,
          m.oracle(),
          acc,
          cost,
          areas);
      addCurve(
          "random deferral" + of, randomKey, Charts.Stroke.DOTTED, m.random(), acc, cost, areas);
    }
    for (PolicyResult p : result.policies()) {
      if (p.marginCurve() != null) {
        addCurve(
            p.name() + " · margin curve",
            p.name(),
            Charts.Stroke.SOLID,
            p.marginCurve(),
            acc,
            cost,
            areas);
      }
    }
    List<Charts.Point> accPoints = new ArrayList<>();
    List<Charts.Point> costPoints = new ArrayList<>();
    for (PolicyResult p : result.policies()) {
      Charts.Shape shape = shape(p.kind());
      accPoints.add(new Charts.Point(p.name(), p.name(), shape, p.coverage(), p.systemAccuracy()));
      costPoints.add(new Charts.Point(p.name(), p.name(), shape, p.coverage(), p.meanCost()));
    }
    return new CoverageSeries(acc, cost, accPoints, costPoints, areas, matrices.size());
  }

  private static void coverage(HtmlReport html, EvaluationResult result) {
    CoverageSeries series = coverageSeries(result);
    List<Charts.Line> acc = series.accuracy();
    List<Charts.Line> cost = series.cost();
    List<Charts.Point> accPoints = series.accuracyPoints();
    List<Charts.Point> costPoints = series.costPoints();
    List<List<String>> areas = series.areas();
    boolean several = series.matrices() > 1;
    html.subheading("Accuracy and cost against coverage");
    html.paragraph(
        "Coverage is the share of cases the model answers. The oracle curve keeps with the model"
            + " the cases where that costs least relative to the cheapest available expert, who"
            + " gets the rest (known only in hindsight: a bound, not a policy); random deferral"
            + " defers a random share, to the experts in the oracle's proportions; a learned"
            + " policy's margin curve defers its most deferable cases first, each to its"
            + " best-scored expert."
            + (several
                ? " The entries are scored against "
                    + series.matrices()
                    + " different cost matrices (a one-stage policy's model is its own"
                    + " classifier), so each matrix has its own oracle and random curves, drawn"
                    + " in the colour of the policy whose model it holds."
                : ""));
    boolean hasAccuracy =
        accPoints.stream().anyMatch(p -> Double.isFinite(p.y()))
            || acc.stream().anyMatch(l -> anyFinite(l.y()));
    String markers =
        "each marker is one evaluated policy (◆ learned, ■ baseline, ● reference; its name in the"
            + " legend); ";
    String curves =
        "the dashed oracle curve is the best any rule could reach at each coverage, the dotted"
            + " line random deferral, and a learned policy's solid margin curve passes through its"
            + " own marker";
    if (hasAccuracy) {
      html.figure(
          Charts.curves(
              "Accuracy–coverage",
              "coverage (share of cases the model answers)",
              "system accuracy",
              acc,
              accPoints,
              html.palette()),
          "System accuracy against the share of cases the model keeps",
          markers
              + curves
              + "; higher is better, and a marker below the random line does worse than deferring"
              + " at random.");
    }
    html.figure(
        Charts.curves(
            "Cost–coverage",
            "coverage (share of cases the model answers)",
            "mean system cost",
            cost,
            costPoints,
            html.palette()),
        "Mean system cost against the share of cases the model keeps",
        markers
            + curves
            + "; lower is better, and the lowest point of the oracle curve is the cost of sending"
            + " every case to its cheapest agent.");
    html.table(List.of("curve", "coverage span", "area under accuracy", "area under cost"), areas);
  }

  private static void addCurve(
      String name,
      String colourKey,
      Charts.Stroke stroke,
      AccuracyCoverageCurve curve,
      List<Charts.Line> acc,
      List<Charts.Line> cost,
      List<List<String>> areas) {
    List<AccuracyCoverageCurve.Point> pts = chartPoints(curve, CHART_POINTS);
    double[] x = pts.stream().mapToDouble(AccuracyCoverageCurve.Point::coverage).toArray();
    double[] ya = pts.stream().mapToDouble(AccuracyCoverageCurve.Point::accuracy).toArray();
    double[] yc = pts.stream().mapToDouble(AccuracyCoverageCurve.Point::cost).toArray();
    acc.add(new Charts.Line(name, colourKey, stroke, x, ya));
    cost.add(new Charts.Line(name, colourKey, stroke, x, yc));
    String span =
        curve.size() == 0
            ? "n/a"
            : num2(curve.point(0).coverage())
                + " – "
                + num2(curve.point(curve.size() - 1).coverage());
    areas.add(List.of(name, span, fmt(curve.areaUnderAccuracy()), fmt(curve.areaUnderCost())));
  }

  /**
   * A curve's points for a chart: {@link AccuracyCoverageCurve#points(int)} plus the vertices of
   * highest accuracy and lowest cost, so thinning never hides the oracle's optimum.
   */
  static List<AccuracyCoverageCurve.Point> chartPoints(AccuracyCoverageCurve c, int max) {
    List<AccuracyCoverageCurve.Point> thin = c.points(max);
    if (thin.size() == c.size()) {
      return thin;
    }
    int bestAcc = -1;
    int bestCost = -1;
    for (int k = 0; k < c.size(); k++) {
      AccuracyCoverageCurve.Point p = c.point(k);
      if (Double.isFinite(p.accuracy())
          && (bestAcc < 0 || p.accuracy() > c.point(bestAcc).accuracy())) {
        bestAcc = k;
      }
      if (Double.isFinite(p.cost()) && (bestCost < 0 || p.cost() < c.point(bestCost).cost())) {
        bestCost = k;
      }
    }
    List<AccuracyCoverageCurve.Point> out = new ArrayList<>(thin);
    for (int k : new int[] {bestAcc, bestCost}) {
      if (k >= 0 && !out.contains(c.point(k))) {
        out.add(c.point(k));
      }
    }
    out.sort((a, b) -> Double.compare(a.coverage(), b.coverage()));
    return out;
  }

  /** The distinct cost matrices, in entry order, by the identity of their shared curves. */
  private static List<Matrix> matrices(List<PolicyResult> policies) {
    List<AccuracyCoverageCurve> seen = new ArrayList<>();
    List<List<PolicyResult>> members = new ArrayList<>();
    for (PolicyResult p : policies) {
      int k = -1;
      for (int i = 0; i < seen.size(); i++) {
        if (seen.get(i) == p.oracleCurve()) {
          k = i;
        }
      }
      if (k < 0) {
        seen.add(p.oracleCurve());
        members.add(new ArrayList<>());
        k = seen.size() - 1;
      }
      members.get(k).add(p);
    }
    List<Matrix> out = new ArrayList<>();
    for (List<PolicyResult> m : members) {
      PolicyResult owner =
          m.stream().filter(p -> p.kind() == Evaluator.Kind.LEARNED).findFirst().orElse(m.get(0));
      out.add(new Matrix(m.get(0).oracleCurve(), m.get(0).randomCurve(), owner));
    }
    return out;
  }

  /** Largest minus smallest of a per-group figure (NaN with fewer than two finite values). */
  private static double spread(PolicyResult p, java.util.function.ToDoubleFunction<GroupReport> f) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int k = 0;
    for (GroupReport g : p.report().groups().values()) {
      double v = f.applyAsDouble(g);
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        k++;
      }
    }
    return k < 2 ? Double.NaN : hi - lo;
  }

  private static void groups(HtmlReport html, EvaluationResult result) {
    PolicyResult first = result.policies().get(0);
    if (first.report().groups().isEmpty()) {
      return;
    }
    boolean accuracy = Double.isFinite(first.systemAccuracy());
    html.subheading("Per group");
    html.paragraph(
        (accuracy ? "System accuracy" : "Mean system cost")
            + " and coverage of each policy within each value of the table's group column; a"
            + " policy that defers one group far more than another, or is much less accurate on"
            + " it, shows here.");
    List<String> header = new ArrayList<>(List.of("group", "n"));
    result.policies().forEach(p -> header.add(p.name()));
    List<List<String>> quality = new ArrayList<>();
    List<List<String>> coverage = new ArrayList<>();
    for (String g : first.report().groups().keySet()) {
      List<String> q = new ArrayList<>();
      List<String> c = new ArrayList<>();
      String n = Integer.toString(first.report().groups().get(g).n());
      q.add(g);
      q.add(n);
      c.add(g);
      c.add(n);
      for (PolicyResult p : result.policies()) {
        GroupReport gr = p.report().groups().get(g);
        q.add(gr == null ? "n/a" : accuracy ? pct(gr.systemAccuracy()) : fmt(gr.meanCost()));
        c.add(gr == null ? "n/a" : pct(gr.coverage()));
      }
      quality.add(q);
      coverage.add(c);
    }
    if (first.report().groups().size() > 1) {
      List<String> q = new ArrayList<>(List.of("gap (max − min)", ""));
      List<String> c = new ArrayList<>(List.of("gap (max − min)", ""));
      for (PolicyResult p : result.policies()) {
        q.add(
            accuracy
                ? pct(spread(p, GroupReport::systemAccuracy))
                : fmt(spread(p, GroupReport::meanCost)));
        c.add(pct(spread(p, GroupReport::coverage)));
      }
      quality.add(q);
      coverage.add(c);
    }
    String what = accuracy ? "System accuracy per group" : "Mean system cost per group";
    String cov = "Coverage (share the model keeps) per group";
    if (quality.size() > FOLD_ROWS) {
      String n = " (" + quality.size() + " groups; click to open)";
      html.foldedTable(what + n, header, quality);
      html.foldedTable(cov + n, header, coverage);
    } else {
      html.paragraph(what + ":");
      html.table(header, quality);
      html.paragraph(cov + ":");
      html.table(header, coverage);
    }
  }

  private static void multiTask(HtmlReport html, EvaluationResult result) {
    List<List<String>> rows = new ArrayList<>();
    for (PolicyResult p : result.policies()) {
      if (p.multiTask() != null) {
        rows.add(
            List.of(
                p.name(),
                Integer.toString(p.multiTask().n()),
                pct(p.multiTask().accuracy()),
                fmt(p.multiTask().regressionLoss())));
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    html.subheading("Per task");
    html.paragraph(
        "Accuracy of the chosen agents' classes and mean "
            + result.task().cost().regressionLoss().specName()
            + " of their numeric predictions (unclipped); entries whose decisions carry no model"
            + " answers are left out.");
    html.table(List.of("policy", "n", "class accuracy", "regression loss"), rows);
  }

  // ------------------------------------------------------------------ formatting

  /** The verdict of the comparison table: only differences whose interval excludes 0. */
  private static String verdict(PolicyResult p, String baseline) {
    if (p.name().equals(baseline)) {
      return "best baseline";
    }
    Bootstrap.Interval dc = p.costDifference();
    Bootstrap.Interval da = p.accuracyDifference();
    String cost = dc == null || Double.isNaN(dc.lower()) ? null : sign(dc, "cheaper", "dearer");
    String acc =
        da == null || Double.isNaN(da.lower()) ? null : sign(da, "less accurate", "more accurate");
    if (cost == null && acc == null) {
      return "no interval";
    }
    List<String> parts = new ArrayList<>();
    if (cost != null && !cost.isEmpty()) {
      parts.add(cost);
    }
    if (acc != null && !acc.isEmpty()) {
      parts.add(acc);
    }
    return parts.isEmpty() ? "no clear difference" : String.join(", ", parts);
  }

  /** "below" when the interval lies under 0, "above" when over it, else empty. */
  private static String sign(Bootstrap.Interval i, String below, String above) {
    return i.upper() < 0 ? below : i.lower() > 0 ? above : "";
  }

  private static String costVerdict(PolicyResult p, String baseline) {
    Bootstrap.Interval dc = p.costDifference();
    if (dc == null || Double.isNaN(dc.lower())) {
      return "no interval";
    }
    if (dc.upper() < 0) {
      return "cheaper than " + baseline;
    }
    if (dc.lower() > 0) {
      return "dearer than " + baseline;
    }
    return "no clear cost difference";
  }

  private static String kind(Evaluator.Kind k) {
    return switch (k) {
      case LEARNED -> "learned";
      case BASELINE -> "baseline";
      case REFERENCE -> "reference";
    };
  }

  private static Charts.Shape shape(Evaluator.Kind k) {
    return switch (k) {
      case LEARNED -> Charts.Shape.DIAMOND;
      case BASELINE -> Charts.Shape.SQUARE;
      case REFERENCE -> Charts.Shape.CIRCLE;
    };
  }

  private static String level(EvaluationResult result) {
    return result.options().resamples() == 0
        ? ""
        : " [" + num(100 * result.options().level()) + "% CI]";
  }

  private static boolean anyFinite(double[] v) {
    for (double x : v) {
      if (Double.isFinite(x)) {
        return true;
      }
    }
    return false;
  }

  static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%s", v);
  }

  private static String num2(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String signed(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.4f", v);
  }

  private static String signedPoints(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.2f", 100 * v);
  }

  private static String ci(Bootstrap.Interval i, boolean percent) {
    if (i == null || Double.isNaN(i.lower())) {
      return "";
    }
    return percent
        ? String.format(Locale.ROOT, " [%.2f, %.2f]", 100 * i.lower(), 100 * i.upper())
        : String.format(Locale.ROOT, " [%.4f, %.4f]", i.lower(), i.upper());
  }
}

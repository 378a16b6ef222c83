package org.defer4j.cli;

import static org.defer4j.core.math.Sampling.mean;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.cli.report.Charts;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.QualityCostCurve;
import org.defer4j.core.metric.TaskCheck;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.RouterScores;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Quality against the share of strong-model calls for learned routers (RouteLLM's evaluation):
 * APGR, CPT(50%), CPT(80%) and the area, next to the random router and the oracle. The weak model
 * is the task's frozen model (agent 0), the strong one an expert. See {@link QualityCostCurve}.
 */
@Command(
    name = "routing-curve",
    mixinStandardHelpOptions = true,
    // Descriptions are format strings: a literal percent sign is written %%.
    description = {
      "Quality-cost curve of learned routers between the task's model (weak) and an expert"
          + " (strong): APGR, CPT(50%%), CPT(80%%), area, against the random router and the"
          + " oracle.",
      "With --val, also the operating point that minimises validation cost (errors + fee x calls)."
    })
public final class RoutingCurveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "Table to evaluate on (test split).")
  Path data;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--policy",
      required = true,
      description = "Trained policy (JSON from 'defer4j train'); repeat to compare several.")
  List<Path> policies;

  @Option(
      names = "--strong",
      description = "The strong expert's name (default: the task's first expert).")
  String strong;

  @Option(
      names = "--val",
      description = "Validation table: picks each router's threshold (least validation cost).")
  Path validation;

  @Option(names = "--json", description = "Write the metrics as JSON to this file.")
  Path json;

  @Option(names = "--report", description = "Write an HTML report with the chart to this file.")
  Path report;

  /**
   * One router's curve and summaries.
   *
   * @param name the router's name
   * @param curve its quality–cost curve
   * @param apgr APGR against the strong model's quality
   * @param cpt50 CPT(50%)
   * @param cpt80 CPT(80%)
   * @param operatingPoint the point at the threshold chosen on validation (or null)
   */
  public record Router(
      String name,
      QualityCostCurve curve,
      double apgr,
      double cpt50,
      double cpt80,
      QualityCostCurve.Point operatingPoint) {}

  /**
   * The routers of one evaluation: the learned ones, then random and oracle.
   *
   * @param weak the weak model's quality (accuracy)
   * @param strong the strong model's quality
   * @param fee the strong model's consultation fee (for operating points)
   * @param routers learned routers, then "random" and "oracle"
   */
  public record Result(double weak, double strong, double fee, List<Router> routers) {}

  @Override
  public Integer call() throws Exception {
    TaskSpec taskSpec = TaskSpecIo.read(taskOption.task());
    DeferralTable table = DeferralTableReader.read(data, taskSpec);
    DeferralTable val = validation == null ? null : DeferralTableReader.read(validation, taskSpec);
    List<LearnedPolicy> artifacts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Path p : policies) {
      LearnedPolicy a = PolicyArtifact.load(p);
      TaskCheck.check(p.toString(), a.task(), taskSpec);
      artifacts.add(a);
      names.add(p.getFileName().toString().replaceFirst("\\.json$", ""));
    }
    Result r = evaluate(taskSpec, table, val, names, artifacts, strong);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "%s: n=%d  weak=%s  strong=%s%n",
        data.getFileName(),
        table.rows(),
        Format.pct(r.weak()),
        Format.pct(r.strong()));
    for (Router x : r.routers()) {
      out.println(summary(x));
    }
    if (json != null) {
      Json.write(json, json(r));
      out.println("wrote " + json);
    }
    if (report != null) {
      HtmlReport html = new HtmlReport("Routing curve on " + data.getFileName());
      addSection(html, "Quality against strong-model calls: " + data.getFileName(), r);
      html.write(report);
      out.println("wrote " + report);
    }
    out.flush();
    return 0;
  }

  /**
   * Curves and summaries of learned routers on a table, with the random and oracle routers.
   *
   * @param task the task (agent 0 is the weak model)
   * @param table the evaluation table (raw: each artifact featurises it)
   * @param validation a validation table for the operating points, or null
   * @param names the routers' names, one per artifact
   * @param artifacts trained policies
   * @param strongName the strong expert, or null for the task's first expert
   */
  public static Result evaluate(
      TaskSpec task,
      DeferralTable table,
      DeferralTable validation,
      List<String> names,
      List<LearnedPolicy> artifacts,
      String strongName) {
    if (task.experts().isEmpty()) {
      throw new IllegalArgumentException("the task declares no expert to route to");
    }
    String strongAgent = strongName == null ? task.experts().get(0).name() : strongName;
    int strongIndex = task.agents().indexOf(strongAgent);
    if (strongIndex < 1) {
      throw new IllegalArgumentException(
          "--strong " + strongAgent + " is not one of the task's experts");
    }
    double fee = task.agents().get(strongIndex).fee();
    CostMatrix costs = new CostModel(task).costs(table);
    double[][] q = QualityCostCurve.correctness(costs, 0, strongIndex);
    CostMatrix valCosts = validation == null ? null : new CostModel(task).costs(validation);
    double[][] vq =
        validation == null ? null : QualityCostCurve.correctness(valCosts, 0, strongIndex);
    List<Router> routers = new ArrayList<>();
    QualityCostCurve random = QualityCostCurve.random(mean(q[0]), mean(q[1]));
    for (int k = 0; k < artifacts.size(); k++) {
      LearnedPolicy a = artifacts.get(k);
      double[] scores = RouterScores.of(a, table, strongIndex);
      QualityCostCurve c = QualityCostCurve.of(scores, q[0], q[1]);
      QualityCostCurve.Point op = null;
      if (validation != null) {
        double[] vs = RouterScores.of(a, validation, strongIndex);
        double theta = QualityCostCurve.of(vs, vq[0], vq[1]).cheapest(fee).threshold();
        op = c.atThreshold(theta);
      }
      routers.add(router(names.get(k), c, c.endQuality(), op));
    }
    double weak = random.weakQuality();
    double strongQ = random.endQuality();
    QualityCostCurve.Point randomOp = null;
    if (validation != null) {
      // The random router's expected cost is linear in its share, so validation picks an end.
      double share = QualityCostCurve.random(mean(vq[0]), mean(vq[1])).cheapest(fee).strongShare();
      randomOp = new QualityCostCurve.Point(share, random.qualityAt(share), Double.NaN);
    }
    routers.add(router("random", random, strongQ, randomOp));
    QualityCostCurve oracle = QualityCostCurve.oracle(q[0], q[1]);
    routers.add(
        router("oracle", oracle, strongQ, validation == null ? null : oracle.cheapest(fee)));
    return new Result(weak, strongQ, fee, routers);
  }

  private static Router router(
      String name, QualityCostCurve c, double strong, QualityCostCurve.Point op) {
    return new Router(
        name, c, c.apgr(strong), c.callsToRecover(0.5, strong), c.callsToRecover(0.8, strong), op);
  }

  static String summary(Router x) {
    String s =
        String.format(
            Locale.ROOT,
            "%-28s APGR=%.4f  CPT(50%%)=%s  CPT(80%%)=%s  area=%.4f",
            x.name(),
            x.apgr(),
            Format.pct(x.cpt50()),
            Format.pct(x.cpt80()),
            x.curve().area());
    if (x.operatingPoint() != null) {
      s +=
          String.format(
              Locale.ROOT,
              "  operating point: accuracy=%s strong calls=%s",
              Format.pct(x.operatingPoint().quality()),
              Format.pct(x.operatingPoint().strongShare()));
    }
    return s;
  }

  /** The result as a JSON-ready map. */
  public static Map<String, Object> json(Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("weak_accuracy", r.weak());
    m.put("strong_accuracy", r.strong());
    m.put("fee", r.fee());
    List<Object> list = new ArrayList<>();
    for (Router x : r.routers()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("router", x.name());
      e.put("apgr", Format.num(x.apgr()));
      e.put("cpt50", Format.num(x.cpt50()));
      e.put("cpt80", Format.num(x.cpt80()));
      e.put("area", Format.num(x.curve().area()));
      if (x.operatingPoint() != null) {
        double acc = x.operatingPoint().quality();
        double share = x.operatingPoint().strongShare();
        e.put("operating_accuracy", acc);
        e.put("operating_strong_share", share);
        e.put("operating_cost", 1 - acc + r.fee() * share);
      }
      list.add(e);
    }
    m.put("routers", list);
    return m;
  }

  /**
   * Adds a routing-curve section to a report: a heading, a short explanation, the summary table and
   * the quality–cost chart (learned routers, random, oracle, with the weak and strong models'
   * accuracies as flat lines). The demo calls this.
   *
   * @param html the report
   * @param title the section heading
   * @param r the evaluation from {@link #evaluate}
   */
  public static void addSection(HtmlReport html, String title, Result r) {
    html.heading(title);
    html.paragraph(
        "System accuracy against the share of questions sent to the strong model as each router's"
            + " threshold sweeps. APGR is the area between a curve and the weak model's accuracy"
            + " over the area between the strong and the weak model's (random = 0.5); CPT(x) is"
            + " the share of strong calls needed to recover x of the accuracy gap (RouteLLM, Ong et"
            + " al.). Weak "
            + Format.pct(r.weak())
            + ", strong "
            + Format.pct(r.strong())
            + ".");
    List<String> header =
        new ArrayList<>(List.of("router", "APGR", "CPT(50%)", "CPT(80%)", "area"));
    boolean ops = r.routers().stream().anyMatch(x -> x.operatingPoint() != null);
    if (ops) {
      header.addAll(List.of("accuracy at operating point", "strong calls there"));
    }
    List<List<String>> rows = new ArrayList<>();
    for (Router x : r.routers()) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  x.name(),
                  String.format(Locale.ROOT, "%.4f", x.apgr()),
                  Format.pct(x.cpt50()),
                  Format.pct(x.cpt80()),
                  String.format(Locale.ROOT, "%.4f", x.curve().area())));
      if (ops) {
        QualityCostCurve.Point p = x.operatingPoint();
        row.add(p == null ? "" : Format.pct(p.quality()));
        row.add(p == null ? "" : Format.pct(p.strongShare()));
      }
      rows.add(row);
    }
    html.table(header, rows);
    html.image(chart(title, r), "Quality against strong-model calls (" + title + ")");
  }

  /** The quality–cost chart (PNG). */
  public static byte[] chart(String title, Result r) {
    List<Charts.Series> series = new ArrayList<>();
    for (Router x : r.routers()) {
      List<QualityCostCurve.Point> pts = thin(x.curve().points(), 400);
      double[] xs = new double[pts.size()];
      double[] ys = new double[pts.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = 100 * pts.get(i).strongShare();
        ys[i] = 100 * pts.get(i).quality();
      }
      series.add(new Charts.Series(x.name(), xs, ys, false));
    }
    series.add(
        new Charts.Series(
            "weak model",
            new double[] {0, 100},
            new double[] {100 * r.weak(), 100 * r.weak()},
            false));
    series.add(
        new Charts.Series(
            "strong model",
            new double[] {0, 100},
            new double[] {100 * r.strong(), 100 * r.strong()},
            false));
    return Charts.lines(title, "strong-model calls (%)", "accuracy (%)", series);
  }

  /** At most about {@code max} points, keeping the first and the last (for drawing only). */
  private static List<QualityCostCurve.Point> thin(List<QualityCostCurve.Point> pts, int max) {
    if (pts.size() <= max) {
      return pts;
    }
    List<QualityCostCurve.Point> out = new ArrayList<>();
    double step = (pts.size() - 1) / (double) (max - 1);
    for (int k = 0; k < max; k++) {
      out.add(pts.get((int) Math.round(k * step)));
    }
    return out;
  }
}

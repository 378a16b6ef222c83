package org.defer4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.defer4j.core.metric.AccuracyCoverageCurve;
import org.defer4j.core.metric.Bootstrap;
import org.defer4j.core.metric.CommitteeEvaluation;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.EvaluationResult;
import org.defer4j.core.metric.GroupReport;
import org.defer4j.core.metric.PolicyResult;

/**
 * The JSON of an evaluation, one schema whatever the number of policies ({@code
 * docs/evaluation.schema.json}, checked by a test); {@link #SCHEMA_VERSION} changes when a field
 * changes meaning or disappears. Numbers that are undefined (NaN) are written as null.
 */
final class EvaluationJson {
  /** The version of the schema this code writes. */
  static final int SCHEMA_VERSION = 1;

  /** Points per curve in the JSON (curves are thinned evenly over coverage). */
  static final int CURVE_POINTS = 201;

  private EvaluationJson() {}

  /** The JSON object of an evaluation. */
  static Map<String, Object> of(
      EvaluationResult r, String data, String task, long seed, String version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", SCHEMA_VERSION);
    m.put("defer4j_version", version);
    m.put("data", data);
    m.put("task", task);
    m.put("rows", r.rows());
    m.put("seed", seed);
    Map<String, Object> boot = new LinkedHashMap<>();
    boot.put("resamples", r.options().resamples());
    boot.put("level", r.options().level());
    boot.put("method", "poisson");
    m.put("bootstrap", boot);
    m.put("best_baseline", r.bestBaseline().orElse(null));
    m.put("notes", r.notes());
    List<Object> policies = new ArrayList<>();
    for (PolicyResult p : r.policies()) {
      policies.add(policy(p));
    }
    m.put("policies", policies);
    return m;
  }

  /**
   * One committee evaluation (evaluate --k): the policy, the committee size asked for ({@code 1},
   * {@code 2}, ... or {@code adaptive}), the aggregator and the committee metrics.
   */
  static Map<String, Object> committee(
      String policy, String k, String aggregator, CommitteeEvaluation e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", policy);
    m.put("k", k);
    m.put("aggregator", aggregator);
    m.put("n", e.rows());
    m.put("system_accuracy", num(e.accuracy().estimate()));
    m.put("system_accuracy_ci", interval(e.accuracy()));
    m.put("system_cost", num(e.meanCost().estimate()));
    m.put("system_cost_ci", interval(e.meanCost()));
    m.put("mean_fees", num(e.meanFees()));
    m.put("mean_error", num(e.meanError()));
    m.put("mean_size", num(e.meanSize()));
    m.put("mean_agents", num(e.meanAgents()));
    m.put("top_k_loss", num(e.topKLoss()));
    Map<String, Object> sizes = new LinkedHashMap<>();
    e.sizes().forEach((size, count) -> sizes.put(Integer.toString(size), count));
    m.put("sizes", sizes);
    m.put("workload", nums(e.workload()));
    return m;
  }

  private static Map<String, Object> policy(PolicyResult r) {
    DeferralReport rep = r.report();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", r.name());
    m.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
    m.put("n", rep.n());
    m.put("system_accuracy", num(rep.systemAccuracy()));
    m.put("system_accuracy_ci", interval(r.accuracyInterval()));
    m.put("system_cost", num(rep.meanCost()));
    m.put("system_cost_ci", interval(r.costInterval()));
    Map<String, Object> split = new LinkedHashMap<>();
    split.put("error", num(r.cost().error()));
    split.put("fees", num(r.cost().fee()));
    m.put("cost_split", split);
    m.put("coverage", num(rep.coverage()));
    m.put("allocation", nums(rep.allocation()));
    m.put("model_accuracy_on_kept", num(rep.modelAccuracy()));
    m.put("expert_accuracy_on_deferred", nums(rep.expertAccuracy()));
    List<Object> workload = new ArrayList<>();
    for (PolicyResult.Workload w : r.workload()) {
      Map<String, Object> wm = new LinkedHashMap<>();
      wm.put("agent", w.agent());
      wm.put("cases", w.cases());
      wm.put("share", num(w.share()));
      wm.put("accuracy", num(w.accuracy()));
      wm.put("mean_cost", num(w.meanCost()));
      workload.add(wm);
    }
    m.put("workload", workload);
    m.put("fallbacks", rep.fallbackCount());
    Map<String, Object> diff = null;
    if (r.costDifference() != null) {
      diff = new LinkedHashMap<>();
      diff.put("system_cost", interval(r.costDifference()));
      diff.put("system_accuracy", interval(r.accuracyDifference()));
    }
    m.put("difference_to_best_baseline", diff);
    m.put("curve", curve(r.marginCurve()));
    if (r.multiTask() != null) {
      Map<String, Object> mt = new LinkedHashMap<>();
      mt.put("class_accuracy", num(r.multiTask().accuracy()));
      mt.put("regression_loss", num(r.multiTask().regressionLoss()));
      m.put("multitask", mt);
    } else {
      m.put("multitask", null);
    }
    Map<String, Object> groups = new LinkedHashMap<>();
    for (GroupReport g : rep.groups().values()) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("n", g.n());
      gm.put("system_accuracy", num(g.systemAccuracy()));
      gm.put("system_cost", num(g.meanCost()));
      gm.put("coverage", num(g.coverage()));
      gm.put("deferral_rate", num(1 - g.coverage()));
      gm.put("allocation", nums(g.allocation()));
      groups.put(g.group(), gm);
    }
    m.put("groups", groups);
    if (rep.groups().size() > 1) {
      double[] gaps = GroupGaps.of(rep.groups().values());
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("system_accuracy", num(gaps[0]));
      gm.put("deferral_rate", num(gaps[1]));
      m.put("group_gaps", gm);
    } else {
      m.put("group_gaps", null);
    }
    m.put("notes", r.notes());
    return m;
  }

  /** A learned policy's accuracy–coverage and cost–coverage curve (its own margin swept). */
  private static Map<String, Object> curve(AccuracyCoverageCurve c) {
    if (c == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("area_under_accuracy", num(c.areaUnderAccuracy()));
    m.put("area_under_cost", num(c.areaUnderCost()));
    List<Object> pts = new ArrayList<>();
    for (AccuracyCoverageCurve.Point p : c.points(CURVE_POINTS)) {
      List<Double> xyz = new ArrayList<>();
      xyz.add(num(p.coverage()));
      xyz.add(num(p.accuracy()));
      xyz.add(num(p.cost()));
      pts.add(xyz);
    }
    m.put("points", pts);
    return m;
  }

  private static Object interval(Bootstrap.Interval i) {
    if (i == null || Double.isNaN(i.lower())) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimate", num(i.estimate()));
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
}

package org.defer4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.CapacityCompliance;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.metric.TargetCompliance;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.ShareTarget;

/**
 * What {@code evaluate} reports on workload: the realised shares and fee of policies calibrated to
 * a target (with bootstrap intervals), and each policy's per-expert workload against {@code
 * --capacity} per period.
 */
final class Workloads {
  private Workloads() {}

  /** One calibrated policy's bounds. */
  record Targets(String policy, String rule, List<TargetCompliance.Bound> bounds) {}

  /** One policy's workload against the capacities. */
  record Capacities(String policy, List<CapacityCompliance.Row> rows) {}

  static List<Targets> targets(PolicySet set, DeferralTable table, long seed) {
    Evaluator.Options o = Evaluator.Options.defaults();
    List<Targets> out = new ArrayList<>();
    for (PolicySet.Item item : set.items()) {
      if (item.kind() != PolicySet.Kind.LEARNED) {
        continue;
      }
      ShareTarget t = DecisionRules.target(item.policy().rule());
      if (t == null) {
        continue;
      }
      out.add(
          new Targets(
              item.name(),
              item.policy().rule().spec(),
              TargetCompliance.of(
                  item.decisions(),
                  item.decisions().agentSet(),
                  table,
                  t,
                  o.resamples(),
                  o.level(),
                  seed)));
    }
    return out;
  }

  static List<Capacities> capacities(PolicySet set, Map<String, Integer> capacity, int period) {
    List<Capacities> out = new ArrayList<>();
    if (capacity.isEmpty()) {
      return out;
    }
    for (PolicySet.Item item : set.items()) {
      out.add(
          new Capacities(
              item.name(),
              CapacityCompliance.of(
                  item.decisions().agents(), item.decisions().agentSet(), capacity, period)));
    }
    return out;
  }

  static List<String> lines(List<Targets> targets, List<Capacities> capacities) {
    List<String> out = new ArrayList<>();
    for (Targets t : targets) {
      for (TargetCompliance.Bound b : t.bounds()) {
        out.add(
            String.format(
                Locale.ROOT,
                "%-24s target %s %s %s: realised %s [%s, %s]  %s",
                t.policy(),
                b.quantity(),
                b.upper() ? "<=" : ">=",
                value(b, b.target()),
                value(b, b.realised().estimate()),
                value(b, b.realised().lower()),
                value(b, b.realised().upper()),
                b.met() ? "met" : "violated by " + value(b, b.violation())));
      }
    }
    for (Capacities c : capacities) {
      for (CapacityCompliance.Row r : c.rows()) {
        out.add(
            String.format(
                Locale.ROOT,
                "%-24s workload %s: %d cases, most in a period %d of capacity %d per %d; %s",
                c.policy(),
                r.agent(),
                r.cases(),
                r.mostInAPeriod(),
                r.capacity(),
                r.period(),
                r.met()
                    ? "within capacity in all " + r.periods() + " periods"
                    : "over capacity in " + r.periodsOver() + " of " + r.periods() + " periods"));
      }
    }
    return out;
  }

  private static String value(TargetCompliance.Bound b, double v) {
    return b.quantity().startsWith("share:") ? Format.pct(v) : Format.fmt(v);
  }

  static List<Object> targetsJson(List<Targets> targets) {
    List<Object> out = new ArrayList<>();
    for (Targets t : targets) {
      for (TargetCompliance.Bound b : t.bounds()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", t.policy());
        m.put("rule", t.rule());
        m.put("quantity", b.quantity());
        m.put("bound", b.upper() ? "at_most" : "at_least");
        m.put("target", b.target());
        m.put("realised", Format.num(b.realised().estimate()));
        m.put("lower", Format.num(b.realised().lower()));
        m.put("upper", Format.num(b.realised().upper()));
        m.put("excess", Format.num(b.excess().estimate()));
        m.put("excess_lower", Format.num(b.excess().lower()));
        m.put("excess_upper", Format.num(b.excess().upper()));
        m.put("met", b.met());
        out.add(m);
      }
    }
    return out;
  }

  static List<Object> capacitiesJson(List<Capacities> capacities) {
    List<Object> out = new ArrayList<>();
    for (Capacities c : capacities) {
      for (CapacityCompliance.Row r : c.rows()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", c.policy());
        m.put("agent", r.agent());
        m.put("capacity", r.capacity());
        m.put("period", r.period());
        m.put("periods", r.periods());
        m.put("cases", r.cases());
        m.put("most_in_a_period", r.mostInAPeriod());
        m.put("periods_over", r.periodsOver());
        out.add(m);
      }
    }
    return out;
  }

  static void html(HtmlReport html, List<Targets> targets, List<Capacities> capacities) {
    if (!targets.isEmpty()) {
      html.heading("Workload and budget targets");
      html.paragraph(
          "Each calibrated policy's target (chosen on the validation table) against what it"
              + " realised here, with the bootstrap interval of the realised value.");
      List<List<String>> rows = new ArrayList<>();
      for (Targets t : targets) {
        for (TargetCompliance.Bound b : t.bounds()) {
          rows.add(
              List.of(
                  t.policy(),
                  b.quantity(),
                  (b.upper() ? "≤ " : "≥ ") + value(b, b.target()),
                  value(b, b.realised().estimate()),
                  "["
                      + value(b, b.realised().lower())
                      + ", "
                      + value(b, b.realised().upper())
                      + "]",
                  b.met() ? "met" : "violated by " + value(b, b.violation())));
        }
      }
      html.table(List.of("policy", "quantity", "target", "realised", "interval", "status"), rows);
    }
    if (!capacities.isEmpty()) {
      html.heading("Workload against capacity");
      List<List<String>> rows = new ArrayList<>();
      for (Capacities c : capacities) {
        for (CapacityCompliance.Row r : c.rows()) {
          rows.add(
              List.of(
                  c.policy(),
                  r.agent(),
                  r.capacity() + " per " + r.period(),
                  Integer.toString(r.cases()),
                  Integer.toString(r.mostInAPeriod()),
                  r.periodsOver() + " of " + r.periods()));
        }
      }
      html.table(
          List.of("policy", "expert", "capacity", "cases", "most in a period", "periods over"),
          rows);
    }
  }
}

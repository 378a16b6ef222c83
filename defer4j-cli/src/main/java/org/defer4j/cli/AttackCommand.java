package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.cli.report.SafetyReport;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.TaskCheck;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.robust.AllocationAttack;
import org.defer4j.core.robust.AttackResult;
import org.defer4j.core.robust.Norm;
import org.defer4j.core.robust.Pgd;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Attacks the allocation of trained policies (survey §7.4, eq. 20) and reports the damage. */
@Command(
    name = "attack",
    mixinStandardHelpOptions = true,
    description = {
      "Attack the routing of trained policies: PGD moves each case's standardised features inside"
          + " a ball of radius R (linf or l2) to force an agent (--target NAME) or any costlier"
          + " agent (--target any), costs taken on the clean case (survey eq. 20).",
      "Reports the clean and attacked cost, the success rate and the share pushed to the most"
          + " expensive expert, per policy and radius; compare an undefended policy with one"
          + " trained with --method sard."
    })
final class AttackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--policy",
      required = true,
      description =
          "Trained policy NAME=FILE or FILE; repeat to compare (e.g. undefended vs sard).")
  List<String> policies;

  @Option(names = "--data", required = true, description = "Labelled cases (CSV or Parquet).")
  Path data;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--radius",
      required = true,
      split = ",",
      description =
          "Radius gamma >= 0 on the standardised features; a comma-separated list sweeps.")
  List<Double> radii;

  @Option(
      names = "--norm",
      defaultValue = "linf",
      description = "linf or l2 (default: ${DEFAULT-VALUE}).")
  String norm;

  @Option(
      names = "--target",
      defaultValue = "any",
      description =
          "Agent to force, or any (untargeted: any costlier agent) (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = "--steps",
      defaultValue = "20",
      description = "PGD steps, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--restarts",
      defaultValue = "1",
      description = "Random starts, 1 to 100 (default: ${DEFAULT-VALUE}).")
  int restarts;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of the random starts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Write the results as JSON to this file.")
  Path json;

  @Option(names = "--report", description = "Write an HTML report with charts to this file.")
  Path report;

  @Override
  public Integer call() throws Exception {
    OptionBounds.check(spec, "--steps", steps, 1, 10_000);
    OptionBounds.check(spec, "--restarts", restarts, 1, 100);
    for (double r : radii) {
      OptionBounds.checkAtLeast(spec, "--radius", r, 0, false);
    }
    Norm p = Norm.parse(norm);
    TaskSpec taskSpec = TaskSpecIo.read(taskOption.task());
    DeferralTable table = DeferralTableReader.read(data, taskSpec);
    Map<String, LearnedPolicy> loaded = new LinkedHashMap<>();
    for (String s : policies) {
      int eq = s.indexOf('=');
      Path file = PolicySet.policyFile(s);
      if (file == null) {
        throw new IllegalArgumentException(s + ": not a trained policy file (NAME=FILE or FILE)");
      }
      LearnedPolicy policy = PolicyArtifact.load(file);
      String name = eq < 0 ? baseName(file) : s.substring(0, eq).trim();
      if (loaded.containsKey(name)) {
        throw new IllegalArgumentException("two policies are named '" + name + "'; use NAME=FILE");
      }
      loaded.put(name, policy);
      TaskCheck.check(name, policy.task(), taskSpec)
          .forEach(n -> spec.commandLine().getOut().println("note: " + n));
    }
    int targetIndex = targetIndex(taskSpec);
    PrintWriter out = spec.commandLine().getOut();
    List<SafetyReport.AttackRow> rows = new ArrayList<>();
    Set<Double> sorted = new LinkedHashSet<>(radii.stream().sorted().toList());
    for (Map.Entry<String, LearnedPolicy> e : loaded.entrySet()) {
      for (double gamma : sorted) {
        AttackResult r =
            new AllocationAttack(new Pgd(p, gamma, steps, Double.NaN, restarts, seed))
                .run(e.getValue(), taskSpec, table, targetIndex);
        rows.add(new SafetyReport.AttackRow(e.getKey(), e.getValue().provenance().method(), r));
        out.println(summary(e.getKey(), r));
      }
    }
    if (json != null) {
      Json.write(json, json(rows, p));
      out.println("wrote " + json);
    }
    if (report != null) {
      HtmlReport html = new HtmlReport("Attacks on the allocation, " + data.getFileName());
      SafetyReport.attacks(html, rows, data.toString(), p.spec(), target, steps, restarts);
      html.write(report);
      out.println("wrote " + report);
    }
    out.flush();
    return 0;
  }

  private int targetIndex(TaskSpec t) {
    if (target.equals("any")) {
      return AllocationAttack.ANY;
    }
    if (!t.agents().contains(target)) {
      throw new IllegalArgumentException(
          "--target '"
              + target
              + "' is not an agent of the task; agents are "
              + String.join(", ", t.agents().names())
              + " (or any)");
    }
    return t.agents().indexOf(target);
  }

  static String summary(String name, AttackResult r) {
    return String.format(
        Locale.ROOT,
        "%-20s radius=%-6s cost %s -> %s  success=%s  changed=%s  %s share %s -> %s",
        name,
        Format.fmt(r.pgd().radius()).replaceAll("0+$", "").replaceAll("\\.$", ""),
        Format.fmt(r.clean().meanCost()),
        Format.fmt(r.attacked().meanCost()),
        Format.pct(r.successRate()),
        Format.pct(r.changedRate()),
        r.expensiveExpert(),
        Format.pct(r.expensiveShareClean()),
        Format.pct(r.expensiveShareAttacked()));
  }

  private Map<String, Object> json(List<SafetyReport.AttackRow> rows, Norm p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", "defer4j-attack");
    m.put("schema_version", 1);
    m.put("data", data.toString());
    m.put("task", taskOption.task().toString());
    m.put("norm", p.spec());
    m.put("target", target);
    m.put("steps", steps);
    m.put("restarts", restarts);
    m.put("seed", seed);
    m.put("defer4j_version", PolicyArtifact.version());
    List<Map<String, Object>> list = new ArrayList<>();
    for (SafetyReport.AttackRow row : rows) {
      AttackResult r = row.result();
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("policy", row.policy());
      e.put("method", row.method());
      e.put("radius", r.pgd().radius());
      e.put("rows", r.rows());
      e.put("clean_cost", Format.num(r.clean().meanCost()));
      e.put("attacked_cost", Format.num(r.attacked().meanCost()));
      e.put("cost_inflation", Format.num(r.costInflation()));
      e.put("success_rate", Format.num(r.successRate()));
      e.put("changed_rate", Format.num(r.changedRate()));
      e.put("clean_accuracy", Format.num(r.clean().systemAccuracy()));
      e.put("attacked_accuracy", Format.num(r.attacked().systemAccuracy()));
      e.put("clean_allocation", shares(r.clean().allocation()));
      e.put("attacked_allocation", shares(r.attacked().allocation()));
      e.put("expensive_expert", r.expensiveExpert());
      e.put("expensive_share_clean", Format.num(r.expensiveShareClean()));
      e.put("expensive_share_attacked", Format.num(r.expensiveShareAttacked()));
      e.put("allocation_shift", Format.num(r.allocationShift()));
      e.put("max_perturbation", Format.num(r.maxPerturbation()));
      list.add(e);
    }
    m.put("results", list);
    return m;
  }

  private static Map<String, Double> shares(Map<String, Double> allocation) {
    Map<String, Double> out = new LinkedHashMap<>();
    allocation.forEach((k, v) -> out.put(k, Format.num(v)));
    return out;
  }

  private static String baseName(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
  }
}

package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.metric.Oracle;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.ConfidenceThreshold;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.DeferralPolicy;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Policies;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DecisionsWriter;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Evaluates deferral policies on a table: accuracy, cost, coverage, allocation, per group. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate one or more deferral policies on a deferral table.",
      "Policies: model, expert:NAME, oracle, random:SHARE[:NAME], threshold:TAU[:NAME],",
      "threshold:auto[:NAME] (tau tuned on --val, never on the evaluated table), or a trained",
      "policy file (*.json, from 'defer4j train')."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      description = "Deferral table to evaluate on (CSV or Parquet).")
  Path data;

  @Option(names = "--task", required = true, description = "Task spec (YAML).")
  Path task;

  @Option(
      names = "--policy",
      required = true,
      description = "Policy to evaluate; repeat to compare several.")
  List<String> policies;

  @Option(
      names = "--val",
      description = "Validation table for policies tuned on data (threshold:auto).")
  Path validation;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of random policies and bootstrap intervals (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--decisions",
      description =
          "Write the decisions of the (one) trained policy, as 'route' writes them, to this CSV or"
              + " Parquet file.")
  Path decisionsOut;

  @Option(names = "--json", description = "Write the metrics as JSON to this file.")
  Path json;

  @Option(names = "--report", description = "Write an HTML report with charts to this file.")
  Path report;

  @Override
  public Integer call() throws Exception {
    TaskSpec spec = TaskSpecIo.read(task);
    DeferralTable table = DeferralTableReader.read(data, spec);
    CostModel model = new CostModel(spec);
    // Every trained policy decides the table's cases under the availability the table records;
    // its decisions are scored under this task (its fees and weights, whatever the policy was
    // trained with). Baselines see the first trained policy's model predictions when the task has
    // no frozen model: "model" then means that learned classifier alone.
    Availability available = Availability.observed(spec, table);
    List<LearnedPolicy> learned = new ArrayList<>();
    List<Decisions> learnedDecisions = new ArrayList<>();
    for (String p : policies) {
      if (isArtifact(p)) {
        LearnedPolicy a = PolicyArtifact.load(Path.of(p));
        checkCompatible(a, spec, p);
        learned.add(a);
        learnedDecisions.add(a.decide(table, available));
      }
    }
    CostMatrix costs =
        learned.isEmpty()
            ? model.costs(table)
            : Evaluation.costs(spec, table, learnedDecisions.get(0));
    PolicyEvaluation eval = new PolicyEvaluation(spec, table, costs);
    int next = 0;
    for (String p : policies) {
      if (isArtifact(p)) {
        Decisions d = learnedDecisions.get(next);
        eval.add(learned.get(next).name(), d, Evaluation.costs(spec, table, d), seed);
        next++;
      } else if (p.trim().equals(Oracle.NAME)) {
        eval.addOracle(seed);
      } else {
        eval.add(resolve(p, spec, model), seed);
      }
    }
    if (decisionsOut != null) {
      if (policies.size() != 1 || learned.size() != 1) {
        throw new IllegalArgumentException(
            "--decisions writes the decisions of one trained policy; give exactly one --policy"
                + " FILE");
      }
      DecisionsWriter.write(learnedDecisions.get(0), spec, decisionsOut);
    }
    PrintWriter out = this.spec.commandLine().getOut();
    for (PolicyEvaluation.Result r : eval.results()) {
      out.println(summary(r));
    }
    if (json != null) {
      Object body;
      if (eval.results().size() == 1) {
        body = PolicyEvaluation.json(eval.results().get(0));
      } else {
        List<Object> all = new ArrayList<>();
        eval.results().forEach(r -> all.add(PolicyEvaluation.json(r)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policies", all);
        body = m;
      }
      Json.write(json, body);
      out.println("wrote " + json);
    }
    if (report != null) {
      HtmlReport html = new HtmlReport("Deferral policies on " + data.getFileName());
      eval.writeTo(html, data.toString());
      html.write(report);
      out.println("wrote " + report);
    }
    out.flush();
    return 0;
  }

  private DeferralPolicy resolve(String p, TaskSpec spec, CostModel model) throws Exception {
    String trimmed = p.trim();
    if (trimmed.equals("threshold:auto") || trimmed.startsWith("threshold:auto:")) {
      if (validation == null) {
        throw new IllegalArgumentException(
            "policy '" + p + "' tunes tau on a validation table: give --val");
      }
      String expert = trimmed.equals("threshold:auto") ? null : trimmed.substring(15);
      DeferralTable val = DeferralTableReader.read(validation, spec);
      ConfidenceThreshold tuned = ConfidenceThreshold.tune(val, model.costs(val), expert);
      return tuned;
    }
    return Policies.parse(trimmed, spec, seed);
  }

  static boolean isArtifact(String p) {
    return p.endsWith(".json") || PolicyArtifact.isPolicy(Path.of(p));
  }

  static void checkCompatible(LearnedPolicy a, TaskSpec spec, String file) {
    TaskSpec t = a.task();
    if (!java.util.Arrays.equals(t.agents().names(), spec.agents().names())
        || !t.classes().equals(spec.classes())
        || t.kind() != spec.kind()) {
      throw new IllegalArgumentException(
          file
              + ": the policy was trained for agents "
              + List.of(t.agents().names())
              + " and classes "
              + t.classes()
              + ", the task has "
              + List.of(spec.agents().names())
              + " and "
              + spec.classes());
    }
  }

  static String summary(PolicyEvaluation.Result r) {
    DeferralReport rep = r.report();
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-24s n=%d  accuracy=%s  cost=%s  coverage=%s  allocation=",
                r.policy(),
                rep.n(),
                PolicyEvaluation.pct(rep.systemAccuracy()),
                PolicyEvaluation.fmt(rep.meanCost()),
                PolicyEvaluation.pct(rep.coverage())));
    List<String> parts = new ArrayList<>();
    rep.allocation().forEach((k, v) -> parts.add(k + " " + PolicyEvaluation.pct(v)));
    b.append(String.join(", ", parts));
    if (rep.fallbackCount() > 0) {
      b.append("  fallbacks=").append(rep.fallbackCount());
    }
    return b.toString();
  }
}

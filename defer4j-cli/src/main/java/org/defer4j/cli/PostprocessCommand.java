package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.core.constraint.FairPostProcessor;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Post-processes a trained policy's deferral under a budget and a fairness constraint (d-GNP). */
@Command(
    name = "postprocess",
    mixinStandardHelpOptions = true,
    description = {
      "Constrained post-processing (d-GNP, Charusaie & Samadi 2024): replace a one-vs-all policy's"
          + " decision rule by a threshold linear in its estimated correctness, one per group,"
          + " tuned on --val for the best accuracy with the deferral rate at most --budget and"
          + " the gap between the two groups of the 'group' column at most --tolerance.",
      "Gaps: dp = deferral rates; eo = deferral rates among the cases the model gets wrong."
    })
final class PostprocessCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "Trained policy (--method ova).")
  Path policy;

  @Option(names = "--val", required = true, description = "Validation table with a group column.")
  Path validation;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--fairness",
      defaultValue = "dp",
      description = "dp or eo (default: ${DEFAULT-VALUE}).")
  String fairness;

  @Option(
      names = "--tolerance",
      defaultValue = "0.05",
      description = "Largest gap between the groups, in [0, 1] (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(
      names = "--budget",
      defaultValue = "1",
      description =
          "Largest share of cases given to experts (intervention budget), in [0, 1] (default:"
              + " ${DEFAULT-VALUE}, none).")
  double budget;

  @Option(
      names = "--confidence",
      defaultValue = "0",
      description =
          "Require the gap's upper confidence bound at this level (e.g. 0.9) to meet the"
              + " tolerance on --val, not just its estimate, so that it holds on new cases with"
              + " about that probability (default: ${DEFAULT-VALUE}, the estimate, as d-GNP).")
  double confidence;

  @Option(
      names = "--test",
      description = "Also report the rules on this held-out table (never used for tuning).")
  Path test;

  @Option(names = "--out", required = true, description = "Where to write the policy (JSON).")
  Path out;

  @Option(names = "--json", description = "Write the figures as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    TaskSpec taskSpec = TaskSpecIo.read(taskOption.task());
    LearnedPolicy p = PolicyArtifact.load(policy);
    DeferralTable val = DeferralTableReader.read(validation, taskSpec);
    FairPostProcessor.Result r =
        new FairPostProcessor(fairness, tolerance, budget, confidence).tune(p, val);
    LearnedPolicy tuned = p.withRule(r.rule());
    PolicyArtifact.save(tuned, out);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", r.rule().spec());
    m.put("fairness", fairness);
    m.put("tolerance", tolerance);
    m.put("budget", budget);
    m.put("confidence", confidence);
    w.printf(Locale.ROOT, "rule %s%n", r.rule().spec());
    line(w, "validation, unconstrained", r.unconstrained(), m, "validation_unconstrained");
    line(w, "validation, d-GNP", r.validation(), m, "validation_dgnp");
    if (test != null) {
      DeferralTable t = DeferralTableReader.read(test, taskSpec);
      line(
          w,
          "test, unconstrained",
          FairPostProcessor.measure(p, t, fairness),
          m,
          "test_unconstrained");
      line(w, "test, d-GNP", FairPostProcessor.measure(tuned, t, fairness), m, "test_dgnp");
    }
    w.printf(Locale.ROOT, "wrote %s%n", out);
    if (json != null) {
      Json.write(json, m);
    }
    w.flush();
    return 0;
  }

  private void line(
      PrintWriter w, String name, FairPostProcessor.Outcome o, Map<String, Object> m, String key) {
    w.printf(
        Locale.ROOT,
        "%-26s n=%d  accuracy=%s  deferral=%s  %s gap=%s (se %s)%n",
        name,
        o.n(),
        Format.pct(o.accuracy()),
        Format.pct(o.deferralRate()),
        fairness,
        Format.pct(o.gap()),
        Format.pct(o.gapSe()));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("n", o.n());
    v.put("accuracy", Format.num(o.accuracy()));
    v.put("deferral_rate", Format.num(o.deferralRate()));
    v.put("gap", Format.num(o.gap()));
    v.put("gap_se", Format.num(o.gapSe()));
    m.put(key, v);
  }
}

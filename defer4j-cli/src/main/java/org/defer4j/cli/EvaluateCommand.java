package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.cli.report.CommitteeReport;
import org.defer4j.cli.report.EvaluationReport;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.CommitteeEvaluation;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.EvaluationResult;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.metric.GroupReport;
import org.defer4j.core.metric.PolicyResult;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DecisionsWriter;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Evaluates deferral policies on a table: accuracy, cost, coverage, allocation, per group. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate one or more deferral policies on a labelled table, under the task given.",
      "Policies: a trained policy NAME=FILE (or FILE, named after it), model (one-stage:"
          + " model:NAME, a trained policy's classifier), expert:NAME, oracle,"
          + " random:SHARE[:NAME], threshold:TAU[:NAME], threshold:auto[:NAME] (tau tuned on"
          + " --val, never on the evaluated table), compare-confidence (Raghu et al. 2019:"
          + " per-expert correctness classifiers fitted on --train against the model's"
          + " confidence)."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      description = "Deferral table to evaluate on (CSV or Parquet).")
  Path data;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--policy",
      required = true,
      description = "Policy to evaluate; repeat to compare several (names must differ).")
  List<String> policies;

  @Option(
      names = "--val",
      description = "Validation table for policies tuned on data (threshold:auto).")
  Path validation;

  @Option(
      names = "--train",
      description =
          "Training table for baselines fitted on data (compare-confidence); never the evaluated"
              + " table.")
  Path train;

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

  @Option(
      names = "--k",
      split = ",",
      description =
          "Also score each trained policy's committees of these sizes (comma-separated: numbers"
              + " and/or 'adaptive', the policy's learned k(x)), e.g. --k 1,2,3,adaptive.")
  List<String> ks;

  @Option(
      names = "--aggregate",
      description =
          "How committees' answers combine with --k: vote, weighted-vote, mean, weighted-mean,"
              + " median (default: the policy's, else vote / mean).")
  String aggregate;

  @Option(names = "--json", description = "Write the metrics as JSON to this file.")
  Path json;

  @Option(names = "--report", description = "Write an HTML report with charts to this file.")
  Path report;

  @Option(
      names = "--conformal",
      split = ",",
      description =
          "Conformal deferral sets at miscoverage ALPHA in (0, 1) (comma-separated for several):"
              + " empirical coverage and set sizes over --conformal-splits random splits of --data"
              + " (one expert: sets over {model, expert}, Fang & Nalisnick; several: conformal"
              + " expert ensembles on the deferred cases, Verma et al.).")
  List<Double> conformal;

  @Option(
      names = "--conformal-splits",
      defaultValue = "100",
      description =
          "Random calibration/test splits for --conformal, 1 to 100000 (default: ${DEFAULT-VALUE}).")
  int conformalSplits;

  @Option(
      names = "--capacity",
      description =
          "Report each policy's per-expert workload against a capacity per period, NAME=N"
              + " (repeatable; the table's rows in order, cut into periods of --period).")
  Map<String, Integer> capacity = new java.util.LinkedHashMap<>();

  @Option(
      names = "--period",
      defaultValue = "0",
      description = "Cases per period for --capacity (default: the whole table).")
  int period;

  @Override
  public Integer call() throws Exception {
    if (conformal != null) {
      OptionBounds.check(this.spec, "--conformal-splits", conformalSplits, 1, 100_000);
      for (double a : conformal) {
        OptionBounds.checkInOpen(this.spec, "--conformal", a, 0, 1);
      }
    }
    TaskSpec spec = TaskSpecIo.read(taskOption.task());
    DeferralTable table = DeferralTableReader.read(data, spec);
    PolicySet set =
        PolicySet.resolve(
            policies,
            spec,
            table,
            validation == null ? null : () -> DeferralTableReader.read(validation, spec),
            train == null ? null : () -> DeferralTableReader.read(train, spec),
            seed);
    List<Evaluator.Entry> entries = new ArrayList<>();
    for (PolicySet.Item item : set.items()) {
      entries.add(
          switch (item.kind()) {
            case LEARNED ->
                Evaluator.Entry.learned(
                    item.name(),
                    item.decisions(),
                    item.margins(),
                    item.costs(),
                    item.policy().task());
            case BASELINE -> Evaluator.Entry.baseline(item.name(), item.decisions(), item.costs());
            case REFERENCE ->
                Evaluator.Entry.reference(item.name(), item.decisions(), item.costs());
          });
    }
    EvaluationResult result =
        new Evaluator(Evaluator.Options.defaults().withSeed(seed)).evaluate(spec, table, entries);
    if (decisionsOut != null) {
      List<PolicySet.Item> learned =
          set.items().stream().filter(i -> i.kind() == PolicySet.Kind.LEARNED).toList();
      if (learned.size() != 1) {
        throw new IllegalArgumentException(
            "--decisions writes the decisions of one trained policy; "
                + learned.size()
                + " are listed");
      }
      DecisionsWriter.write(learned.get(0).decisions(), spec, decisionsOut);
    }
    PrintWriter out = this.spec.commandLine().getOut();
    result.notes().forEach(n -> out.println("note: " + n));
    for (PolicyResult r : result.policies()) {
      out.println(summary(r));
      groupLines(r).forEach(out::println);
    }
    List<Workloads.Targets> targets = Workloads.targets(set, table, seed);
    List<Workloads.Capacities> capacities =
        Workloads.capacities(set, capacity, period <= 0 ? table.rows() : period);
    Workloads.lines(targets, capacities).forEach(out::println);
    List<CommitteeReport.Row> committees = committees(set, spec, table);
    for (CommitteeReport.Row c : committees) {
      out.println(committeeSummary(c));
    }
    ConformalEvaluation conf =
        conformal == null
            ? null
            : ConformalEvaluation.run(set, spec, table, conformal, conformalSplits, seed);
    if (conf != null) {
      conf.lines().forEach(out::println);
    }
    if (json != null) {
      Map<String, Object> m =
          EvaluationJson.of(
              result,
              data.toString(),
              taskOption.task().toString(),
              seed,
              PolicyArtifact.version());
      if (!committees.isEmpty()) {
        List<Object> cs = new ArrayList<>();
        for (CommitteeReport.Row c : committees) {
          cs.add(EvaluationJson.committee(c.policy(), c.k(), c.aggregator(), c.result()));
        }
        m.put("committees", cs);
      }
      if (conf != null) {
        m.put("conformal", conf.json());
      }
      if (!targets.isEmpty()) {
        m.put("targets", Workloads.targetsJson(targets));
      }
      if (!capacities.isEmpty()) {
        m.put("capacities", Workloads.capacitiesJson(capacities));
      }
      Json.write(json, m);
      out.println("wrote " + json);
    }
    if (report != null) {
      HtmlReport html = new HtmlReport("Deferral policies on " + data.getFileName());
      EvaluationReport.write(html, result, data.toString());
      if (!committees.isEmpty()) {
        CommitteeReport.write(html, committees, spec);
      }
      Workloads.html(html, targets, capacities);
      if (conf != null) {
        if (conf.ensembles().isEmpty()) {
          org.defer4j.cli.report.SafetyReport.conformal(
              html, conf.studies(), ConformalEvaluation.CALIBRATION_SHARE);
        } else {
          org.defer4j.cli.report.SafetyReport.ensembles(html, conf.ensembles());
        }
      }
      html.write(report);
      out.println("wrote " + report);
    }
    out.flush();
    return 0;
  }

  /** Every trained policy's committees for each size of --k (none without --k). */
  private List<CommitteeReport.Row> committees(PolicySet set, TaskSpec task, DeferralTable table) {
    if (ks == null || ks.isEmpty()) {
      if (aggregate != null) {
        throw new IllegalArgumentException("--aggregate combines committees' answers; add --k");
      }
      return List.of();
    }
    List<Integer> sizes = new ArrayList<>();
    for (String k : ks) {
      sizes.add(CommitteeOptions.parseK("--k", k));
    }
    List<CommitteeReport.Row> rows = new ArrayList<>();
    for (PolicySet.Item item : set.items()) {
      if (item.kind() == PolicySet.Kind.LEARNED) {
        rows.addAll(committees(item.name(), item.policy(), sizes, aggregate, task, table, seed));
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("--k scores trained policies' committees; none is listed");
    }
    return rows;
  }

  /**
   * One policy's committees of each size (0 = its learned k(x)) on a labelled table, under the
   * availability the table records.
   */
  static List<CommitteeReport.Row> committees(
      String name,
      LearnedPolicy policy,
      List<Integer> sizes,
      String aggregate,
      TaskSpec task,
      DeferralTable table,
      long seed) {
    Availability observed = Availability.observed(task, table);
    Evaluator.Options options = Evaluator.Options.defaults().withSeed(seed);
    List<CommitteeReport.Row> rows = new ArrayList<>();
    for (int k : sizes) {
      LearnedPolicy p = CommitteeOptions.withK(policy, k, aggregate);
      rows.add(
          new CommitteeReport.Row(
              name,
              k == 0 ? CommitteeOptions.ADAPTIVE : Integer.toString(k),
              p.committee().aggregator().spec(),
              CommitteeEvaluation.of(
                  name + " " + CommitteeOptions.label(k),
                  p.decide(table, observed),
                  task,
                  table,
                  options)));
    }
    return rows;
  }

  /** One line per committee: accuracy, cost, fees, size, workload. */
  static String committeeSummary(CommitteeReport.Row c) {
    CommitteeEvaluation e = c.result();
    List<String> load = new ArrayList<>();
    e.workload().forEach((k, v) -> load.add(k + " " + Format.pct(v)));
    return String.format(
        Locale.ROOT,
        "%-24s n=%d  accuracy=%s  cost=%s (error %s + fees %s)  mean size=%.2f  top-k loss=%s"
            + "  on the committee: %s",
        e.name(),
        e.rows(),
        Format.pct(e.accuracy().estimate()),
        Format.fmt(e.meanCost().estimate()),
        Format.fmt(e.meanError()),
        Format.fmt(e.meanFees()),
        e.meanSize(),
        Format.fmt(e.topKLoss()),
        String.join(", ", load));
  }

  /** One line per policy: accuracy, cost, coverage, allocation, fallbacks. */
  /**
   * One line per value of the group column (accuracy and deferral rate), then the gaps between the
   * groups (largest minus smallest); nothing when the table has no group column.
   */
  static List<String> groupLines(PolicyResult r) {
    List<String> lines = new ArrayList<>();
    Map<String, GroupReport> groups = r.report().groups();
    if (groups.isEmpty()) {
      return lines;
    }
    for (GroupReport g : groups.values()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "    group %-16s n=%d  accuracy=%s  deferral=%s",
              g.group(),
              g.n(),
              Format.pct(g.systemAccuracy()),
              Format.pct(1 - g.coverage())));
    }
    if (groups.size() > 1) {
      double[] gaps = GroupGaps.of(groups.values());
      lines.add(
          String.format(
              Locale.ROOT,
              "    group gaps (max - min): accuracy %s, deferral %s",
              Format.pct(gaps[0]),
              Format.pct(gaps[1])));
    }
    return lines;
  }

  static String summary(PolicyResult r) {
    DeferralReport rep = r.report();
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-24s n=%d  accuracy=%s  cost=%s (error %s + fees %s)  coverage=%s  allocation=",
                r.name(),
                rep.n(),
                Format.pct(rep.systemAccuracy()),
                Format.fmt(rep.meanCost()),
                Format.fmt(r.cost().error()),
                Format.fmt(r.cost().fee()),
                Format.pct(rep.coverage())));
    List<String> parts = new ArrayList<>();
    rep.allocation().forEach((k, v) -> parts.add(k + " " + Format.pct(v)));
    b.append(String.join(", ", parts));
    if (rep.fallbackCount() > 0) {
      b.append("  fallbacks=").append(rep.fallbackCount());
    }
    return b.toString();
  }
}

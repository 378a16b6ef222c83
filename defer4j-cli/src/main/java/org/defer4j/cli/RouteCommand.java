package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.defer4j.core.constraint.CapacityRouting;
import org.defer4j.core.constraint.StreamingCapacity;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Committees;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.DecisionsWriter;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Applies a trained policy to new cases and writes one decision per case. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = {
      "Route new cases with a trained policy: one output row per case with its id, the chosen"
          + " agent, whether it fell back from an unavailable agent, each agent's score and,"
          + " where the policy estimates it, each agent's expected cost.",
      "The cases need only what is known before the outcome: x.* features (any column order),"
          + " the frozen model's m.<model>.* outputs when the policy reads them, the text column"
          + " when the policy has one, optional id, group and avail.<agent> (1 = may be asked, 0 ="
          + " not)."
    })
final class RouteCommand implements Callable<Integer> {
  /** Cases decided per progress step. */
  static final int CHUNK = 1 << 16;

  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "Trained policy (from 'train').")
  Path policy;

  @Option(names = "--data", required = true, description = "Cases to route (CSV or Parquet).")
  Path data;

  @Option(
      names = "--out",
      required = true,
      description = "Where to write the decisions (.csv, .csv.gz or .parquet).")
  Path out;

  @Option(
      names = "--available",
      split = ",",
      description =
          "Agents that may be asked now (comma-separated names); the others are unavailable for"
              + " every case. Combined with the table's avail.* columns.")
  List<String> available;

  @Option(
      names = "--k",
      description =
          "Ask a committee: the N best-scored available agents (N >= 1), or 'adaptive' for the"
              + " size k(x) the policy learned (train --k adaptive). Default: the policy's own"
              + " committee rule, else one agent.")
  String k;

  @Option(
      names = "--aggregate",
      description =
          "How a committee's answers combine: vote, weighted-vote (classification), mean,"
              + " weighted-mean, median (regression). Default: the policy's, else vote / mean.")
  String aggregate;

  @Option(
      names = "--capacity",
      description =
          "An expert's capacity per period, NAME=N (repeatable; needs --period): the cases arrive"
              + " in the table's order and an expert whose capacity is used up is passed over"
              + " (marked unavailable on that case, fallback 1).")
  Map<String, Integer> capacity = new LinkedHashMap<>();

  @Option(names = "--period", description = "Arrivals per capacity period (>= 1).")
  Integer period;

  @Option(
      names = "--val",
      description =
          "Cases whose decisions set the capacity prices (StreamingCapacity: each expert's price"
              + " is the least that keeps its share of them within capacity / period), so that"
              + " capacity is not spent on the first arrivals; without it, a hard cap only.")
  Path validation;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    long start = System.nanoTime();
    LearnedPolicy p = PolicyArtifact.load(policy);
    if (k != null) {
      p = CommitteeOptions.withK(p, CommitteeOptions.parseK("--k", k), aggregate);
    } else if (aggregate != null) {
      if (p.committee() == null) {
        throw new IllegalArgumentException("--aggregate combines a committee's answers; add --k");
      }
      p = p.withCommittee(p.committee().withAggregator(Aggregator.parse(aggregate)));
    }
    DeferralTable cases = DeferralTableReader.readCases(data, p.task());
    Availability av = Availability.fromTable(p.agents(), cases);
    if (available != null) {
      av = av.restrictTo(available);
    }
    long read = System.nanoTime();
    Decisions d = decide(p, cases, av, Terminal.showsProgress(quiet));
    CapacityRouting.InOrder capped = null;
    if (!capacity.isEmpty()) {
      if (period == null) {
        throw new IllegalArgumentException("--capacity needs --period (arrivals per period)");
      }
      OptionBounds.check(spec, "--period", period, 1, Integer.MAX_VALUE);
      if (d.hasCommittees()) {
        throw new IllegalArgumentException(
            "--capacity routes each case to one agent; it does not combine with committees (--k)");
      }
      int[] cap = StreamCommand.capacities(p.agents(), capacity);
      Decisions dv = null;
      if (validation != null) {
        DeferralTable val = DeferralTableReader.readCases(validation, p.task());
        dv = p.decide(val, Availability.fromTable(p.agents(), val));
      }
      capped = CapacityRouting.inOrder(d, p.rule(), StreamCommand.rule(p, cap, period, dv));
      d = capped.decisions();
    } else if (period != null || validation != null) {
      throw new IllegalArgumentException("--period and --val set capacities; add --capacity");
    }
    long decided = System.nanoTime();
    DecisionsWriter.write(d, p.task(), out);
    long done = System.nanoTime();
    int n = cases.rows();
    log.printf(
        Locale.ROOT,
        "routed %d cases with %s in %.2f s (%.0f rows/s; read %.2f s, decide %.2f s, write"
            + " %.2f s); wrote %s%n",
        n,
        p.name(),
        (done - start) / 1e9,
        n / ((done - start) / 1e9),
        (read - start) / 1e9,
        (decided - read) / 1e9,
        (done - decided) / 1e9,
        out);
    String[] names = p.agents().names();
    int[] count = new int[names.length];
    for (int i = 0; i < n; i++) {
      count[d.agent(i)]++;
    }
    List<String> parts = new ArrayList<>();
    for (int j = 0; j < names.length; j++) {
      parts.add(
          String.format(Locale.ROOT, "%s %d (%.1f%%)", names[j], count[j], 100.0 * count[j] / n));
    }
    log.println(
        (d.hasCommittees() ? "first members: " : "allocation: ") + String.join(", ", parts));
    if (d.hasCommittees()) {
      log.println(committeeSummary(d, names));
    }
    if (capped != null) {
      List<String> loads = new ArrayList<>();
      int[] cap = StreamCommand.capacities(p.agents(), capacity);
      for (int j = 1; j < names.length; j++) {
        if (cap[j] != StreamingCapacity.UNLIMITED) {
          loads.add(
              String.format(
                  Locale.ROOT,
                  "%s at most %d of %d per %d arrivals",
                  names[j],
                  capped.maxLoad()[j],
                  cap[j],
                  period));
        }
      }
      log.printf(
          Locale.ROOT,
          "capacity: %s; %d cases passed an expert over for its capacity%n",
          String.join(", ", loads),
          capped.overCapacity());
    }
    if (d.fallbackCount() > 0) {
      log.printf(
          Locale.ROOT,
          capped == null
              ? "%d cases fell back from an unavailable agent to another one%n"
              : "%d cases did not go to the agent the policy preferred (unavailable, at capacity,"
                  + " or priced out by the capacity rule)%n",
          d.fallbackCount());
    }
    log.flush();
    return 0;
  }

  /** Mean committee size, the sizes' counts and each agent's share of committees. */
  static String committeeSummary(Decisions d, String[] names) {
    Committees c = d.committees();
    int n = d.rows();
    java.util.TreeMap<Integer, Integer> sizes = new java.util.TreeMap<>();
    int[] member = new int[names.length];
    double total = 0;
    for (int i = 0; i < n; i++) {
      sizes.merge(c.size(i), 1, Integer::sum);
      total += c.size(i);
      for (int a : c.distinctAgents(i)) {
        member[a]++;
      }
    }
    List<String> ks = new ArrayList<>();
    sizes.forEach((size, count) -> ks.add("k=" + size + " " + count));
    List<String> load = new ArrayList<>();
    for (int j = 0; j < names.length; j++) {
      load.add(String.format(Locale.ROOT, "%s %.1f%%", names[j], 100.0 * member[j] / n));
    }
    return String.format(
        Locale.ROOT,
        "committees (%s): mean size %.2f (%s); on the committee: %s",
        c.aggregator().spec(),
        total / n,
        String.join(", ", ks),
        String.join(", ", load));
  }

  /** The decisions, in chunks with a progress bar when {@code progress} and the input is large. */
  static Decisions decide(LearnedPolicy p, DeferralTable cases, Availability av, boolean progress) {
    int n = cases.rows();
    if (!progress || n <= CHUNK) {
      return p.decide(cases, av);
    }
    List<Decisions> parts = new ArrayList<>();
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("route")
            .setInitialMax(n)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
            .build()) {
      for (int from = 0; from < n; from += CHUNK) {
        int[] rows = new int[Math.min(CHUNK, n - from)];
        Arrays.setAll(rows, r -> r);
        for (int r = 0; r < rows.length; r++) {
          rows[r] += from;
        }
        parts.add(p.decide(cases.select(rows), av.select(rows)));
        bar.stepBy(rows.length);
      }
    }
    return Decisions.concat(parts);
  }
}

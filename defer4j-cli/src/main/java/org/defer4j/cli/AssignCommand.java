package org.defer4j.cli;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.constraint.AssignmentProblems;
import org.defer4j.core.constraint.AssignmentSolver;
import org.defer4j.core.constraint.AssignmentSolver.Mode;
import org.defer4j.core.constraint.HeuristicAssignment;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.ortools.MinCostFlowAssignment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Capacity-aware batch assignment (DeCCaF, Alves et al. 2024): every case of a batch to one agent,
 * least total expected cost, no agent over its capacity.
 */
@Command(
    name = "assign",
    mixinStandardHelpOptions = true,
    description = {
      "Assign a batch of cases to agents under per-agent capacities at the least total expected"
          + " cost (DeCCaF's capacity-aware assignment, solved exactly as a min-cost flow with"
          + " OR-Tools), or with DeCCaF's greedy / random baselines.",
      "Expected costs per case and agent come from the policy where its head estimates them (ova,"
          + " asym-softmax, decoupled, plugin); otherwise a plug-in estimate 1 - softmax(agent"
          + " scores) is used, which keeps the policy's own choice when capacity is unlimited. The"
          + " output says which.",
      "Writes id, agent, expected_cost per case; prints the total expected cost and each agent's"
          + " load against its capacity. With --task the data are read as labelled and the"
          + " realised cost of the assignment is reported against the baselines."
    })
final class AssignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "Trained policy (from 'train').")
  Path policy;

  @Option(names = "--data", required = true, description = "The batch of cases (CSV or Parquet).")
  Path data;

  @Option(
      names = "--capacity",
      paramLabel = "AGENT=N",
      description =
          "An agent's capacity for this batch (repeatable). Agents not named have no limit.")
  List<String> capacity = new ArrayList<>();

  @Option(
      names = "--mode",
      defaultValue = "at-most",
      description =
          "at-most: each named agent takes at most N cases; exact: exactly N (as DeCCaF does;"
              + " the agents without a limit take the rest). Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(
      names = "--method",
      defaultValue = "optimal",
      description =
          "optimal (min-cost flow), greedy (each case in order to its cheapest agent with spare"
              + " capacity) or random. Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(
      names = "--task",
      description =
          "Task spec (YAML): read --data as labelled and report the realised cost of the"
              + " assignment and of the baselines.")
  Path task;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the random baseline.")
  long seed;

  @Option(names = "--out", required = true, description = "Where to write the assignment (.csv).")
  Path out;

  @Option(names = "--json", description = "Write the summary as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    Mode m = parseMode(mode);
    LearnedPolicy p = PolicyArtifact.load(policy);
    AgentSet agents = p.agents();
    int[] cap = capacities(agents, capacity);
    TaskSpec labelled = task == null ? null : TaskSpecIo.read(task);
    DeferralTable cases =
        labelled == null
            ? DeferralTableReader.readCases(data, p.task())
            : DeferralTableReader.read(data, labelled);
    Availability av =
        labelled == null
            ? Availability.fromTable(agents, cases)
            : Availability.observed(labelled, cases);
    Decisions d = p.decide(cases, av);
    int n = cases.rows();
    int a = agents.size();
    boolean fromPolicy = d.hasExpectedCosts();
    double[] costs = expectedCosts(d, n, a);
    String source =
        fromPolicy
            ? "the policy's expected costs (" + p.head().spec() + " head)"
            : "plug-in estimate 1 - softmax(agent scores) (the "
                + p.head().spec()
                + " head does not estimate costs)";
    AssignmentSolver solver = solver(method, seed);
    long start = System.nanoTime();
    int[] agent = solver.solve(costs, n, cap, m);
    double seconds = (System.nanoTime() - start) / 1e9;
    write(d, agent, costs, a, agents);
    double total = AssignmentProblems.objective(costs, agent);
    int[] load = AssignmentProblems.loads(agent, a);
    String[] names = agents.names();
    log.printf(
        Locale.ROOT,
        "assigned %d cases with %s (%s capacities) in %.3f s; costs: %s; wrote %s%n",
        n,
        solver.name(),
        m == Mode.EXACT ? "exact" : "at-most",
        seconds,
        source,
        out);
    log.printf(
        Locale.ROOT, "total expected cost %.4f (%.4f per case)%n", total, n == 0 ? 0.0 : total / n);
    List<String> parts = new ArrayList<>();
    List<Map<String, Object>> loads = new ArrayList<>();
    for (int j = 0; j < a; j++) {
      boolean limited = cap[j] != Integer.MAX_VALUE;
      parts.add(names[j] + " " + load[j] + (limited ? "/" + cap[j] : " (no limit)"));
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("agent", names[j]);
      l.put("load", load[j]);
      l.put("capacity", limited ? cap[j] : null);
      loads.add(l);
    }
    log.println("load: " + String.join(", ", parts));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("cases", n);
    summary.put("method", solver.name());
    summary.put("mode", m == Mode.EXACT ? "exact" : "at-most");
    summary.put("expectedCosts", fromPolicy ? "policy" : "plug-in");
    summary.put("totalExpectedCost", total);
    summary.put("seconds", seconds);
    summary.put("loads", loads);
    if (labelled != null) {
      summary.put("realised", realised(log, labelled, cases, d, costs, cap, m, agent, solver));
    }
    if (json != null) {
      Json.write(json, summary);
    }
    log.flush();
    return 0;
  }

  /** Realised mean cost per case of this assignment, the other methods and the policy alone. */
  private Map<String, Object> realised(
      PrintWriter log,
      TaskSpec labelled,
      DeferralTable cases,
      Decisions d,
      double[] costs,
      int[] cap,
      Mode m,
      int[] agent,
      AssignmentSolver used) {
    CostMatrix truth = Evaluation.costs(labelled, cases, d);
    int n = cases.rows();
    int a = cap.length;
    Map<String, int[]> runs = new LinkedHashMap<>();
    runs.put(used.name(), agent);
    for (String other : List.of("optimal", "greedy", "random")) {
      AssignmentSolver s = solver(other, seed);
      if (!runs.containsKey(s.name())) {
        runs.put(s.name(), s.solve(costs, n, cap, m));
      }
    }
    runs.put("policy-unconstrained", d.agents());
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, int[]> e : runs.entrySet()) {
      int[] g = e.getValue();
      double sum = 0;
      int known = 0;
      for (int i = 0; i < n; i++) {
        double c = truth.cost(i, g[i]);
        if (!Double.isNaN(c)) {
          sum += c;
          known++;
        }
      }
      double mean = known == 0 ? Double.NaN : sum / known;
      int[] load = AssignmentProblems.loads(g, a);
      int over = 0;
      for (int j = 0; j < a; j++) {
        over += Math.max(0, load[j] - cap[j]);
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("meanCost", mean);
      r.put("casesWithKnownCost", known);
      r.put("casesOverCapacity", over);
      out.put(e.getKey(), r);
      parts.add(
          String.format(Locale.ROOT, "%s %.4f", e.getKey(), mean)
              + (over > 0 ? " (" + over + " cases over capacity)" : ""));
    }
    log.println("realised cost per case: " + String.join(", ", parts));
    return out;
  }

  private void write(Decisions d, int[] agent, double[] costs, int a, AgentSet agents)
      throws java.io.IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String[] names = agents.names();
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      w.write("id,agent,expected_cost\n");
      for (int i = 0; i < agent.length; i++) {
        w.write(csvField(d.id(i)));
        w.write(',');
        w.write(csvField(names[agent[i]]));
        w.write(',');
        w.write(Double.toString(costs[i * a + agent[i]]));
        w.write('\n');
      }
    }
  }

  private static String csvField(String v) {
    return v.contains(",") || v.contains("\"") || v.contains("\n")
        ? "\"" + v.replace("\"", "\"\"") + "\""
        : v;
  }

  /** The policy's expected costs, or 1 − softmax of the agent scores; NaN where unavailable. */
  static double[] expectedCosts(Decisions d, int n, int a) {
    double[] e = new double[n * a];
    boolean fromPolicy = d.hasExpectedCosts();
    double[] row = new double[a];
    double[] soft = new double[a];
    Availability av = d.availability();
    for (int i = 0; i < n; i++) {
      if (!fromPolicy) {
        for (int j = 0; j < a; j++) {
          row[j] = d.score(i, j);
        }
        org.defer4j.core.math.StableMath.softmax(row, soft);
      }
      for (int j = 0; j < a; j++) {
        double c = fromPolicy ? d.expectedCost(i, j) : 1.0 - soft[j];
        e[i * a + j] = av.available(i, j) ? c : Double.NaN;
      }
    }
    return e;
  }

  static Mode parseMode(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "at-most" -> Mode.AT_MOST;
      case "exact" -> Mode.EXACT;
      default ->
          throw new IllegalArgumentException("--mode must be at-most or exact, got '" + s + "'");
    };
  }

  static AssignmentSolver solver(String method, long seed) {
    return switch (method.toLowerCase(Locale.ROOT)) {
      case "optimal" -> new MinCostFlowAssignment();
      case "greedy" -> HeuristicAssignment.greedy();
      case "random" -> HeuristicAssignment.random(seed);
      default ->
          throw new IllegalArgumentException(
              "--method must be optimal, greedy or random, got '" + method + "'");
    };
  }

  /** Capacities per agent from AGENT=N options; unnamed agents have no limit. */
  static int[] capacities(AgentSet agents, List<String> specs) {
    int[] cap = new int[agents.size()];
    Arrays.fill(cap, Integer.MAX_VALUE);
    List<String> names = List.of(agents.names());
    for (String s : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--capacity must be AGENT=N, got '" + s + "'");
      }
      String name = s.substring(0, eq).strip();
      int j = names.indexOf(name);
      if (j < 0) {
        throw new IllegalArgumentException(
            "--capacity: unknown agent '" + name + "'; the policy's agents are " + names);
      }
      int v;
      try {
        v = Integer.parseInt(s.substring(eq + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--capacity " + name + ": N must be a whole number, got '" + s.substring(eq + 1) + "'",
            e);
      }
      if (v < 0 || v == Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "--capacity " + name + ": N must be between 0 and " + (Integer.MAX_VALUE - 1));
      }
      cap[j] = v;
    }
    return cap;
  }
}

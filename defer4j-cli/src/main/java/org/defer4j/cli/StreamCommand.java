package org.defer4j.cli;

import static org.defer4j.core.math.Sampling.mean;
import static org.defer4j.core.math.Sampling.sd;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.constraint.CapacityRouting;
import org.defer4j.core.constraint.ReferenceAssignmentSolver;
import org.defer4j.core.constraint.StreamingCapacity;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.math.Sampling;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.metric.TaskCheck;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
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

/**
 * Routes a table's cases one at a time under per-expert capacities per period ({@link
 * StreamingCapacity}, prices learned on --val) over random arrival orders, and compares each with
 * the batch optimum of every period on the same order ({@link ReferenceAssignmentSolver}).
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Route cases arriving one at a time with per-expert capacities per period: an expert whose"
          + " capacity is used up is passed over (OVER_CAPACITY) and the case falls to the next"
          + " agent; prices learned on --val keep the capacity from going to the first arrivals.",
      "Over --orders random arrival orders of --data it reports the most cases any expert got in a"
          + " period against its capacity and the cost against the batch optimum of each period"
          + " (exact assignment with the same policy costs) and the unconstrained policy."
    })
final class StreamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "Trained policy (JSON).")
  Path policy;

  @Option(names = "--data", required = true, description = "Labelled table to stream.")
  Path data;

  @Option(names = "--val", description = "Validation stream for the prices (else: no prices).")
  Path validation;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--capacity",
      required = true,
      description = "An expert's capacity per period, NAME=N; repeatable.")
  Map<String, Integer> capacity = new LinkedHashMap<>();

  @Option(names = "--period", required = true, description = "Arrivals per period (>= 1).")
  int period;

  @Option(
      names = "--orders",
      defaultValue = "100",
      description = "Random arrival orders, 1 to 100000 (default: ${DEFAULT-VALUE}).")
  int orders;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Write the figures as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    OptionBounds.check(spec, "--orders", orders, 1, 100_000);
    OptionBounds.check(spec, "--period", period, 1, Integer.MAX_VALUE);
    TaskSpec taskSpec = TaskSpecIo.read(taskOption.task());
    LearnedPolicy p = PolicyArtifact.load(policy);
    TaskCheck.check(policy.toString(), p.task(), taskSpec);
    AgentSet agents = p.agents();
    int a = agents.size();
    int[] cap = capacities(agents, capacity);
    Decisions dv = null;
    if (validation != null) {
      DeferralTable val = DeferralTableReader.read(validation, taskSpec);
      dv = p.decide(val, Availability.observed(taskSpec, val));
    }
    StreamingCapacity rule = rule(p, cap, period, dv);
    DeferralTable table = DeferralTableReader.read(data, taskSpec);
    Decisions d = p.decide(table, Availability.observed(taskSpec, table));
    double[] u = CapacityRouting.preferenceCosts(d, p.rule());
    CostMatrix costs = Evaluation.costs(taskSpec, table, d);
    int n = table.rows();
    double free = realised(costs, d.agents());
    double freeU = CapacityRouting.meanCost(u, a, d.agents());
    ReferenceAssignmentSolver solver = new ReferenceAssignmentSolver();
    SplittableRandom rng = new SplittableRandom(seed);
    int exceeded = 0;
    int[] maxLoad = new int[a];
    long over = 0;
    double[] gapU = new double[orders];
    double[] gapCost = new double[orders];
    double[] streamCost = new double[orders];
    double[] batchCost = new double[orders];
    double[] share = new double[orders];
    int[] order = new int[n];
    long start = System.nanoTime();
    for (int o = 0; o < orders; o++) {
      Sampling.permutation(order, rng);
      CapacityRouting.StreamRun run = CapacityRouting.stream(rule, u, a, order);
      int[] batch = CapacityRouting.batchOptimum(solver, u, a, cap, period, order);
      for (int j = 0; j < a; j++) {
        maxLoad[j] = Math.max(maxLoad[j], run.maxLoad()[j]);
        if (cap[j] != StreamingCapacity.UNLIMITED && run.maxLoad()[j] > cap[j]) {
          exceeded++;
        }
      }
      over += run.overCapacity();
      gapU[o] =
          CapacityRouting.meanCost(u, a, run.chosen()) - CapacityRouting.meanCost(u, a, batch);
      streamCost[o] = realised(costs, run.chosen());
      batchCost[o] = realised(costs, batch);
      gapCost[o] = streamCost[o] - batchCost[o];
      int experts = 0;
      for (int c : run.chosen()) {
        experts += c > 0 ? 1 : 0;
      }
      share[o] = (double) experts / n;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    PrintWriter w = spec.commandLine().getOut();
    List<String> caps = new ArrayList<>();
    List<String> prices = new ArrayList<>();
    for (int j = 1; j < a; j++) {
      if (cap[j] != StreamingCapacity.UNLIMITED) {
        caps.add(
            String.format(
                Locale.ROOT,
                "%s %d/%d (most in a period: %d)",
                agents.get(j).name(),
                cap[j],
                period,
                maxLoad[j]));
        prices.add(agents.get(j).name() + " " + Format.fmt(rule.prices()[j]));
      }
    }
    w.printf(
        Locale.ROOT,
        "%d rows, %d random arrival orders, periods of %d; capacity %s; prices %s%n",
        n,
        orders,
        period,
        String.join(", ", caps),
        validation == null ? "none (hard cap only)" : String.join(", ", prices));
    w.printf(
        Locale.ROOT,
        "capacity exceeded in %d of %d (order, expert) pairs; %d decisions passed an expert over"
            + " for capacity (%.1f per order)%n",
        exceeded,
        orders * (a - 1),
        over,
        (double) over / orders);
    w.printf(
        Locale.ROOT,
        "realised cost per case: stream %s (sd %s), batch optimum %s, unconstrained policy %s;"
            + " stream - batch: mean %s, max %s%n",
        Format.fmt(mean(streamCost)),
        Format.fmt(sd(streamCost)),
        Format.fmt(mean(batchCost)),
        Format.fmt(free),
        Format.fmt(mean(gapCost)),
        Format.fmt(max(gapCost)));
    double batchU = mean(gapU);
    w.printf(
        Locale.ROOT,
        "policy objective (negated scores) per case: stream - batch mean %s, max %s;"
            + " expert share mean %s; %.2f s%n",
        fmt6(batchU),
        fmt6(max(gapU)),
        Format.pct(mean(share)),
        seconds);
    if (json != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rows", n);
      m.put("orders", orders);
      m.put("period", period);
      Map<String, Object> cm = new LinkedHashMap<>();
      Map<String, Object> pm = new LinkedHashMap<>();
      Map<String, Object> lm = new LinkedHashMap<>();
      for (int j = 1; j < a; j++) {
        if (cap[j] != StreamingCapacity.UNLIMITED) {
          cm.put(agents.get(j).name(), cap[j]);
          pm.put(agents.get(j).name(), rule.prices()[j]);
          lm.put(agents.get(j).name(), maxLoad[j]);
        }
      }
      m.put("capacity", cm);
      m.put("prices", pm);
      m.put("max_load_per_period", lm);
      m.put("capacity_exceeded", exceeded);
      m.put("over_capacity_decisions", over);
      m.put("stream_cost_mean", Format.num(mean(streamCost)));
      m.put("batch_cost_mean", Format.num(mean(batchCost)));
      m.put("unconstrained_cost", Format.num(free));
      m.put("unconstrained_objective", Format.num(freeU));
      m.put("cost_gap_mean", Format.num(mean(gapCost)));
      m.put("cost_gap_max", Format.num(max(gapCost)));
      m.put("objective_gap_mean", Format.num(mean(gapU)));
      m.put("objective_gap_max", Format.num(max(gapU)));
      m.put("expert_share_mean", Format.num(mean(share)));
      Json.write(json, m);
      w.println("wrote " + json);
    }
    w.flush();
    return 0;
  }

  private static String fmt6(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  private static double realised(CostMatrix costs, int[] chosen) {
    double s = 0;
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i] < 0) {
        return Double.NaN;
      }
      s += costs.cost(i, chosen[i]);
    }
    return s / chosen.length;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  /**
   * Per agent (policy order) its capacity per period from {@code --capacity NAME=N}; the model and
   * agents not named are {@link StreamingCapacity#UNLIMITED}.
   *
   * @throws IllegalArgumentException for a name that is not an expert or a negative capacity
   */
  static int[] capacities(AgentSet agents, Map<String, Integer> capacity) {
    int[] cap = new int[agents.size()];
    java.util.Arrays.fill(cap, StreamingCapacity.UNLIMITED);
    for (Map.Entry<String, Integer> e : capacity.entrySet()) {
      int j = agents.contains(e.getKey()) ? agents.indexOf(e.getKey()) : -1;
      if (j <= 0) {
        throw new IllegalArgumentException(
            "--capacity " + e.getKey() + ": not an expert of the policy; agents are " + agents);
      }
      if (e.getValue() < 0) {
        throw new IllegalArgumentException(
            "--capacity " + e.getKey() + "=" + e.getValue() + ": a capacity must be >= 0");
      }
      cap[j] = e.getValue();
    }
    return cap;
  }

  /**
   * The capacity rule: prices learned on the validation decisions when given, else the hard cap.
   */
  static StreamingCapacity rule(LearnedPolicy p, int[] cap, int period, Decisions validation) {
    return validation == null
        ? StreamingCapacity.hardCap(cap, period)
        : StreamingCapacity.learn(
            CapacityRouting.preferenceCosts(validation, p.rule()), validation.rows(), cap, period);
  }
}

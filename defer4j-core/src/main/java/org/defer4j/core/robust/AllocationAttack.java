package org.defer4j.core.robust;

import java.util.Arrays;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.DeferralMetrics;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskSpec;

/**
 * Attacks on the allocation of a learned policy (Montreuil et al., ICML 2025; survey §7.4): the
 * adversary moves a case's scorer inputs x (the standardised features) inside B_p(x, γ) so that the
 * policy routes it elsewhere, while the costs stay those of the clean case (eq. 20: ℓ̃_def = sup
 * over the ball of Σ_j c_j(x, z)·1[r(x') = j]). Works on two-stage rejectors and one-stage scorers
 * alike, linear or MLP, through the scorer's input gradient and the chain rule through the score
 * head.
 *
 * <p><b>Objectives</b> (a reconstruction, METHODS-2 R-B2, in the margin form of Carlini &amp;
 * Wagner): with e the agent scores as the decision rule compares them (the model's score raised by
 * θ under a threshold rule) over the available agents,
 *
 * <ul>
 *   <li>targeted at agent j̃: maximise e_j̃ − max_{j≠j̃} e_j (positive iff the rule picks j̃);
 *   <li>untargeted: with U = {j : c_j(x, z) &gt; c_{r(x)}(x, z)} the agents costlier than the clean
 *       choice, maximise max_{j∈U} e_j − max_{j∉U} e_j (positive iff the rule picks a costlier
 *       agent; rows with U = ∅ cannot be hurt and are left clean).
 * </ul>
 *
 * Solved by {@link Pgd}. <b>Success</b>: targeted, the attacked choice is j̃ on a row whose clean
 * choice was not; untargeted, the attacked choice costs strictly more than the clean one. Both are
 * shares of all rows.
 */
public final class AllocationAttack {
  /** The target meaning "any costlier agent" (untargeted). */
  public static final int ANY = -1;

  private final Pgd pgd;

  /** An attack solved by the given PGD. */
  public AllocationAttack(Pgd pgd) {
    if (pgd == null) {
      throw new IllegalArgumentException("the attack needs PGD options");
    }
    this.pgd = pgd;
  }

  /** The solver options. */
  public Pgd pgd() {
    return pgd;
  }

  /**
   * Attacks every case of a labelled table.
   *
   * @param policy the attacked policy
   * @param task the task the costs are taken under
   * @param table labelled cases
   * @param target the agent index to force, or {@link #ANY}
   * @throws IllegalArgumentException when the target is not an agent of the policy
   */
  public AttackResult run(LearnedPolicy policy, TaskSpec task, DeferralTable table, int target) {
    AgentSet agents = policy.agents();
    if (target != ANY && (target < 0 || target >= agents.size())) {
      throw new IllegalArgumentException(
          "target " + target + " is not an agent index in [0, " + agents.size() + ")");
    }
    Availability av = Availability.observed(task, table);
    double[] inputs = policy.features().transform(table);
    double[] confidence = policy.confidence(table);
    Decisions clean = policy.decideInputs(inputs, confidence, av, null, table.source());
    CostMatrix costs = Evaluation.costs(task, table, clean);
    double[] perturbed = perturb(policy, inputs, confidence, av, costs, clean.agents(), target);
    Decisions attacked = policy.decideInputs(perturbed, confidence, av, null, table.source());
    return summarise(policy, table, inputs, perturbed, costs, clean, attacked, target);
  }

  /**
   * The perturbed scorer inputs of every case, row-major n × d.
   *
   * @param policy the attacked policy
   * @param inputs the clean scorer inputs (after the policy's feature pipeline)
   * @param confidence the frozen model's confidence where the head reads it, else null
   * @param av availability
   * @param costs the clean per-agent costs (read by the untargeted objective)
   * @param cleanChoice the clean decisions' agents
   * @param target an agent index or {@link #ANY}
   */
  public double[] perturb(
      LearnedPolicy policy,
      double[] inputs,
      double[] confidence,
      Availability av,
      CostMatrix costs,
      int[] cleanChoice,
      int target) {
    Scorer scorer = policy.scorer();
    ScoreHead head = policy.head();
    int a = policy.agents().size();
    int classes = policy.task().classCount();
    int width = scorer.outputDim();
    double theta = thresholdOf(policy.rule().spec());
    int n = av.rows();
    double[] e = new double[a];
    double[] gA = new double[a];
    boolean[] inU = new boolean[a];
    Pgd.Objective f =
        (row, raw, off, grad) -> {
          head.agentScores(raw, off, classes, confidence == null ? 0.0 : confidence[row], e, 0, a);
          e[0] += theta;
          Arrays.fill(gA, 0.0);
          if (target == ANY) {
            int c = cleanChoice[row];
            double base = costs.cost(row, c);
            for (int j = 0; j < a; j++) {
              double cj = costs.cost(row, j);
              inU[j] = av.available(row, j) && !Double.isNaN(cj) && cj > base;
            }
          } else {
            for (int j = 0; j < a; j++) {
              inU[j] = j == target && av.available(row, j);
            }
          }
          int up = -1;
          int down = -1;
          for (int j = 0; j < a; j++) {
            if (!av.available(row, j) || !Double.isFinite(e[j])) {
              continue;
            }
            if (inU[j]) {
              up = up < 0 || e[j] > e[up] ? j : up;
            } else {
              down = down < 0 || e[j] > e[down] ? j : down;
            }
          }
          if (up < 0) {
            HeadGradient.backward(head, raw, off, classes, a, gA, grad, width);
            return Double.NEGATIVE_INFINITY;
          }
          if (down < 0) {
            // Only target agents are available: the rule picks one whatever the input.
            HeadGradient.backward(head, raw, off, classes, a, gA, grad, width);
            return Double.POSITIVE_INFINITY;
          }
          gA[up] = 1.0;
          gA[down] = -1.0;
          HeadGradient.backward(head, raw, off, classes, a, gA, grad, width);
          return e[up] - e[down];
        };
    return pgd.attack(scorer, inputs, 0, n, f);
  }

  private AttackResult summarise(
      LearnedPolicy policy,
      DeferralTable table,
      double[] inputs,
      double[] perturbed,
      CostMatrix costs,
      Decisions clean,
      Decisions attacked,
      int target) {
    int n = clean.rows();
    int d = policy.features().dimension();
    int success = 0;
    int changed = 0;
    double norm = 0;
    double[] delta = new double[d];
    for (int i = 0; i < n; i++) {
      int c = clean.agent(i);
      int t = attacked.agent(i);
      if (c != t) {
        changed++;
      }
      boolean ok = target == ANY ? costs.cost(i, t) > costs.cost(i, c) : t == target && c != target;
      if (ok) {
        success++;
      }
      for (int j = 0; j < d; j++) {
        delta[j] = perturbed[i * d + j] - inputs[i * d + j];
      }
      norm = Math.max(norm, pgd.norm().length(delta, 0, d));
    }
    DeferralReport before = DeferralMetrics.evaluate(costs, clean, table);
    DeferralReport after = DeferralMetrics.evaluate(costs, attacked, table);
    AgentSet agents = policy.agents();
    int dear = mostExpensiveExpert(agents, costs);
    String name = agents.get(dear).name();
    return new AttackResult(
        pgd,
        target == ANY ? "any" : agents.get(target).name(),
        n,
        before,
        after,
        n == 0 ? Double.NaN : (double) success / n,
        n == 0 ? Double.NaN : (double) changed / n,
        name,
        before.allocation().getOrDefault(name, 0.0),
        after.allocation().getOrDefault(name, 0.0),
        norm,
        clean,
        attacked);
  }

  /**
   * The most expensive expert: the largest fee, ties broken by the larger mean cost over the
   * table's rows where it is available.
   */
  static int mostExpensiveExpert(AgentSet agents, CostMatrix costs) {
    int best = 1;
    double bestFee = Double.NEGATIVE_INFINITY;
    double bestCost = Double.NEGATIVE_INFINITY;
    for (int j = 1; j < agents.size(); j++) {
      double fee = agents.get(j).fee();
      double sum = 0;
      int m = 0;
      for (int i = 0; i < costs.rows(); i++) {
        double c = costs.cost(i, j);
        if (!Double.isNaN(c)) {
          sum += c;
          m++;
        }
      }
      double mean = m == 0 ? Double.NEGATIVE_INFINITY : sum / m;
      if (fee > bestFee || fee == bestFee && mean > bestCost) {
        best = j;
        bestFee = fee;
        bestCost = mean;
      }
    }
    return best;
  }

  /**
   * θ of a {@code threshold:θ} or {@code calibrated:θ;TARGET} rule (the model's score is compared
   * after adding it), else 0.
   */
  static double thresholdOf(String spec) {
    if (spec.startsWith(org.defer4j.core.policy.CalibratedThreshold.PREFIX)) {
      return ((org.defer4j.core.policy.CalibratedThreshold)
              org.defer4j.core.policy.DecisionRules.parse(spec))
          .theta();
    }
    return spec.startsWith("threshold:") ? Double.parseDouble(spec.substring(10)) : 0.0;
  }
}

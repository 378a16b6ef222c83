package org.defer4j.core.constraint;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.FairDeferralRule;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.ScoreHead;

/**
 * Tunes the d-GNP post-processing rule ({@link FairDeferralRule}; Charusaie and Samadi, NeurIPS
 * 2024, METHODS-2 §D5) on a validation table: over a grid of (k_b, k_f) — 201 × 201 points, k_b in
 * [−1, 1] and k_f in [−1, 1] / min_g |t(g)|, both grids holding 0 — the pair with the best
 * validation system accuracy among those whose deferral rate is at most the budget and whose
 * fairness gap is at most the tolerance (ties: smaller |k_f|, then smaller |k_b|). As in the
 * method, a grid over the multipliers of a deterministic rule; the method's randomised optimum is
 * not attempted.
 *
 * <p>Gaps: {@code dp}, |P(defer | g_0) − P(defer | g_1)|; {@code eo}, the same among the cases the
 * model gets wrong (each group's equal opportunity to have an expert look at a case the model would
 * get wrong). The policy's head must be {@link ScoreHead#ONE_VS_ALL}, whose σ(scores) estimate the
 * agents' correctness; the table needs a {@code group} column with exactly two values.
 *
 * <p>With a confidence level c &gt; 0 (defer4j's addition, not part of d-GNP), the gap constraint
 * is checked on an upper confidence bound instead of the point estimate: |r̂_0 − r̂_1| + z_c · se ≤
 * tolerance, z_c = Φ⁻¹(c), with r̂_g = x_g / n_g the group's rate over the n_g cases it is a rate
 * over (all the group's cases for dp, those the model gets wrong for eo) and se the Agresti–Caffo
 * standard error √(ř_0(1 − ř_0)/(n_0 + 2) + ř_1(1 − ř_1)/(n_1 + 2)), ř_g = (x_g + 1)/(n_g + 2),
 * which stays honest for rates near 0 or 1 (Agresti and Caffo, The American Statistician, 2000).
 * The validation gap of the tuned rule is then small enough that the test gap, an independent
 * estimate of the same quantity, exceeds the tolerance with probability about 1 − c (normal
 * approximation, ignoring that the rule was selected on the validation rows). On small groups no
 * rule may meet the bound; the error then says so.
 */
public final class FairPostProcessor {
  private static final int GRID = 201;

  private final String kind;
  private final double tolerance;
  private final double budget;
  private final double z;

  /**
   * @param kind dp or eo
   * @param tolerance largest allowed gap, in [0, 1]
   * @param budget largest allowed deferral rate, in [0, 1] (1: no budget)
   */
  public FairPostProcessor(String kind, double tolerance, double budget) {
    this(kind, tolerance, budget, 0);
  }

  /**
   * @param kind dp or eo
   * @param tolerance largest allowed gap, in [0, 1]
   * @param budget largest allowed deferral rate, in [0, 1] (1: no budget)
   * @param confidence level of the gap's upper confidence bound, in [0, 1) (0: the point estimate,
   *     as d-GNP)
   */
  public FairPostProcessor(String kind, double tolerance, double budget, double confidence) {
    if (!kind.equals("dp") && !kind.equals("eo")) {
      throw new IllegalArgumentException(
          "fairness constraint must be dp or eo, got '" + kind + "'");
    }
    if (!(tolerance >= 0 && tolerance <= 1) || !(budget >= 0 && budget <= 1)) {
      throw new IllegalArgumentException(
          "tolerance and budget must lie in [0, 1], got " + tolerance + " and " + budget);
    }
    if (!(confidence >= 0 && confidence < 1)) {
      throw new IllegalArgumentException(
          "the confidence level of the gap bound must lie in [0, 1), got " + confidence);
    }
    this.kind = kind;
    this.tolerance = tolerance;
    this.budget = budget;
    this.z = confidence == 0 ? 0 : StableMath.normalQuantile(confidence);
  }

  /**
   * What one rule does on a table.
   *
   * @param n rows
   * @param accuracy system accuracy
   * @param deferralRate share of cases deferred
   * @param gap |r_0 − r_1|, the gap between the groups' rates
   * @param gapSe the gap's standard error √(ř_0(1 − ř_0)/(n_0 + 2) + ř_1(1 − ř_1)/(n_1 + 2)), ř_g =
   *     (x_g + 1)/(n_g + 2) (Agresti and Caffo 2000)
   */
  public record Outcome(int n, double accuracy, double deferralRate, double gap, double gapSe) {}

  /**
   * The tuned rule with what it and the unconstrained argmax rule do on the validation table.
   *
   * @param rule the d-GNP rule
   * @param validation the tuned rule on the validation table
   * @param unconstrained the policy's argmax rule on the validation table
   */
  public record Result(FairDeferralRule rule, Outcome validation, Outcome unconstrained) {}

  /**
   * Tunes the rule on {@code validation}.
   *
   * @throws IllegalArgumentException when the head is not one-vs-all, the table lacks two groups,
   *     or no grid point meets the constraints (the message gives the smallest gap found)
   */
  public Result tune(LearnedPolicy policy, DeferralTable validation) {
    Table t = Table.of(policy, validation);
    double[] w = weights(t, kind);
    double kfMax = 1 / Math.min(Math.abs(w[0]), Math.abs(w[1]));
    FairDeferralRule best = null;
    Outcome bestOut = null;
    double smallestGap = Double.POSITIVE_INFINITY;
    for (int a = 0; a < GRID; a++) {
      double kb = -1 + 2.0 * a / (GRID - 1);
      for (int b = 0; b < GRID; b++) {
        double kf = kfMax * (-1 + 2.0 * b / (GRID - 1));
        FairDeferralRule r =
            new FairDeferralRule(kind, kb, kf, t.groups.get(0), w[0], t.groups.get(1), w[1]);
        Outcome o = t.outcome(r, kind);
        double bound = o.gap() + z * o.gapSe();
        if (o.deferralRate() <= budget + 1e-12) {
          smallestGap = Math.min(smallestGap, bound);
        }
        if (o.deferralRate() > budget + 1e-12 || bound > tolerance + 1e-12) {
          continue;
        }
        if (best == null
            || o.accuracy() > bestOut.accuracy() + 1e-12
            || (Math.abs(o.accuracy() - bestOut.accuracy()) <= 1e-12
                && (Math.abs(kf) < Math.abs(best.kFair()) - 1e-12
                    || (Math.abs(Math.abs(kf) - Math.abs(best.kFair())) <= 1e-12
                        && Math.abs(kb) < Math.abs(best.kBudget()))))) {
          best = r;
          bestOut = o;
        }
      }
    }
    if (best == null) {
      throw new IllegalArgumentException(
          "no d-GNP rule on the grid meets deferral <= "
              + budget
              + " and "
              + kind
              + " gap "
              + (z > 0 ? "(upper confidence bound) " : "")
              + "<= "
              + tolerance
              + " on "
              + validation.source()
              + "; the smallest "
              + (z > 0 ? "bound" : "gap")
              + " within the budget is "
              + smallestGap
              + (z > 0 ? " (lower the confidence level or raise the tolerance)" : ""));
    }
    return new Result(best, bestOut, t.argmaxOutcome(kind));
  }

  /**
   * What a rule (d-GNP or the policy's own) does on a table: accuracy, deferral rate and the gap of
   * the given kind between the two groups of the rule (or of the table, for another rule).
   */
  public static Outcome measure(LearnedPolicy policy, DeferralTable table, String kind) {
    Table t = Table.of(policy.withRule(DecisionRules.argmax()), table);
    Decisions d = policy.decide(table, Availability.observed(policy.task(), table));
    int[] agents = d.agents();
    boolean[] defer = new boolean[t.n];
    for (int i = 0; i < t.n; i++) {
      defer[i] = agents[i] != 0;
    }
    CostMatrix c = Evaluation.costs(policy.task(), table, d);
    int right = 0;
    for (int i = 0; i < t.n; i++) {
      right += c.correct(i, agents[i]) == 1 ? 1 : 0;
    }
    return t.summarise(defer, (double) right / t.n, kind);
  }

  /** t(g_0) = 1/P(g_0 [, model wrong]) and t(g_1) = −1/P(g_1 [, model wrong]). */
  static double[] weights(Table t, String kind) {
    double[] count = new double[2];
    for (int i = 0; i < t.n; i++) {
      if (kind.equals("dp") || !t.modelRight[i]) {
        count[t.group[i]]++;
      }
    }
    if (count[0] == 0 || count[1] == 0) {
      throw new IllegalArgumentException(
          "a group has no "
              + (kind.equals("dp") ? "case" : "case the model gets wrong")
              + " in the validation table, so its rate is undefined");
    }
    return new double[] {t.n / count[0], -t.n / count[1]};
  }

  /** The validation quantities the grid reads, computed once. */
  static final class Table {
    final int n;
    final List<String> groups;
    final int[] group;
    final double[] p0;
    final double[] pBest;
    final boolean[] hasExpert;
    final boolean[] modelAvailable;
    final boolean[] modelRight;
    final boolean[] expertRight;
    final int[] argmaxAgent;

    private Table(int n, List<String> groups) {
      this.n = n;
      this.groups = groups;
      group = new int[n];
      p0 = new double[n];
      pBest = new double[n];
      hasExpert = new boolean[n];
      modelAvailable = new boolean[n];
      modelRight = new boolean[n];
      expertRight = new boolean[n];
      argmaxAgent = new int[n];
    }

    static Table of(LearnedPolicy policy, DeferralTable table) {
      if (policy.head() != ScoreHead.ONE_VS_ALL) {
        throw new IllegalArgumentException(
            "d-GNP reads estimated correctness, which the one-vs-all head gives; policy "
                + policy.name()
                + " has head "
                + policy.head().spec()
                + " (train with --method ova)");
      }
      if (!table.hasGroups()) {
        throw new IllegalArgumentException(table.source() + ": no 'group' column");
      }
      TreeSet<String> names = new TreeSet<>();
      for (int i = 0; i < table.rows(); i++) {
        names.add(table.group(i));
      }
      if (names.size() != 2) {
        throw new IllegalArgumentException(
            table.source() + ": d-GNP compares two groups, the table has " + names);
      }
      Table t = new Table(table.rows(), new ArrayList<>(names));
      Availability av = Availability.observed(policy.task(), table);
      LearnedPolicy argmax = policy.withRule(DecisionRules.argmax());
      Decisions d = argmax.decide(table, av);
      CostMatrix c = Evaluation.costs(policy.task(), table, d);
      int a = policy.agents().size();
      for (int i = 0; i < t.n; i++) {
        t.group[i] = t.groups.indexOf(table.group(i));
        t.modelAvailable[i] = av.available(i, 0);
        t.p0[i] = StableMath.sigmoid(d.score(i, 0));
        int best = -1;
        for (int j = 1; j < a; j++) {
          if (av.available(i, j) && (best < 0 || d.score(i, j) > d.score(i, best))) {
            best = j;
          }
        }
        t.hasExpert[i] = best > 0;
        t.pBest[i] = best > 0 ? StableMath.sigmoid(d.score(i, best)) : 0;
        t.modelRight[i] = c.correct(i, 0) == 1;
        t.expertRight[i] = best > 0 && c.correct(i, best) == 1;
        t.argmaxAgent[i] = d.agents()[i];
      }
      return t;
    }

    Outcome outcome(FairDeferralRule r, String kind) {
      boolean[] defer = new boolean[n];
      int right = 0;
      double[] w = {r.t0(), r.t1()};
      for (int i = 0; i < n; i++) {
        defer[i] = !modelAvailable[i] || (hasExpert[i] && r.defers(p0[i], pBest[i], w[group[i]]));
        right += (defer[i] ? expertRight[i] : modelRight[i]) ? 1 : 0;
      }
      return summarise(defer, (double) right / n, kind);
    }

    Outcome argmaxOutcome(String kind) {
      boolean[] defer = new boolean[n];
      int right = 0;
      for (int i = 0; i < n; i++) {
        defer[i] = argmaxAgent[i] != 0;
        right += (defer[i] ? expertRight[i] : modelRight[i]) ? 1 : 0;
      }
      return summarise(defer, (double) right / n, kind);
    }

    Outcome summarise(boolean[] defer, double accuracy, String kind) {
      double[] num = new double[2];
      double[] den = new double[2];
      int deferred = 0;
      for (int i = 0; i < n; i++) {
        deferred += defer[i] ? 1 : 0;
        if (kind.equals("dp") || !modelRight[i]) {
          den[group[i]]++;
          num[group[i]] += defer[i] ? 1 : 0;
        }
      }
      if (den[0] == 0 || den[1] == 0) {
        return new Outcome(n, accuracy, (double) deferred / n, Double.NaN, Double.NaN);
      }
      double r0 = num[0] / den[0];
      double r1 = num[1] / den[1];
      // Agresti–Caffo: one success and one failure added to each group, so that a rate near 0 or
      // 1 does not report a standard error near 0.
      double a0 = (num[0] + 1) / (den[0] + 2);
      double a1 = (num[1] + 1) / (den[1] + 2);
      double se = Math.sqrt(a0 * (1 - a0) / (den[0] + 2) + a1 * (1 - a1) / (den[1] + 2));
      return new Outcome(n, accuracy, (double) deferred / n, Math.abs(r0 - r1), se);
    }
  }
}

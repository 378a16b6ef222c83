package org.defer4j.core.metric;

import java.util.LinkedHashMap;
import java.util.Map;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.Committees;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * Committee decisions (top-k, k(x)) scored against outcomes under one task. Per case, the members'
 * answers are read — a one-stage class entity answers its class, a learned model its own
 * prediction, the frozen model and the experts their recorded answers — and combined by the
 * committees' {@link Aggregator}; then
 *
 * <pre>
 *   committee cost  = Σ_{distinct member agents} β_j + error(answer)
 *   error(answer)   = λ_cls · 1[answer ≠ y]  (classification),  λ_reg · ρ(answer, t)  (regression)
 *   top-k loss      = Σ_{members} c̃_m   (survey eq. 18: each member's own cost, eq. 17)
 * </pre>
 *
 * where β_j are the task's fees, λ and ρ its cost weights and regression loss, c̃ of a class entity
 * k is α_model·λ_cls·1[k ≠ y] + β_model and of an agent its cell in the cost matrix. The
 * committee's error carries unit α: α_j weighs an agent's own error, and the committee's answer is
 * nobody's alone. A model that sits on a committee for several classes pays its fee once. Members
 * without an answer on the case (not observed) are left out of the vote. Means are weighted by the
 * table's weights; the intervals come from the Poisson bootstrap of {@link Evaluator}.
 *
 * @param name the entry's name, e.g. {@code topk k=2}
 * @param rows n
 * @param meanCost mean committee cost, with its interval
 * @param accuracy share of cases whose committee answer is right (classification; NaN otherwise)
 * @param meanFees mean of the committee fees
 * @param meanError mean of error(answer)
 * @param meanSize mean committee size (entities)
 * @param meanAgents mean number of distinct agents asked
 * @param topKLoss mean of the eq. 18 target loss
 * @param sizes how many cases got each committee size, keyed 1..max
 * @param workload per agent, the share of cases on which it sat on the committee
 */
public record CommitteeEvaluation(
    String name,
    int rows,
    Bootstrap.Interval meanCost,
    Bootstrap.Interval accuracy,
    double meanFees,
    double meanError,
    double meanSize,
    double meanAgents,
    double topKLoss,
    Map<Integer, Integer> sizes,
    Map<String, Double> workload) {

  /** Copies the maps. */
  public CommitteeEvaluation {
    sizes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sizes));
    workload = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(workload));
  }

  /**
   * Scores committee decisions.
   *
   * @param name the entry's name
   * @param decisions decisions with committees, one per table row
   * @param task the evaluation task
   * @param table the labelled table
   * @param options resamples, level, seed and threads of the intervals
   * @throws IllegalArgumentException when the decisions carry no committees, the shapes differ, the
   *     task has no answers to aggregate (multi-task and cost-only tasks), or the aggregator does
   *     not fit the task (a vote on numeric answers)
   */
  public static CommitteeEvaluation of(
      String name,
      Decisions decisions,
      TaskSpec task,
      DeferralTable table,
      Evaluator.Options options) {
    Scan r = scan(name, decisions, task, table);
    AgentSet agents = task.agents();
    double total = 0;
    double fees = 0;
    double errors = 0;
    double size = 0;
    double distinct = 0;
    double topK = 0;
    double[] cost = new double[r.n];
    double[] correct = r.correct == null ? null : new double[r.n];
    Map<Integer, Integer> sizes = new LinkedHashMap<>();
    for (int i = 0; i < r.n; i++) {
      double wi = r.weights == null ? 1.0 : r.weights[i];
      cost[i] = wi * (r.fees[i] + r.error[i]);
      if (correct != null) {
        correct[i] = wi * r.correct[i];
      }
      total += wi;
      fees += wi * r.fees[i];
      errors += wi * r.error[i];
      size += wi * r.size[i];
      distinct += wi * r.agents[i];
      topK += wi * r.topK[i];
      sizes.merge(r.size[i], 1, Integer::sum);
    }
    Map<String, Double> load = new LinkedHashMap<>();
    for (int j = 0; j < agents.size(); j++) {
      load.put(agents.get(j).name(), r.workload[j] / total);
    }
    double meanCost = sum(cost) / total;
    double accuracy = correct != null ? sum(correct) / total : Double.NaN;
    Bootstrap.Interval[] iv = intervals(r.n, r.weights, cost, correct, meanCost, accuracy, options);
    return new CommitteeEvaluation(
        name,
        r.n,
        iv[0],
        iv[1],
        fees / total,
        errors / total,
        size / total,
        distinct / total,
        topK / total,
        sizes,
        load);
  }

  /**
   * Each case's committee error and fees, as {@link #of} computes them (unweighted).
   *
   * @param error error(answer) per case
   * @param fees the committee's fees per case
   * @param size the committee's size per case
   */
  public record RowCosts(double[] error, double[] fees, int[] size) {}

  /** The per-case parts of the committee cost (see {@link #of} for the checks). */
  public static RowCosts rowCosts(Decisions decisions, TaskSpec task, DeferralTable table) {
    Scan r = scan("committees", decisions, task, table);
    return new RowCosts(r.error, r.fees, r.size);
  }

  /** Per-case results of one pass over the committees. */
  private static final class Scan {
    int n;
    double[] weights;
    double[] error;
    double[] fees;
    double[] correct;
    double[] topK;
    int[] size;
    int[] agents;
    double[] workload;
  }

  private static Scan scan(String name, Decisions decisions, TaskSpec task, DeferralTable table) {
    Committees c = decisions.committees();
    if (c == null) {
      throw new IllegalArgumentException(name + ": the decisions carry no committees");
    }
    int n = table.rows();
    if (decisions.rows() != n) {
      throw new IllegalArgumentException(
          name + ": " + decisions.rows() + " decisions for a table of " + n + " rows");
    }
    TaskKind kind = task.kind();
    if (kind != TaskKind.CLASSIFICATION && kind != TaskKind.REGRESSION) {
      throw new IllegalArgumentException(
          name
              + ": committees aggregate answers, so they need a classification or regression"
              + " task; this task is "
              + kind.specName());
    }
    boolean classes = kind == TaskKind.CLASSIFICATION;
    if (c.aggregator().forClasses() != classes) {
      throw new IllegalArgumentException(
          name
              + ": aggregator "
              + c.aggregator().spec()
              + (classes
                  ? " combines numbers; use vote or weighted-vote"
                  : " combines classes; use mean, weighted-mean or median")
              + " for a "
              + kind.specName()
              + " task");
    }
    AgentSet agents = task.agents();
    int a = agents.size();
    CostMatrix costs = Evaluation.costs(task, table, decisions);
    AgentColumns[] cols = new AgentColumns[a];
    for (int j = 0; j < a; j++) {
      String agent = agents.get(j).name();
      cols[j] = table.agents().get(agent);
    }
    CostWeights w = task.cost();
    double[] fee = agents.fees();
    double classError = agents.get(0).alpha() * w.classification();
    Scan r = new Scan();
    r.n = n;
    r.weights = table.hasWeights() ? DeferralMetrics.weights(table, n) : null;
    r.error = new double[n];
    r.fees = new double[n];
    r.correct = classes ? new double[n] : null;
    r.topK = new double[n];
    r.size = new int[n];
    r.agents = new int[n];
    r.workload = new double[a];
    int max = c.maxSize();
    int[] votes = new int[max];
    double[] values = new double[max];
    double[] scores = new double[max];
    boolean[] seen = new boolean[a];
    for (int i = 0; i < n; i++) {
      int k = c.size(i);
      double wi = r.weights == null ? 1.0 : r.weights[i];
      java.util.Arrays.fill(seen, false);
      double rowFees = 0;
      double rowTopK = 0;
      int rowAgents = 0;
      for (int m = 0; m < k; m++) {
        int j = c.agent(i, m);
        int v = c.vote(i, m);
        scores[m] = c.score(i, m);
        if (!seen[j]) {
          seen[j] = true;
          rowFees += fee[j];
          rowAgents++;
          r.workload[j] += wi;
        }
        if (v >= 0) {
          votes[m] = v;
          rowTopK += (v == table.label(i) ? 0.0 : classError) + fee[0];
        } else {
          votes[m] = classes ? answerClass(j, i, decisions, cols) : -1;
          values[m] = classes ? Double.NaN : answerValue(j, i, decisions, cols);
          double own = costs.cost(i, j);
          rowTopK += Double.isNaN(own) ? 0.0 : own;
        }
      }
      double error;
      if (classes) {
        int answer = c.aggregator().aggregateClass(votes, scores, k);
        boolean right = answer >= 0 && answer == table.label(i);
        error = right ? 0.0 : w.classification();
        r.correct[i] = right ? 1.0 : 0.0;
      } else {
        double answer = c.aggregator().aggregateValue(values, scores, k);
        error =
            Double.isNaN(answer)
                ? Double.NaN
                : w.regression() * w.regressionError(answer, table.target(i));
        if (Double.isNaN(error)) {
          throw new IllegalArgumentException(
              name + ": row " + (i + 1) + ": no committee member has an answer");
        }
      }
      r.error[i] = error;
      r.fees[i] = rowFees;
      r.topK[i] = rowTopK;
      r.size[i] = k;
      r.agents[i] = rowAgents;
    }
    return r;
  }

  private static int answerClass(int agent, int row, Decisions d, AgentColumns[] cols) {
    if (agent == 0 && d.hasPredictedClass()) {
      return d.predictedClass(row);
    }
    AgentColumns col = cols[agent];
    if (col == null) {
      return -1;
    }
    int p = col.predictedClass(row);
    return p == AgentColumns.UNOBSERVED ? -1 : p;
  }

  private static double answerValue(int agent, int row, Decisions d, AgentColumns[] cols) {
    if (agent == 0 && d.hasPredictedValue()) {
      return d.predictedValue(row);
    }
    AgentColumns col = cols[agent];
    return col == null ? Double.NaN : col.predictedValue(row);
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  private static Bootstrap.Interval[] intervals(
      int n,
      double[] weights,
      double[] cost,
      double[] correct,
      double meanCost,
      double accuracy,
      Evaluator.Options options) {
    int r = options.resamples();
    if (r == 0) {
      return new Bootstrap.Interval[] {
        new Bootstrap.Interval(meanCost, Double.NaN, Double.NaN, options.level(), 0),
        new Bootstrap.Interval(accuracy, Double.NaN, Double.NaN, options.level(), 0)
      };
    }
    double[][] columns = correct == null ? new double[][] {cost} : new double[][] {cost, correct};
    double[] sums = PoissonBootstrap.sums(n, weights, columns, r, options.seed(), null, 1);
    int width = columns.length + 1;
    double[] rc = PoissonBootstrap.means(sums, width, 1, r);
    double[] ra = correct != null ? PoissonBootstrap.means(sums, width, 2, r) : Evaluator.nans(r);
    return new Bootstrap.Interval[] {
      Bootstrap.percentile(meanCost, rc, options.level(), r),
      Bootstrap.percentile(accuracy, ra, options.level(), r)
    };
  }
}

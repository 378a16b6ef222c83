package org.defer4j.core.metric;

import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.DeferralPolicy;
import org.defer4j.core.task.TaskSpec;

/**
 * Where decisions meet outcomes, under exactly one task: the policy decides the table's cases under
 * the availability the table records ({@link Availability#observed}), the task's cost model turns
 * the outcomes into costs — the learned model's own answers (one-stage policies) fill the model's
 * column — and the metrics score the decisions.
 *
 * @param decisions what the policy decided, exactly as {@code route} writes it
 * @param costs the cost matrix the decisions are scored against
 * @param report the metrics
 */
public record Evaluation(Decisions decisions, CostMatrix costs, DeferralReport report) {

  /**
   * Evaluates a policy on a labelled table.
   *
   * @throws IllegalArgumentException when the table lacks what the task's costs or the policy need
   */
  public static Evaluation of(DeferralPolicy policy, TaskSpec task, DeferralTable table) {
    Decisions d = policy.decide(table, Availability.observed(task, table));
    return of(d, task, table);
  }

  /** Scores decisions already made on a labelled table. */
  public static Evaluation of(Decisions decisions, TaskSpec task, DeferralTable table) {
    CostMatrix c = costs(task, table, decisions);
    return new Evaluation(decisions, c, DeferralMetrics.evaluate(c, decisions, table));
  }

  /** The oracle on a labelled table. */
  public static Evaluation oracle(TaskSpec task, DeferralTable table) {
    CostMatrix c = new CostModel(task).costs(table);
    Decisions d = Oracle.decisions(c);
    return new Evaluation(d, c, DeferralMetrics.evaluate(c, d, table));
  }

  /**
   * The cost matrix for decisions: the learned model's answers fill the model's column when the
   * decisions carry them; otherwise the model's column comes from the table (the frozen model).
   */
  public static CostMatrix costs(TaskSpec task, DeferralTable table, Decisions decisions) {
    CostModel cm = new CostModel(task);
    return decisions.hasModelOutputs()
        ? cm.costs(table, decisions.modelOutputs())
        : cm.costs(table);
  }
}

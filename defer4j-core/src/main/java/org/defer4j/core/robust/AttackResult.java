package org.defer4j.core.robust;

import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.policy.Decisions;

/**
 * What an {@link AllocationAttack} achieved. Both reports score their decisions against the clean
 * cases' costs (eq. 20), so {@code attacked.meanCost() − clean.meanCost()} is the cost inflation.
 *
 * @param pgd the solver options (norm, radius γ, steps, restarts, seed)
 * @param target the forced agent's name, or {@code any}
 * @param rows cases attacked
 * @param clean the clean decisions' metrics
 * @param attacked the attacked decisions' metrics (clean costs)
 * @param successRate share of rows where the attack succeeded (see {@link AllocationAttack})
 * @param changedRate share of rows whose chosen agent changed
 * @param expensiveExpert the most expensive expert (largest fee)
 * @param expensiveShareClean its share of the clean allocation
 * @param expensiveShareAttacked its share of the attacked allocation
 * @param maxPerturbation the largest ‖x' − x‖_p over the rows (≤ γ)
 * @param cleanDecisions the clean decisions
 * @param attackedDecisions the attacked decisions
 */
public record AttackResult(
    Pgd pgd,
    String target,
    int rows,
    DeferralReport clean,
    DeferralReport attacked,
    double successRate,
    double changedRate,
    String expensiveExpert,
    double expensiveShareClean,
    double expensiveShareAttacked,
    double maxPerturbation,
    Decisions cleanDecisions,
    Decisions attackedDecisions) {

  /** The cost inflation: attacked minus clean mean cost. */
  public double costInflation() {
    return attacked.meanCost() - clean.meanCost();
  }

  /** The allocation shift to the most expensive expert (attacked minus clean share). */
  public double allocationShift() {
    return expensiveShareAttacked - expensiveShareClean;
  }
}

package org.defer4j.core.policy;

/**
 * Turns one case's agent scores (A values, 0 = the model, higher = preferred) and its availability
 * into the chosen agent. A learned policy applies its rule to every case; the rule is chosen when
 * the policy is trained and saved with it ({@link #spec()}, parsed back by {@link
 * DecisionRules#parse}). Later rules (top-k committees, conformal sets, budget-aware rules) plug in
 * here.
 *
 * <p>Implementations are immutable and allocation-free per case: the batch loop of a learned policy
 * calls {@link #choose} millions of times a second.
 */
public interface DecisionRule {

  /** The rule's saved spelling, e.g. {@code argmax} or {@code threshold:0.25}. */
  String spec();

  /**
   * The chosen agent of one case.
   *
   * @param scores the agent scores of all cases, row-major
   * @param offset where this case's A scores start
   * @param available the availability mask of all cases, row-major n × A
   * @param availableOffset where this case's A flags start
   * @param agents A
   * @return the chosen agent index, or −1 when no agent is available
   */
  int choose(double[] scores, int offset, boolean[] available, int availableOffset, int agents);
}

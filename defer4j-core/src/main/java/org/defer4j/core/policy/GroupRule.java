package org.defer4j.core.policy;

/**
 * A decision rule that also reads the case's protected group (the table's {@code group} column), as
 * the fairness-constrained post-processing rule does ({@link FairDeferralRule}). A learned policy
 * hands it each case's group when it decides a table; a case without one cannot be decided.
 */
public interface GroupRule extends DecisionRule {
  /**
   * As {@link #choose}, for a case of group {@code group}.
   *
   * @throws IllegalArgumentException when the group is null or one the rule does not know
   */
  int chooseInGroup(
      double[] scores,
      int offset,
      boolean[] available,
      int availableOffset,
      int agents,
      String group);

  /**
   * Without a group the rule cannot decide.
   *
   * @throws IllegalArgumentException always
   */
  @Override
  default int choose(
      double[] scores, int offset, boolean[] available, int availableOffset, int agents) {
    throw new IllegalArgumentException(
        "decision rule " + spec() + " reads each case's group; give the cases a 'group' column");
  }
}

package org.defer4j.core.online;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.defer4j.core.policy.Decision;

/** Builds a router's {@link Decision} for one round (one chosen agent, the others' reasons). */
final class RoundDecisions {
  private RoundDecisions() {}

  /**
   * @param chosen the chosen agent's index in {@code round.agents()} (must be available)
   * @param scores per agent, higher = preferred (NaN where none; set to NaN for unavailable agents)
   * @param expectedCosts per agent (NaN where none)
   * @param byRule true when the choice was not the top score (sampling, random, IDS)
   */
  static Decision of(
      OnlineRound round, int chosen, double[] scores, double[] expectedCosts, boolean byRule) {
    if (!round.isAvailable(chosen)) {
      throw new IllegalStateException(
          "router chose unavailable agent " + round.agents().get(chosen));
    }
    int a = round.agents().size();
    List<Decision.Reason> reasons = new ArrayList<>(a);
    double[] s = scores.clone();
    double[] c = expectedCosts.clone();
    for (int j = 0; j < a; j++) {
      if (!round.isAvailable(j)) {
        reasons.add(Decision.Reason.UNAVAILABLE);
        s[j] = Double.NaN;
        c[j] = Double.NaN;
      } else if (j == chosen) {
        reasons.add(Decision.Reason.CHOSEN);
      } else {
        reasons.add(byRule ? Decision.Reason.RULE : Decision.Reason.LOWER_SCORE);
      }
    }
    return new Decision(
        round.id(),
        Decision.Kind.AGENT,
        List.of(round.agents().get(chosen)),
        round.agents(),
        s,
        c,
        reasons,
        false,
        -1,
        Double.NaN);
  }

  /** An all-NaN per-agent array for the round. */
  static double[] nan(OnlineRound round) {
    double[] out = new double[round.agents().size()];
    Arrays.fill(out, Double.NaN);
    return out;
  }

  /** The index of the chosen agent of a decision in its round. */
  static int chosenIndex(OnlineRound round, Decision decision) {
    int j = round.agents().indexOf(decision.agent());
    if (j < 0) {
      throw new IllegalArgumentException(
          "decision chose " + decision.agent() + ", not in the round");
    }
    return j;
  }
}

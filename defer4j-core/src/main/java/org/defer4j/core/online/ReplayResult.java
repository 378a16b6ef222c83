package org.defer4j.core.online;

import java.util.List;

/**
 * What one replay produced: per round the chosen agent and its cost, the oracle's cost, and the
 * summary the paper reports.
 *
 * @param method the router's name
 * @param feedback the feedback mode
 * @param seed the router's seed
 * @param agents the stream's agents
 * @param rounds the played rounds' indices in the stream
 * @param chosen per played round, the chosen agent's index
 * @param cost per played round, the chosen agent's cost
 * @param oracle per played round, the cheapest available agent's cost
 * @param meanCost the mean of {@code cost}
 * @param oracleMeanCost the mean of {@code oracle}
 * @param agentAlone per agent, its mean cost over the played rounds where it is available (NaN if
 *     never)
 * @param agentRounds per agent, on how many played rounds it is available
 * @param bestFixed the agent with the lowest {@code agentAlone}
 * @param seconds the wall time of the replay (decide + update), in seconds
 */
public record ReplayResult(
    String method,
    FeedbackMode feedback,
    long seed,
    List<String> agents,
    int[] rounds,
    int[] chosen,
    double[] cost,
    double[] oracle,
    double meanCost,
    double oracleMeanCost,
    double[] agentAlone,
    int[] agentRounds,
    String bestFixed,
    double seconds) {

  /** Σ_{s ≤ t} (cost_s − oracle_s), per played round. */
  public double[] cumulativeRegret() {
    double[] out = new double[cost.length];
    double acc = 0.0;
    for (int t = 0; t < cost.length; t++) {
      acc += cost[t] - oracle[t];
      out[t] = acc;
    }
    return out;
  }

  /**
   * Σ_{s ≤ t} (cost_s − c_s(best fixed agent)), per played round, counting only the rounds where
   * the best fixed agent is available (NaN-free; 0 added elsewhere).
   */
  public double[] cumulativeRegretToBestFixed(double[][] streamCosts) {
    int k = agents.indexOf(bestFixed);
    double[] out = new double[cost.length];
    double acc = 0.0;
    for (int t = 0; t < cost.length; t++) {
      double c = streamCosts[rounds[t]][k];
      if (!Double.isNaN(c)) {
        acc += cost[t] - c;
      }
      out[t] = acc;
    }
    return out;
  }

  /** The share of played rounds in [from, to) on which {@code agent} was chosen. */
  public double share(String agent, int from, int to) {
    int k = agents.indexOf(agent);
    int hits = 0;
    int total = 0;
    for (int t = 0; t < rounds.length; t++) {
      if (rounds[t] >= from && rounds[t] < to) {
        total++;
        hits += chosen[t] == k ? 1 : 0;
      }
    }
    return total == 0 ? Double.NaN : (double) hits / total;
  }

  /** The mean chosen cost over played rounds in [from, to). */
  public double meanCost(int from, int to) {
    double s = 0.0;
    int total = 0;
    for (int t = 0; t < rounds.length; t++) {
      if (rounds[t] >= from && rounds[t] < to) {
        s += cost[t];
        total++;
      }
    }
    return total == 0 ? Double.NaN : s / total;
  }

  /** Rounds per second of the replay. */
  public double roundsPerSecond() {
    return seconds > 0.0 ? rounds.length / seconds : Double.POSITIVE_INFINITY;
  }
}

package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.defer4j.core.agent.AgentSet;

/**
 * Per-expert workload against a capacity per period: the table's rows, in order, are cut into
 * periods of {@code period} consecutive cases; an expert meets its capacity when no period gives it
 * more cases than the capacity.
 */
public final class CapacityCompliance {
  private CapacityCompliance() {}

  /**
   * One expert's workload against its capacity.
   *
   * @param agent the expert
   * @param capacity its capacity per period
   * @param period cases per period
   * @param periods the number of periods (the last may be shorter)
   * @param cases the cases it received in all
   * @param mostInAPeriod the most cases it received in one period
   * @param periodsOver the periods in which it received more than its capacity
   */
  public record Row(
      String agent,
      int capacity,
      int period,
      int periods,
      int cases,
      int mostInAPeriod,
      int periodsOver) {
    /** Whether no period exceeded the capacity. */
    public boolean met() {
      return periodsOver == 0;
    }
  }

  /**
   * The rows of each capped expert.
   *
   * @param chosen the chosen agent per case, in arrival order
   * @param agents the agents
   * @param capacity expert name → capacity per period (≥ 0)
   * @param period cases per period (≥ 1)
   * @throws IllegalArgumentException naming an unknown expert or a bad value
   */
  public static List<Row> of(
      int[] chosen, AgentSet agents, Map<String, Integer> capacity, int period) {
    if (period < 1) {
      throw new IllegalArgumentException("a period must hold at least 1 case, got " + period);
    }
    List<Row> out = new ArrayList<>();
    int n = chosen.length;
    int periods = (n + period - 1) / period;
    for (Map.Entry<String, Integer> e : capacity.entrySet()) {
      int j = agents.contains(e.getKey()) ? agents.indexOf(e.getKey()) : -1;
      if (j <= 0) {
        throw new IllegalArgumentException(
            "capacity of " + e.getKey() + ": not an expert; agents are " + agents);
      }
      int cap = e.getValue();
      if (cap < 0) {
        throw new IllegalArgumentException(
            "capacity of " + e.getKey() + " must be >= 0, got " + cap);
      }
      int total = 0;
      int most = 0;
      int over = 0;
      for (int s = 0; s < n; s += period) {
        int c = 0;
        for (int i = s; i < Math.min(n, s + period); i++) {
          c += chosen[i] == j ? 1 : 0;
        }
        total += c;
        most = Math.max(most, c);
        over += c > cap ? 1 : 0;
      }
      out.add(new Row(e.getKey(), cap, period, periods, total, most, over));
    }
    return out;
  }
}

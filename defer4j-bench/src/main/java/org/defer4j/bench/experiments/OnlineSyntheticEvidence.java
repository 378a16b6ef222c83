package org.defer4j.bench.experiments;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.defer4j.core.online.FeedbackMode;
import org.defer4j.core.online.OnlineMethods;
import org.defer4j.core.online.OnlineReplay;
import org.defer4j.core.online.OnlineSettings;
import org.defer4j.core.online.OnlineStream;
import org.defer4j.core.online.ReplayResult;
import org.defer4j.core.online.SyntheticStreams;

/**
 * The synthetic evidence of docs/results.md, "Online deferral": on {@link SyntheticStreams#arrival}
 * (3000 rounds; the best expert arrives at round 1000; incumbent2 away on rounds 1000..1999) and
 * {@link SyntheticStreams#regimeSwitch} (2000 rounds, switch at 1000), for every method with bandit
 * feedback, means over 5 seeds (stream and router seeds 0..4): the newcomer's share of the choices
 * in windows after its arrival, the rounds until it has taken 80 % of a 20-round window, mean cost
 * and regret against the oracle per round in the two halves.
 *
 * <p>Usage: {@code OnlineSyntheticEvidence}; markdown to standard output.
 */
public final class OnlineSyntheticEvidence {
  private OnlineSyntheticEvidence() {}

  private static final int SEEDS = 5;

  private static Map<String, Map<String, String>> methods() {
    Map<String, Map<String, String>> m = new LinkedHashMap<>();
    m.put("l2d-slds", Map.of("init", "none", "noise", "0.1"));
    m.put("linucb", Map.of());
    m.put("linucb γ=0.98", Map.of("discount", "0.98"));
    m.put("shared-linucb", Map.of());
    m.put("lints", Map.of());
    m.put("online-l2d", Map.of());
    m.put("random", Map.of());
    return m;
  }

  private static ReplayResult run(
      String label, Map<String, String> set, OnlineStream s, long seed) {
    String method = label.split(" ")[0];
    return OnlineReplay.run(
        s,
        OnlineMethods.create(method, OnlineSettings.of(set), s, FeedbackMode.BANDIT, seed),
        FeedbackMode.BANDIT,
        1,
        seed);
  }

  /** The first round ≥ from at which the agent holds ≥ share of the trailing 20 played rounds. */
  private static int takeover(ReplayResult r, String agent, int from, double share) {
    int k = r.agents().indexOf(agent);
    int hits = 0;
    for (int i = 0; i < r.rounds().length; i++) {
      hits += r.chosen()[i] == k ? 1 : 0;
      if (i >= 20) {
        hits -= r.chosen()[i - 20] == k ? 1 : 0;
      }
      if (r.rounds()[i] >= from + 19 && hits >= share * 20) {
        return r.rounds()[i] - from;
      }
    }
    return -1;
  }

  /** Runs both experiments. */
  public static void main(String[] args) {
    System.out.println(
        "Arrival: newcomer (expected cost 0.13) arrives at round 1000 of 3000;"
            + " best incumbent 1.09. Means over 5 seeds.\n");
    System.out.println(
        "| method | newcomer share 1000–1099 | 1100–2999 | rounds to 80 % of a"
            + " 20-round window | mean cost 1100–2999 | regret/round vs oracle 1–1499 | 1500–2999 |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, Map<String, String>> m : methods().entrySet()) {
      double s1 = 0;
      double s2 = 0;
      double take = 0;
      int missed = 0;
      double cost = 0;
      double r1 = 0;
      double r2 = 0;
      for (long seed = 0; seed < SEEDS; seed++) {
        OnlineStream s = SyntheticStreams.arrival(3000, 1000, seed);
        ReplayResult r = run(m.getKey(), m.getValue(), s, seed);
        s1 += r.share("newcomer", 1000, 1100) / SEEDS;
        s2 += r.share("newcomer", 1100, 3000) / SEEDS;
        int t = takeover(r, "newcomer", 1000, 0.8);
        if (t < 0) {
          missed++;
        } else {
          take += t;
        }
        cost += r.meanCost(1100, 3000) / SEEDS;
        double[] reg = r.cumulativeRegret();
        int half = 1499;
        r1 += reg[half - 1] / half / SEEDS;
        r2 += (reg[reg.length - 1] - reg[half - 1]) / (reg.length - half) / SEEDS;
      }
      String takeText =
          missed == SEEDS
              ? "never"
              : String.format(Locale.ROOT, "%.0f", take / (SEEDS - missed))
                  + (missed > 0 ? " (" + missed + " seeds never)" : "");
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f | %.2f | %s | %.3f | %.3f | %.3f |%n",
          m.getKey(),
          s1,
          s2,
          takeText,
          cost,
          r1,
          r2);
    }
    System.out.println(
        "\nRegime switch at round 1000 of 2000: a (0.18 → 2.34) and b (2.34 →"
            + " 0.18). Means over 5 seeds.\n");
    System.out.println(
        "| method | share of a 1–999 | share of b 1000–1099 | 1200–1999 |"
            + " rounds to 80 % of b | mean cost 1–999 | 1000–1999 |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, Map<String, String>> m : methods().entrySet()) {
      double a = 0;
      double b1 = 0;
      double b2 = 0;
      double take = 0;
      int missed = 0;
      double c1 = 0;
      double c2 = 0;
      for (long seed = 0; seed < SEEDS; seed++) {
        OnlineStream s = SyntheticStreams.regimeSwitch(2000, 1000, seed);
        ReplayResult r = run(m.getKey(), m.getValue(), s, seed);
        a += r.share("a", 1, 1000) / SEEDS;
        b1 += r.share("b", 1000, 1100) / SEEDS;
        b2 += r.share("b", 1200, 2000) / SEEDS;
        int t = takeover(r, "b", 1000, 0.8);
        if (t < 0) {
          missed++;
        } else {
          take += t;
        }
        c1 += r.meanCost(1, 1000) / SEEDS;
        c2 += r.meanCost(1000, 2000) / SEEDS;
      }
      String takeText =
          missed == SEEDS
              ? "never"
              : String.format(Locale.ROOT, "%.0f", take / (SEEDS - missed))
                  + (missed > 0 ? " (" + missed + " seeds never)" : "");
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f | %.2f | %.2f | %s | %.3f | %.3f |%n",
          m.getKey(),
          a,
          b1,
          b2,
          takeText,
          c1,
          c2);
    }
  }
}

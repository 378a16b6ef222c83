package org.defer4j.core.online;

import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.policy.Decision;

/**
 * Replays a stream through a router: per round {@code decide} sees only the context and the
 * availability; the outcomes are then revealed as the feedback mode allows — the chosen agent's
 * alone ({@link FeedbackMode#BANDIT}) or every available agent's, the chosen first ({@link
 * FeedbackMode#FULL}). Rounds before {@code start} are not played (the paper plays and averages
 * rounds 1..T−1: {@code start = 1}); rounds where no agent can be asked are skipped.
 */
public final class OnlineReplay {
  private OnlineReplay() {}

  /** A listener told of each played round (for progress bars and traces). */
  public interface Listener {
    /** Called after round {@code t}'s update. */
    void played(int t, Decision decision, double cost);
  }

  /** Replays without a listener. */
  public static ReplayResult run(
      OnlineStream stream, OnlineRouter router, FeedbackMode mode, int start, long seed) {
    return run(stream, router, mode, start, seed, null);
  }

  /**
   * Replays the stream.
   *
   * @param start the first round played (0 ≤ start &lt; rounds)
   * @param seed recorded in the result (the router was built with it)
   * @param listener told of each round, or null
   */
  public static ReplayResult run(
      OnlineStream stream,
      OnlineRouter router,
      FeedbackMode mode,
      int start,
      long seed,
      Listener listener) {
    int n = stream.rounds();
    if (start < 0 || start >= n) {
      throw new IllegalArgumentException(
          "start round " + start + " is outside the stream's " + n + " rounds");
    }
    int a = stream.agents().size();
    List<Integer> played = new ArrayList<>();
    List<Integer> chosen = new ArrayList<>();
    List<Double> costs = new ArrayList<>();
    List<Double> oracle = new ArrayList<>();
    double[] aloneSum = new double[a];
    int[] aloneCount = new int[a];
    long t0 = System.nanoTime();
    for (int t = start; t < n; t++) {
      if (!stream.playable(t)) {
        continue;
      }
      OnlineRound round = stream.round(t);
      Decision decision = router.decide(round);
      int j = RoundDecisions.chosenIndex(round, decision);
      double[] c = stream.costs()[t];
      double[] r = stream.residuals()[t];
      List<Outcome> revealed = new ArrayList<>();
      revealed.add(new Outcome(stream.agents().get(j), c[j], r[j]));
      if (mode == FeedbackMode.FULL) {
        for (int k = 0; k < a; k++) {
          if (k != j && stream.available()[t][k]) {
            revealed.add(new Outcome(stream.agents().get(k), c[k], r[k]));
          }
        }
      }
      router.update(round, decision, List.copyOf(revealed));
      double best = Double.POSITIVE_INFINITY;
      for (int k = 0; k < a; k++) {
        if (stream.available()[t][k]) {
          best = Math.min(best, c[k]);
          aloneSum[k] += c[k];
          aloneCount[k]++;
        }
      }
      played.add(t);
      chosen.add(j);
      costs.add(c[j]);
      oracle.add(best);
      if (listener != null) {
        listener.played(t, decision, c[j]);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    int m = played.size();
    int[] rounds = new int[m];
    int[] ch = new int[m];
    double[] cost = new double[m];
    double[] orc = new double[m];
    double sum = 0.0;
    double osum = 0.0;
    for (int i = 0; i < m; i++) {
      rounds[i] = played.get(i);
      ch[i] = chosen.get(i);
      cost[i] = costs.get(i);
      orc[i] = oracle.get(i);
      sum += cost[i];
      osum += orc[i];
    }
    double[] alone = new double[a];
    String bestFixed = null;
    double bestAlone = Double.POSITIVE_INFINITY;
    for (int k = 0; k < a; k++) {
      alone[k] = aloneCount[k] == 0 ? Double.NaN : aloneSum[k] / aloneCount[k];
      if (alone[k] < bestAlone) {
        bestAlone = alone[k];
        bestFixed = stream.agents().get(k);
      }
    }
    return new ReplayResult(
        router.name(),
        mode,
        seed,
        stream.agents(),
        rounds,
        ch,
        cost,
        orc,
        m == 0 ? Double.NaN : sum / m,
        m == 0 ? Double.NaN : osum / m,
        alone,
        aloneCount,
        bestFixed,
        seconds);
  }
}

package org.defer4j.bench.experiments;

import java.util.Arrays;
import java.util.Locale;
import org.defer4j.core.online.FeedbackMode;
import org.defer4j.core.online.OnlineMethods;
import org.defer4j.core.online.OnlineReplay;
import org.defer4j.core.online.OnlineSettings;
import org.defer4j.core.online.OnlineStream;
import org.defer4j.core.online.ReplayResult;
import org.defer4j.core.online.SyntheticStreams;

/**
 * Rounds per second (decide + update) of every online method with 5 and with 50 experts, bandit
 * feedback, on {@link SyntheticStreams#pool} (8 context features, each expert but one away 10 % of
 * rounds). Per cell: three warm-up replays, then {@code repeats} timed replays of the whole stream,
 * each with a fresh router; the median is reported with the min–max range.
 *
 * <p>Usage: {@code OnlineThroughput [ROUNDS] [REPEATS]} (default 4000 rounds, 5 repeats); a
 * markdown table goes to standard output.
 */
public final class OnlineThroughput {
  private static final int WARMUP = 3;

  private OnlineThroughput() {}

  /** Runs the measurement. */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.println(
        "| method | 5 experts: rounds/s (min–max) | 50 experts: rounds/s (min–max) |");
    System.out.println("|---|---:|---:|");
    for (String method : OnlineMethods.NAMES) {
      StringBuilder row = new StringBuilder("| " + method + " |");
      for (int experts : new int[] {5, 50}) {
        OnlineStream s = SyntheticStreams.pool(experts, rounds, 8, 1);
        double[] rps = new double[repeats];
        for (int r = -WARMUP; r < repeats; r++) {
          ReplayResult res =
              OnlineReplay.run(
                  s,
                  OnlineMethods.create(
                      method, OnlineSettings.defaults(), s, FeedbackMode.BANDIT, r + WARMUP + 1),
                  FeedbackMode.BANDIT,
                  1,
                  r + 1);
          if (r >= 0) {
            rps[r] = res.roundsPerSecond();
          }
        }
        Arrays.sort(rps);
        row.append(
            String.format(
                Locale.ROOT, " %,.0f (%,.0f–%,.0f) |", rps[repeats / 2], rps[0], rps[repeats - 1]));
      }
      System.out.println(row);
    }
  }
}

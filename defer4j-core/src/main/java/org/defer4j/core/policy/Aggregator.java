package org.defer4j.core.policy;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a committee's members' answers become one answer (survey §6.3: "majority vote over the
 * members' answers" is its example; the weighted forms are defer4j's options).
 *
 * <ul>
 *   <li>{@link #VOTE}: the most frequent class among the members' answers; a tie goes to the tied
 *       class whose first voter ranks highest in the committee (members are ordered by score).
 *   <li>{@link #WEIGHTED_VOTE}: each member's vote weighs w_m = softmax of the members' scores over
 *       the committee; the class with the largest total weight (ties as for {@link #VOTE}).
 *   <li>{@link #MEAN} / {@link #WEIGHTED_MEAN} / {@link #MEDIAN}: for numeric answers (regression),
 *       the mean, the softmax-score-weighted mean, or the median (the mean of the two middle values
 *       for an even count).
 * </ul>
 *
 * Members without an answer (NaN value, negative class) are skipped; a committee with no answer
 * gives −1 / NaN.
 */
public enum Aggregator {
  /** Majority vote, ties to the highest-ranked voter. */
  VOTE,
  /** Vote weighted by the softmax of the members' scores. */
  WEIGHTED_VOTE,
  /** Mean of numeric answers. */
  MEAN,
  /** Mean weighted by the softmax of the members' scores. */
  WEIGHTED_MEAN,
  /** Median of numeric answers. */
  MEDIAN;

  /**
   * The spelling on the command line and in policy files: {@code vote}, {@code weighted-vote}...
   */
  public String spec() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses {@link #spec()}.
   *
   * @throws IllegalArgumentException listing the spellings
   */
  public static Aggregator parse(String text) {
    for (Aggregator a : values()) {
      if (a.spec().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown committee aggregator '"
            + text
            + "'; expected vote, weighted-vote, mean, weighted-mean or median");
  }

  /** Whether the aggregator combines class answers (else numeric answers). */
  public boolean forClasses() {
    return this == VOTE || this == WEIGHTED_VOTE;
  }

  /**
   * The committee's class.
   *
   * @param answers the members' classes in rank order (negative = no answer)
   * @param scores the members' scores, aligned
   * @param n the committee size (entries read)
   * @return the class, or −1 when no member answered
   */
  public int aggregateClass(int[] answers, double[] scores, int n) {
    if (!forClasses()) {
      throw new IllegalStateException(spec() + " aggregates numeric answers, not classes");
    }
    double[] w = this == WEIGHTED_VOTE ? softmax(scores, answers, n) : null;
    int best = -1;
    double bestWeight = 0;
    for (int m = 0; m < n; m++) {
      int c = answers[m];
      if (c < 0 || firstVoter(answers, m)) {
        continue;
      }
      double total = 0;
      for (int o = m; o < n; o++) {
        if (answers[o] == c) {
          total += w == null ? 1.0 : w[o];
        }
      }
      // Strictly greater: a tied class whose first voter ranks lower never displaces the leader.
      if (best < 0 || total > bestWeight) {
        best = c;
        bestWeight = total;
      }
    }
    return best;
  }

  /** Whether an earlier member already voted for answers[m] (so it was counted). */
  private static boolean firstVoter(int[] answers, int m) {
    for (int o = 0; o < m; o++) {
      if (answers[o] == answers[m]) {
        return true;
      }
    }
    return false;
  }

  /**
   * The committee's numeric answer.
   *
   * @param values the members' values in rank order (NaN = no answer)
   * @param scores the members' scores, aligned
   * @param n the committee size
   * @return the value, or NaN when no member answered
   */
  public double aggregateValue(double[] values, double[] scores, int n) {
    if (forClasses()) {
      throw new IllegalStateException(spec() + " aggregates classes, not numeric answers");
    }
    int[] has = new int[n];
    int count = 0;
    for (int m = 0; m < n; m++) {
      if (!Double.isNaN(values[m])) {
        has[count++] = m;
      }
    }
    if (count == 0) {
      return Double.NaN;
    }
    switch (this) {
      case MEAN -> {
        double s = 0;
        for (int m = 0; m < count; m++) {
          s += values[has[m]];
        }
        return s / count;
      }
      case WEIGHTED_MEAN -> {
        double max = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < count; m++) {
          max = Math.max(max, scores[has[m]]);
        }
        double num = 0;
        double den = 0;
        for (int m = 0; m < count; m++) {
          double w = Math.exp(scores[has[m]] - max);
          num += w * values[has[m]];
          den += w;
        }
        return num / den;
      }
      default -> {
        double[] v = new double[count];
        for (int m = 0; m < count; m++) {
          v[m] = values[has[m]];
        }
        Arrays.sort(v);
        return count % 2 == 1 ? v[count / 2] : 0.5 * (v[count / 2 - 1] + v[count / 2]);
      }
    }
  }

  /** Softmax weights of the answering members' scores (0 for members without an answer). */
  private static double[] softmax(double[] scores, int[] answers, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int m = 0; m < n; m++) {
      if (answers[m] >= 0) {
        max = Math.max(max, scores[m]);
      }
    }
    double[] w = new double[n];
    double sum = 0;
    for (int m = 0; m < n; m++) {
      if (answers[m] >= 0) {
        w[m] = Math.exp(scores[m] - max);
        sum += w[m];
      }
    }
    for (int m = 0; m < n; m++) {
      w[m] /= sum;
    }
    return w;
  }
}

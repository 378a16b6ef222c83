package org.defer4j.core.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.defer4j.core.Checks;

/**
 * The committees of a batch of decisions, stored by column: for case i its members m = 0..size(i)−1
 * in decreasing score order, each an agent ({@link #agent}), the score that ranked it ({@link
 * #score}) and, for a one-stage policy's class entities, the class it stands for ({@link #vote}; −1
 * when the member answers for itself, which only the outcome reveals). A one-stage policy's model
 * can sit on a committee several times, once per class entity among the top k (survey eq. 18: the
 * entities are the K classes and the J experts).
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class Committees {
  private final int[] offsets;
  private final int[] agent;
  private final int[] vote;
  private final double[] score;
  private final Aggregator aggregator;

  /**
   * @param offsets n + 1 non-decreasing offsets into the member arrays, starting at 0, each
   *     committee non-empty
   * @param agent the member agents
   * @param vote the class a member stands for, or −1
   * @param score the members' scores
   * @param aggregator how members' answers combine
   * @throws IllegalArgumentException on inconsistent shapes or an empty committee
   */
  public static Committees of(
      int[] offsets, int[] agent, int[] vote, double[] score, Aggregator aggregator) {
    return new Committees(offsets.clone(), agent.clone(), vote.clone(), score.clone(), aggregator);
  }

  private Committees(
      int[] offsets, int[] agent, int[] vote, double[] score, Aggregator aggregator) {
    if (offsets.length == 0 || offsets[0] != 0) {
      throw new IllegalArgumentException("committee offsets must start at 0");
    }
    int total = offsets[offsets.length - 1];
    Checks.checkDimension("committee agents", agent.length, total);
    Checks.checkDimension("committee votes", vote.length, total);
    Checks.checkDimension("committee scores", score.length, total);
    for (int i = 0; i + 1 < offsets.length; i++) {
      if (offsets[i + 1] <= offsets[i]) {
        throw new IllegalArgumentException("committee of row " + (i + 1) + " is empty");
      }
    }
    if (aggregator == null) {
      throw new IllegalArgumentException("a committee needs an aggregator");
    }
    this.offsets = offsets;
    this.agent = agent;
    this.vote = vote;
    this.score = score;
    this.aggregator = aggregator;
  }

  /** Adopts arrays just made by this package (no copy). */
  static Committees adopt(
      int[] offsets, int[] agent, int[] vote, double[] score, Aggregator aggregator) {
    return new Committees(offsets, agent, vote, score, aggregator);
  }

  /** Number of cases. */
  public int rows() {
    return offsets.length - 1;
  }

  /** The size of case i's committee (entities, so a model standing for two classes counts 2). */
  public int size(int i) {
    return offsets[i + 1] - offsets[i];
  }

  /** The agent of member m of case i. */
  public int agent(int i, int m) {
    return agent[offsets[i] + m];
  }

  /** The class member m of case i stands for, or −1 when it answers for itself. */
  public int vote(int i, int m) {
    return vote[offsets[i] + m];
  }

  /** The score of member m of case i. */
  public double score(int i, int m) {
    return score[offsets[i] + m];
  }

  /** How the members' answers combine. */
  public Aggregator aggregator() {
    return aggregator;
  }

  /** The largest committee. */
  public int maxSize() {
    int max = 0;
    for (int i = 0; i < rows(); i++) {
      max = Math.max(max, size(i));
    }
    return max;
  }

  /** The distinct agents of case i's committee, in rank order. */
  public int[] distinctAgents(int i) {
    int[] out = new int[size(i)];
    int n = 0;
    for (int m = 0; m < size(i); m++) {
      int a = agent(i, m);
      boolean seen = false;
      for (int o = 0; o < n && !seen; o++) {
        seen = out[o] == a;
      }
      if (!seen) {
        out[n++] = a;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The committees of the given rows, in that order. */
  public Committees select(int[] rows) {
    int[] off = new int[rows.length + 1];
    for (int r = 0; r < rows.length; r++) {
      off[r + 1] = off[r] + size(rows[r]);
    }
    int[] a = new int[off[rows.length]];
    int[] v = new int[a.length];
    double[] s = new double[a.length];
    for (int r = 0; r < rows.length; r++) {
      int from = offsets[rows[r]];
      int len = size(rows[r]);
      System.arraycopy(agent, from, a, off[r], len);
      System.arraycopy(vote, from, v, off[r], len);
      System.arraycopy(score, from, s, off[r], len);
    }
    return new Committees(off, a, v, s, aggregator);
  }

  /** Consecutive batches' committees as one (one aggregator). */
  public static Committees concat(List<Committees> parts) {
    Aggregator agg = parts.get(0).aggregator;
    int rows = 0;
    int total = 0;
    for (Committees c : parts) {
      if (c.aggregator != agg) {
        throw new IllegalArgumentException("committees with different aggregators");
      }
      rows += c.rows();
      total += c.agent.length;
    }
    int[] off = new int[rows + 1];
    int[] a = new int[total];
    int[] v = new int[total];
    double[] s = new double[total];
    int r = 0;
    int at = 0;
    for (Committees c : parts) {
      for (int i = 0; i < c.rows(); i++) {
        off[r + 1] = off[r] + c.size(i);
        r++;
      }
      System.arraycopy(c.agent, 0, a, at, c.agent.length);
      System.arraycopy(c.vote, 0, v, at, c.vote.length);
      System.arraycopy(c.score, 0, s, at, c.score.length);
      at += c.agent.length;
    }
    return new Committees(off, a, v, s, agg);
  }

  /** Case i's members as "agent" or "agent=class" strings, in rank order (for messages, files). */
  public List<String> describe(int i, String[] agentNames, List<String> classNames) {
    List<String> out = new ArrayList<>(size(i));
    for (int m = 0; m < size(i); m++) {
      int c = vote(i, m);
      String name = agentNames[agent(i, m)];
      out.add(c < 0 ? name : name + "=" + (classNames.isEmpty() ? c : classNames.get(c)));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Committees c
        && Arrays.equals(offsets, c.offsets)
        && Arrays.equals(agent, c.agent)
        && Arrays.equals(vote, c.vote)
        && Arrays.equals(score, c.score)
        && aggregator == c.aggregator;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(agent);
  }
}

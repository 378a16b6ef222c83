package org.defer4j.core.online;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a router knows before it chooses on one round: the context, the agents it may hear of and
 * which of them can be asked now, with their fees. Nothing about outcomes.
 *
 * @param index the round's position in the stream (0-based)
 * @param id the case's id (its row number as text when the stream has none)
 * @param context the context features x_t (copied)
 * @param agents the agents' names (the order of {@code available} and {@code fees})
 * @param available which agents may be asked on this round (copied; at least one)
 * @param fees each agent's consultation fee β_j, known in advance (copied)
 */
public record OnlineRound(
    int index,
    String id,
    double[] context,
    List<String> agents,
    boolean[] available,
    double[] fees) {
  /** Validates and copies. */
  public OnlineRound {
    Objects.requireNonNull(id, "id");
    agents = List.copyOf(agents);
    context = context.clone();
    available = available.clone();
    fees = fees.clone();
    if (available.length != agents.size() || fees.length != agents.size()) {
      throw new IllegalArgumentException(
          "round " + index + ": availability and fees must give one value per agent");
    }
    boolean any = false;
    for (boolean a : available) {
      any |= a;
    }
    if (!any) {
      throw new IllegalArgumentException("round " + index + ": no agent is available");
    }
  }

  /** The indices (into {@link #agents()}) of the available agents, in order. */
  public int[] availableIndices() {
    int n = 0;
    for (boolean a : available) {
      n += a ? 1 : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int j = 0; j < available.length; j++) {
      if (available[j]) {
        out[k++] = j;
      }
    }
    return out;
  }

  @Override
  public double[] context() {
    return context.clone();
  }

  @Override
  public boolean[] available() {
    return available.clone();
  }

  @Override
  public double[] fees() {
    return fees.clone();
  }

  /** The context without a copy, for routers' hot loops (do not modify). */
  double[] contextView() {
    return context;
  }

  boolean isAvailable(int j) {
    return available[j];
  }

  double fee(int j) {
    return fees[j];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OnlineRound r
        && index == r.index
        && id.equals(r.id)
        && agents.equals(r.agents)
        && Arrays.equals(context, r.context)
        && Arrays.equals(available, r.available)
        && Arrays.equals(fees, r.fees);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, id, agents, Arrays.hashCode(context), Arrays.hashCode(available));
  }

  @Override
  public String toString() {
    return "OnlineRound[" + index + ", " + id + ", agents=" + agents + "]";
  }
}

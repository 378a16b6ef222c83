package org.defer4j.core.online;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The agents a router currently knows, by name, each with its learned part {@code S} and the last
 * round it was touched. The registry of L2D-SLDS (METHODS-2 E1): {@code K_t = (K_{t−1} ∪ E_t) \ {k
 * ∉ E_t : t − τ_last(k) > Δ_max}} — an agent is added the first round it is available (its part
 * made by the factory), and dropped at the start of a round where it is unavailable and was last
 * touched more than {@code maxAbsence} rounds before. What "touched" means is the router's choice:
 * L2D-SLDS touches the agent it queried (the paper's τ_last), the other routers every available
 * agent. A pruned agent that comes back starts afresh.
 *
 * @param <S> an agent's learned part
 */
public final class AgentRegistry<S> {
  private final int maxAbsence;
  private final Function<String, S> factory;
  private final Map<String, S> parts = new LinkedHashMap<>();
  private final Map<String, Integer> lastTouched = new LinkedHashMap<>();

  /**
   * @param maxAbsence Δ_max in rounds (≥ 1); {@link Integer#MAX_VALUE} never prunes
   * @param factory makes a newly arrived agent's part from its name
   */
  public AgentRegistry(int maxAbsence, Function<String, S> factory) {
    if (maxAbsence < 1) {
      throw new IllegalArgumentException("max_absence must be ≥ 1, got " + maxAbsence);
    }
    this.maxAbsence = maxAbsence;
    this.factory = factory;
  }

  /**
   * Starts a round: prunes the unavailable agents absent too long, then adds the available agents
   * not yet known.
   *
   * @return the names added on this round, in the round's agent order
   */
  public List<String> startRound(OnlineRound round) {
    List<String> names = round.agents();
    Set<String> availableNow = new java.util.HashSet<>();
    for (int j = 0; j < names.size(); j++) {
      if (round.isAvailable(j)) {
        availableNow.add(names.get(j));
      }
    }
    Iterator<Map.Entry<String, Integer>> it = lastTouched.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Integer> e = it.next();
      if (!availableNow.contains(e.getKey()) && round.index() - e.getValue() > maxAbsence) {
        parts.remove(e.getKey());
        it.remove();
      }
    }
    List<String> added = new ArrayList<>();
    for (int j = 0; j < names.size(); j++) {
      String name = names.get(j);
      if (round.isAvailable(j) && !parts.containsKey(name)) {
        parts.put(name, factory.apply(name));
        lastTouched.put(name, round.index());
        added.add(name);
      }
    }
    return added;
  }

  /** Records that the agent was touched on {@code round}. */
  public void touch(String name, int round) {
    if (parts.containsKey(name)) {
      lastTouched.put(name, round);
    }
  }

  /** The agent's part, or null when it is not (or no longer) registered. */
  public S get(String name) {
    return parts.get(name);
  }

  /** Whether the agent is registered. */
  public boolean contains(String name) {
    return parts.containsKey(name);
  }

  /** The registered agents' names, in order of arrival. */
  public Set<String> names() {
    return Collections.unmodifiableSet(parts.keySet());
  }

  /** The registered agents' parts by name, in order of arrival (a live, unmodifiable view). */
  public Map<String, S> parts() {
    return Collections.unmodifiableMap(parts);
  }

  /** The round the agent was last touched, or −1 when it is not registered. */
  public int lastTouched(String name) {
    Integer t = lastTouched.get(name);
    return t == null ? -1 : t;
  }

  /** Empties the registry (before a restore). */
  void clear() {
    parts.clear();
    lastTouched.clear();
  }

  /** Registers an agent with its part and last touched round (a restore). */
  void put(String name, S part, int touched) {
    parts.put(name, part);
    lastTouched.put(name, touched);
  }

  /** Δ_max. */
  public int maxAbsence() {
    return maxAbsence;
  }
}

package org.defer4j.core.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered agents of a task. Index 0 is always the model; indices 1..J are the experts in
 * declaration order. This order is the column order of every {@link
 * org.defer4j.core.cost.CostMatrix} and every rejector's score vector.
 *
 * <p>When a task declares no frozen model (one-stage learning), index 0 is the model that defer4j
 * learns, named {@value #LEARNED_MODEL}.
 */
public final class AgentSet {
  /** The name of agent 0 when the task declares no frozen model. */
  public static final String LEARNED_MODEL = "model";

  private final List<Agent> agents;
  private final Map<String, Integer> index;

  private AgentSet(List<Agent> agents) {
    this.agents = List.copyOf(agents);
    this.index = new HashMap<>();
    for (int i = 0; i < agents.size(); i++) {
      Integer prev = index.put(agents.get(i).name(), i);
      if (prev != null) {
        throw new IllegalArgumentException("agent '" + agents.get(i).name() + "' declared twice");
      }
    }
  }

  /**
   * Builds the agent set of a task.
   *
   * @param model the model (role {@link Agent.Role#MODEL})
   * @param experts the experts, in order (each of role {@link Agent.Role#EXPERT})
   * @throws IllegalArgumentException on a role mismatch or a repeated name
   */
  public static AgentSet of(Agent model, List<Agent> experts) {
    if (model.role() != Agent.Role.MODEL) {
      throw new IllegalArgumentException("agent 0 must be the model, got " + model);
    }
    List<Agent> all = new ArrayList<>();
    all.add(model);
    for (Agent e : experts) {
      if (e.role() != Agent.Role.EXPERT) {
        throw new IllegalArgumentException("expected an expert, got " + e);
      }
      all.add(e);
    }
    return new AgentSet(all);
  }

  /** Number of agents A = J + 1. */
  public int size() {
    return agents.size();
  }

  /** Number of experts J. */
  public int expertCount() {
    return agents.size() - 1;
  }

  /** The agent at {@code i} (0 = model). */
  public Agent get(int i) {
    return agents.get(i);
  }

  /** The model, agent 0. */
  public Agent model() {
    return agents.get(0);
  }

  /** Every agent in index order, unmodifiable. */
  public List<Agent> all() {
    return Collections.unmodifiableList(agents);
  }

  /** Names in index order. */
  public String[] names() {
    return agents.stream().map(Agent::name).toArray(String[]::new);
  }

  /** Fees β in index order. */
  public double[] fees() {
    return agents.stream().mapToDouble(Agent::fee).toArray();
  }

  /**
   * The index of a named agent.
   *
   * @throws IllegalArgumentException naming the unknown agent and the known ones
   */
  public int indexOf(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException(
          "unknown agent '" + name + "'; the task declares " + List.of(names()));
    }
    return i;
  }

  /** Whether an agent of that name exists. */
  public boolean contains(String name) {
    return index.containsKey(name);
  }

  @Override
  public String toString() {
    return "AgentSet" + List.of(names());
  }
}

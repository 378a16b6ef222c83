package org.defer4j.core.task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;

/**
 * A task: its kind, its classes, its agents and how their outcomes become costs. This is the
 * in-memory form of the task YAML of DESIGN.md §4.
 *
 * @param kind the task kind
 * @param classes class names in index order (empty for regression and custom-cost tasks)
 * @param model the frozen model's agent name, or {@code null} when defer4j learns the model
 * @param experts the experts in order, with their fees and error weights
 * @param cost the weights of the error part of agent costs
 * @param textColumn a raw text column to featurise, or {@code null}
 */
public record TaskSpec(
    TaskKind kind,
    List<String> classes,
    String model,
    List<Agent> experts,
    CostWeights cost,
    String textColumn) {

  /** Validates the spec and copies its lists. */
  public TaskSpec {
    if (kind == null) {
      throw new IllegalArgumentException("task kind must be given");
    }
    classes = List.copyOf(classes == null ? List.of() : classes);
    experts = List.copyOf(experts == null ? List.of() : experts);
    if (kind.hasLabels() && classes.size() < 2) {
      throw new IllegalArgumentException(
          "a " + kind.specName() + " task needs at least 2 classes, got " + classes);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      if (seen.put(classes.get(i), i) != null) {
        throw new IllegalArgumentException("class '" + classes.get(i) + "' is listed twice");
      }
    }
    if (cost == null) {
      cost = CostWeights.defaults(kind);
    }
    // Builds the agent set once to reject repeated or malformed names early.
    agentsOf(model, experts);
  }

  /** Number of classes K (0 when the task has no labels). */
  public int classCount() {
    return classes.size();
  }

  /**
   * The index of a class name.
   *
   * @return the index, or −1 when the name is not a class
   */
  public int classIndex(String name) {
    return classes.indexOf(name);
  }

  /** Whether the spec names a frozen model (two-stage) rather than one that defer4j learns. */
  public boolean hasFrozenModel() {
    return model != null;
  }

  /** The agents: index 0 the model (frozen or learned), then the experts. */
  public AgentSet agents() {
    return agentsOf(model, experts);
  }

  /**
   * The names of the agents whose outputs the data must carry: the frozen model and the experts.
   */
  public List<String> observedAgentNames() {
    List<String> names = new ArrayList<>();
    if (model != null) {
      names.add(model);
    }
    experts.forEach(e -> names.add(e.name()));
    return names;
  }

  private static AgentSet agentsOf(String model, List<Agent> experts) {
    return AgentSet.of(Agent.model(model == null ? AgentSet.LEARNED_MODEL : model), experts);
  }

  /** A classification task with the given classes, model and experts and default cost weights. */
  public static TaskSpec classification(List<String> classes, String model, List<Agent> experts) {
    return new TaskSpec(TaskKind.CLASSIFICATION, classes, model, experts, null, null);
  }
}

package org.defer4j.core.agent;

import org.defer4j.core.Checks;

/**
 * One agent that can decide a case: the automated model or an expert.
 *
 * <p>An agent's cost on a case is {@code alpha · error + fee} (DESIGN.md §2): {@code alpha} weights
 * its error part and {@code fee} is the consultation cost β added on top.
 *
 * @param name the agent's name, as in the {@code m.<name>.*} and {@code cost.<name>} columns
 * @param role whether the agent is the model (agent 0) or an expert
 * @param fee the consultation fee β ≥ 0
 * @param alpha the weight α ≥ 0 of the agent's error part
 */
public record Agent(String name, Role role, double fee, double alpha) {

  /** What an agent is in the system. */
  public enum Role {
    /** The automated model: agent 0, frozen (two-stage) or learned (one-stage). */
    MODEL,
    /** A human or machine expert that the system may consult. */
    EXPERT
  }

  /** Validates the name, the fee and the weight. */
  public Agent {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("agent name must be non-empty, got '" + name + "'");
    }
    if (!name.matches("[A-Za-z0-9_\\-]+")) {
      throw new IllegalArgumentException(
          "agent name '" + name + "' may only hold letters, digits, '_' and '-'");
    }
    if (role == null) {
      throw new IllegalArgumentException("agent '" + name + "' needs a role");
    }
    Checks.checkNonNegative("fee of agent '" + name + "'", fee);
    Checks.checkNonNegative("alpha of agent '" + name + "'", alpha);
  }

  /** An expert with the given fee and unit error weight. */
  public static Agent expert(String name, double fee) {
    return new Agent(name, Role.EXPERT, fee, 1.0);
  }

  /** The model with no fee and unit error weight. */
  public static Agent model(String name) {
    return new Agent(name, Role.MODEL, 0.0, 1.0);
  }
}

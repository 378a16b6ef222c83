package org.defer4j.core.online;

import java.util.Objects;

/**
 * What asking one agent on one round turned out to cost.
 *
 * @param agent the agent's name
 * @param cost its realised cost under the task's cost model, fee included (≥ 0, finite)
 * @param residual prediction − truth for a regression agent (the observation L2D-SLDS filters); NaN
 *     when the task gives no numeric prediction
 */
public record Outcome(String agent, double cost, double residual) {
  /** Validates. */
  public Outcome {
    Objects.requireNonNull(agent, "agent");
    if (!(cost >= 0.0) || Double.isInfinite(cost)) {
      throw new IllegalArgumentException(
          "outcome of " + agent + ": cost must be finite and ≥ 0, got " + cost);
    }
  }
}

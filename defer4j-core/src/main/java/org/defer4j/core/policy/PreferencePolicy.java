package org.defer4j.core.policy;

import java.util.Arrays;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.DeferralTable;

/**
 * A policy defined by a preferred agent per case; the fallback rule of {@link Decisions} turns
 * preferences into decisions, so every subclass counts fallbacks the same way.
 */
abstract class PreferencePolicy implements DeferralPolicy {

  /** Each case's preferred agent, before availability is taken into account. */
  abstract int[] preferred(DeferralTable cases, Availability availability);

  @Override
  public final Decisions decide(DeferralTable cases, Availability availability) {
    Checks.checkDimension("rows of table " + cases.source(), availability.rows(), cases.rows());
    return Decisions.resolve(preferred(cases, availability), availability);
  }

  @Override
  public String toString() {
    return name();
  }

  /** The index of a named expert among the agents. */
  static int expertIndex(AgentSet agents, String expert) {
    int j = Availability.indexOf(agents, expert, "expert");
    if (j == 0) {
      throw new IllegalArgumentException(
          "'" + expert + "' is the model, not an expert; experts are " + expertNames(agents));
    }
    return j;
  }

  static String expertNames(AgentSet agents) {
    String[] names = agents.names();
    return Arrays.asList(names).subList(1, names.length).toString();
  }
}

package org.defer4j.server;

import java.util.List;
import java.util.Map;

/**
 * One case to route, as a client sends it.
 *
 * @param features named inputs: numbers for numeric features, text for a text column (may be empty)
 * @param text raw text for the policy's text column, or null
 * @param model the frozen model's output on the case (two-stage policies), or null
 * @param available the agents that may be asked now, or null for every agent
 * @param caseId the client's own id of the case, or null
 */
public record RouteCase(
    Map<String, Object> features,
    String text,
    ModelOutput model,
    List<String> available,
    String caseId) {

  /** Copies. */
  public RouteCase {
    features = Map.copyOf(features);
    available = available == null ? null : List.copyOf(available);
  }

  /** A case of named features only. */
  public static RouteCase of(Map<String, Object> features) {
    return new RouteCase(features, null, null, null, null);
  }

  /**
   * The frozen model's output on a case: its class probabilities by class name, its class, its
   * numeric prediction (each may be absent).
   *
   * @param probabilities class name to probability, or null
   * @param label the predicted class name, or null
   * @param value the numeric prediction, or null
   */
  public record ModelOutput(Map<String, Double> probabilities, String label, Double value) {}
}

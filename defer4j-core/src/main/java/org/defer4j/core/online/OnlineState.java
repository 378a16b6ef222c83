package org.defer4j.core.online;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A router's learned state as plain named arrays: what a service would snapshot as a versioned
 * artifact and restore on restart (every value is a number or an array of numbers, so the record
 * maps to JSON one to one).
 *
 * @param method the router's {@link OnlineRouter#name()}
 * @param rounds how many rounds it has learned from
 * @param shared the arrays not tied to one agent (e.g. the shared factor's mean and covariance per
 *     regime, a shared ridge model), by name
 * @param agents per agent name, that agent's arrays by name (e.g. its ridge Gram matrix, its last
 *     round seen)
 */
public record OnlineState(
    String method,
    int rounds,
    Map<String, double[]> shared,
    Map<String, Map<String, double[]>> agents) {
  /** Copies (the arrays are copied too). */
  public OnlineState {
    shared = copy(shared);
    Map<String, Map<String, double[]>> a = new LinkedHashMap<>();
    agents.forEach((k, v) -> a.put(k, copy(v)));
    agents = java.util.Collections.unmodifiableMap(a);
  }

  private static Map<String, double[]> copy(Map<String, double[]> in) {
    Map<String, double[]> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, v.clone()));
    return java.util.Collections.unmodifiableMap(out);
  }
}

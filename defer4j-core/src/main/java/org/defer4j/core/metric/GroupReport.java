package org.defer4j.core.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one group of a {@link DeferralReport} (rows sharing a value of the table's {@code
 * group} column). A group with no rows has n = 0 and NaN everywhere.
 *
 * @param group the group's value
 * @param n its number of rows
 * @param systemAccuracy share of its rows whose chosen agent was correct (NaN when unknown or
 *     empty)
 * @param meanCost its mean system cost (NaN when empty)
 * @param coverage share of its rows kept by the model (NaN when empty)
 * @param allocation agent name → share of its rows, in agent order (NaN values when empty)
 */
public record GroupReport(
    String group,
    int n,
    double systemAccuracy,
    double meanCost,
    double coverage,
    Map<String, Double> allocation) {

  /** Copies the allocation into an unmodifiable, order-keeping map. */
  public GroupReport {
    allocation = Collections.unmodifiableMap(new LinkedHashMap<>(allocation));
  }
}

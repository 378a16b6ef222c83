package org.defer4j.core.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a deferral policy achieved on a table (see {@link DeferralMetrics#evaluate}). Shares and
 * means are weighted by the table's {@code weight} column when present; any quantity over an empty
 * set of rows is NaN.
 *
 * @param n number of rows
 * @param systemAccuracy share of rows whose chosen agent was correct; NaN when the correctness of a
 *     chosen agent is unknown (regression, custom costs) or n = 0
 * @param meanCost mean system cost {@code (1/n) Σ_i c_{r(x_i)}(x_i)} (survey eq. 15)
 * @param coverage share of rows kept by the model (agent 0)
 * @param allocation agent name → share of rows given to it, in agent order
 * @param modelAccuracy the model's accuracy on the rows it kept (NaN when it kept none)
 * @param expertAccuracy expert name → its accuracy on the rows deferred to it (NaN when none)
 * @param fallbackCount rows decided by the fallback rule because the preferred agent was
 *     unavailable (0 when the decisions carried no fallback record)
 * @param groups group value → its metrics, when the table has a {@code group} column (else empty)
 */
public record DeferralReport(
    int n,
    double systemAccuracy,
    double meanCost,
    double coverage,
    Map<String, Double> allocation,
    double modelAccuracy,
    Map<String, Double> expertAccuracy,
    int fallbackCount,
    Map<String, GroupReport> groups) {

  /** Copies the maps into unmodifiable, order-keeping maps. */
  public DeferralReport {
    allocation = Collections.unmodifiableMap(new LinkedHashMap<>(allocation));
    expertAccuracy = Collections.unmodifiableMap(new LinkedHashMap<>(expertAccuracy));
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
  }
}

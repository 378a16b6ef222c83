/**
 * Costs: the cost model that turns outcomes into per-agent costs, and the n × A {@link
 * org.defer4j.core.cost.CostMatrix} that every learner, policy and metric speaks.
 */
package org.defer4j.core.cost;

package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The router's Prometheus metrics (Micrometer), per process:
 *
 * <ul>
 *   <li>{@code defer4j_decisions_total{agent,policy}}: decisions per serving agent;
 *   <li>{@code defer4j_passed_over_total{agent,reason}}: agents passed over (unavailable, over
 *       capacity, over share);
 *   <li>{@code defer4j_route_errors_total{code}}: cases that could not be decided;
 *   <li>{@code defer4j_http_server_requests_seconds{method,route,status}}: request latency
 *       histograms;
 *   <li>{@code defer4j_outcomes_total}, {@code defer4j_outcome_cost} (summary of realised costs),
 *       {@code defer4j_outcome_correct_total{agent,correct}}: live accuracy and cost from outcomes;
 *   <li>gauges from the store, refreshed every 5 s (shared by every process on one store): {@code
 *       defer4j_capacity_used{agent}}, {@code defer4j_capacity_limit{agent}}, {@code
 *       defer4j_share_realised{agent}}, {@code defer4j_share_target{agent}}, {@code
 *       defer4j_live_accuracy}, {@code defer4j_live_mean_cost}.
 * </ul>
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
  private final Map<String, Counter> passed = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();
  private final Counter outcomes;
  private final DistributionSummary outcomeCost;
  private volatile Router router;

  /** New metrics. */
  public Metrics() {
    outcomes =
        Counter.builder("defer4j.outcomes").description("outcomes stored").register(registry);
    outcomeCost =
        DistributionSummary.builder("defer4j.outcome.cost")
            .description("realised cost of the serving agent")
            .register(registry);
  }

  void bind(Router r) {
    this.router = r;
    Gauge.builder("defer4j.live.accuracy", this, m -> m.live("accuracy"))
        .description("share of outcomes where the serving agent was right (all processes)")
        .register(registry);
    Gauge.builder("defer4j.live.mean.cost", this, m -> m.live("meanCost"))
        .description("mean realised cost over the outcomes (all processes)")
        .register(registry);
  }

  private double live(String field) {
    Router r = router;
    ObjectNode d = r == null ? null : r.cachedDashboard();
    JsonNode v = d == null ? null : d.path("live").get(field);
    return v == null || !v.isNumber() ? Double.NaN : v.doubleValue();
  }

  private double agentField(String agent, String field) {
    Router r = router;
    ObjectNode d = r == null ? null : r.cachedDashboard();
    if (d == null) {
      return Double.NaN;
    }
    for (JsonNode a : d.path("agents")) {
      if (a.path("name").asText().equals(agent)) {
        JsonNode v = a.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.doubleValue();
      }
    }
    return Double.NaN;
  }

  private void gauges(String agent) {
    if (!gauged.add(agent)) {
      return;
    }
    Gauge.builder("defer4j.capacity.used", this, m -> m.agentField(agent, "used"))
        .tag("agent", agent)
        .description("decisions served in the agent's current budget period")
        .register(registry);
    Gauge.builder("defer4j.capacity.limit", this, m -> m.agentField(agent, "capacity"))
        .tag("agent", agent)
        .description("the agent's capacity per period (NaN: none)")
        .register(registry);
    Gauge.builder("defer4j.share.realised", this, m -> m.agentField(agent, "realisedShare"))
        .tag("agent", agent)
        .description("the agent's share of the decisions in its period (all time without one)")
        .register(registry);
    Gauge.builder("defer4j.share.target", this, m -> m.agentField(agent, "targetShare"))
        .tag("agent", agent)
        .description("the agent's target share (registry or calibrated policy; NaN: none)")
        .register(registry);
  }

  void decided(RouteResult r) {
    if (!r.ok()) {
      Counter.builder("defer4j.route.errors")
          .tag("code", r.error().code())
          .register(registry)
          .increment();
    } else {
      for (String a : r.chosen()) {
        decisions
            .computeIfAbsent(
                a + "\u0000" + r.policyId(),
                k ->
                    Counter.builder("defer4j.decisions")
                        .tag("agent", a)
                        .tag("policy", r.policyId())
                        .description("decisions per serving agent")
                        .register(registry))
            .increment();
      }
    }
    for (int j = 0; j < r.agents().size(); j++) {
      String s = r.status()[j];
      String a = r.agents().get(j);
      gauges(a);
      if (s.equals("UNAVAILABLE") || s.equals("OVER_CAPACITY") || s.equals("OVER_SHARE")) {
        passed
            .computeIfAbsent(
                a + "\u0000" + s,
                k ->
                    Counter.builder("defer4j.passed.over")
                        .tag("agent", a)
                        .tag("reason", s)
                        .description("agents passed over")
                        .register(registry))
            .increment();
      }
    }
  }

  void outcome(String agent, Outcomes.Realised real) {
    outcomes.increment();
    if (!Double.isNaN(real.cost())) {
      outcomeCost.record(real.cost());
    }
    if (real.correct() != null) {
      Counter.builder("defer4j.outcome.correct")
          .tag("agent", agent)
          .tag("correct", real.correct().toString())
          .register(registry)
          .increment();
    }
  }

  /** Records one HTTP request. */
  public void request(String method, String route, int status, long nanos) {
    timers
        .computeIfAbsent(
            method + " " + route + " " + status,
            k ->
                Timer.builder("defer4j.http.server.requests")
                    .tag("method", method)
                    .tag("route", route)
                    .tag("status", Integer.toString(status))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry, for more meters. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }
}

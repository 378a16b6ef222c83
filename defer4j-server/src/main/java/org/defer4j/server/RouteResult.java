package org.defer4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The router's answer for one case: the decision (its id, the policy that made it, the chosen agent
 * or committee, every agent's score, expected cost and status) or, when no agent could take the
 * case, the error.
 *
 * @param decisionId the decision's id (null on error)
 * @param policyId the policy that decided
 * @param caseId the client's id of the case, or null
 * @param kind {@code agent} or {@code committee}
 * @param chosen the serving agents, best first (empty on error)
 * @param fallback whether the policy preferred another agent that was unavailable or over its
 *     budget
 * @param agents every agent's name, in the policy's order
 * @param scores per agent (NaN: none)
 * @param expectedCosts per agent (NaN: not estimated), with the registry's fee
 * @param status per agent: {@code CHOSEN}, {@code LOWER_SCORE}, {@code RULE}, {@code UNAVAILABLE},
 *     {@code OVER_CAPACITY}, {@code OVER_SHARE}
 * @param detail per agent a sentence for the passed-over ones, or null
 * @param prediction the learned model's own answer (one-stage policies): a class name or a number,
 *     or null
 * @param shadowPolicyId the shadow policy, or null
 * @param shadowAgent what the shadow policy would have chosen, or null
 * @param createdAt epoch milliseconds
 * @param error why the case could not be decided, or null
 * @param increments the counters the decision incremented (to release them)
 */
public record RouteResult(
    String decisionId,
    String policyId,
    String caseId,
    String kind,
    List<String> chosen,
    boolean fallback,
    List<String> agents,
    double[] scores,
    double[] expectedCosts,
    String[] status,
    String[] detail,
    Object prediction,
    String shadowPolicyId,
    String shadowAgent,
    long createdAt,
    ApiException error,
    List<Counters.Key> increments) {

  /** The first serving agent. */
  public String agent() {
    return chosen.isEmpty() ? null : chosen.get(0);
  }

  /** Whether the case was decided. */
  public boolean ok() {
    return error == null;
  }

  /** The status of an agent. */
  public String status(String agent) {
    return status[agents.indexOf(agent)];
  }

  /** The answer as the API's JSON. */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    if (error != null) {
      if (caseId != null) {
        o.put("caseId", caseId);
      }
      o.put("policy", policyId);
      ObjectNode e = o.putObject("error");
      e.put("status", error.status());
      e.put("code", error.code());
      e.put("message", error.getMessage());
      if (error.retryAfterSeconds() != null) {
        e.put("retryAfterSeconds", error.retryAfterSeconds());
      }
      appendAgents(o);
      return o;
    }
    o.put("id", decisionId);
    if (caseId != null) {
      o.put("caseId", caseId);
    }
    o.put("policy", policyId);
    o.put("agent", agent());
    o.put("kind", kind);
    ArrayNode c = o.putArray("chosen");
    chosen.forEach(c::add);
    o.put("fallback", fallback);
    ObjectNode sc = o.putObject("scores");
    ObjectNode ec = o.putObject("expectedCosts");
    for (int j = 0; j < agents.size(); j++) {
      sc.set(agents.get(j), Json.num(scores[j]));
      ec.set(agents.get(j), Json.num(expectedCosts[j]));
    }
    if (prediction instanceof String s) {
      o.put("prediction", s);
    } else if (prediction instanceof Double d) {
      o.set("prediction", Json.num(d));
    }
    appendAgents(o);
    if (shadowPolicyId != null) {
      ObjectNode s = o.putObject("shadow");
      s.put("policy", shadowPolicyId);
      s.put("agent", shadowAgent);
    }
    o.put("createdAt", Instant.ofEpochMilli(createdAt).toString());
    return o;
  }

  private void appendAgents(ObjectNode o) {
    ArrayNode skipped = o.putArray("skipped");
    for (int j = 0; j < agents.size(); j++) {
      String s = status[j];
      if (s.equals("UNAVAILABLE") || s.equals("OVER_CAPACITY") || s.equals("OVER_SHARE")) {
        ObjectNode k = skipped.addObject();
        k.put("agent", agents.get(j));
        k.put("reason", s);
        if (detail[j] != null) {
          k.put("detail", detail[j]);
        }
      }
    }
    ArrayNode all = o.putArray("agents");
    for (int j = 0; j < agents.size(); j++) {
      ObjectNode a = all.addObject();
      a.put("name", agents.get(j));
      a.put("status", status[j]);
      if (scores != null) {
        a.set("score", Json.num(scores[j]));
        a.set("expectedCost", Json.num(expectedCosts[j]));
      }
      if (detail[j] != null) {
        a.put("detail", detail[j]);
      }
    }
  }
}

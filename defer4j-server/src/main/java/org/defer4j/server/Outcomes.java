package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * Outcomes in the API: what a client posts for a decision, checked against the task of the policy
 * that made it, in one canonical form (so that the same outcome posted twice is recognised), and
 * the realised cost and correctness of the agent that served.
 *
 * <pre>
 * {"decisionId": "...",
 *  "truth": "hate" | 3.2 | {"y": "hate", "t": 3.2},
 *  "answers": {"annotator": "hate" | 3.1 | {"y": "hate", "t": 3.1, "p": {"hate": 0.8, ...}}},
 *  "costs": {"gpt4": 0.0, "mixtral": 1.0}}
 * </pre>
 *
 * {@code costs} are the agents' error costs as in a table's {@code cost.<agent>} columns (before α
 * and the fee). The realised cost of the serving agent is α·error + fee, its fee taken from the
 * expert registry when the registry sets one, else from the task; its error comes from its cost
 * when posted, else from its answer against the truth (the task's cost model). One-stage policies'
 * model answers are the prediction stored with the decision.
 */
final class Outcomes {
  static final Set<String> FIELDS = Set.of("decisionId", "truth", "answers", "costs");

  private Outcomes() {}

  /** An agent's answer: class index (−1: none), number (NaN: none), probabilities (or null). */
  record Answer(int y, double t, double[] p) {}

  /** A checked outcome and its canonical text. */
  record Parsed(
      String decisionId,
      int truthY,
      double truthT,
      Map<String, Answer> answers,
      Map<String, Double> costs,
      String canonical) {}

  /** The serving agent's realised cost (NaN: unknown) and correctness (null: unknown). */
  record Realised(double cost, Boolean correct) {}

  static Parsed parse(ObjectNode body, String where, TaskSpec task) {
    String id = Json.string(body, "decisionId", where);
    TaskKind kind = task.kind();
    int y = -1;
    double t = Double.NaN;
    JsonNode truth = body.get("truth");
    if (truth != null && !truth.isNull()) {
      String tw = Json.path(where, "truth");
      if (kind == TaskKind.COSTS) {
        throw ApiException.badRequest(
            tw + ": the policy's task gives costs, not a truth; send costs by agent");
      }
      Answer a = answer(truth, tw, task);
      y = a.y();
      t = a.t();
      if (kind.hasLabels() && y < 0) {
        throw ApiException.badRequest(tw + " needs the true class (y)");
      }
      if (kind.hasTargets() && Double.isNaN(t)) {
        throw ApiException.badRequest(tw + " needs the true number (t)");
      }
      if (a.p() != null) {
        throw ApiException.badRequest(tw + ": the truth has no probabilities");
      }
    }
    Map<String, Answer> answers = new TreeMap<>();
    ObjectNode an = Json.optObject(body, "answers", where);
    List<String> observed = task.observedAgentNames();
    if (an != null) {
      for (Map.Entry<String, JsonNode> e : an.properties()) {
        String aw = Json.path(Json.path(where, "answers"), e.getKey());
        if (!observed.contains(e.getKey())) {
          throw ApiException.badRequest(
              aw
                  + ": not an agent whose answers the task records; those are "
                  + observed
                  + (task.hasFrozenModel()
                      ? ""
                      : " (the learned model's answer is the decision's prediction)"));
        }
        answers.put(e.getKey(), answer(e.getValue(), aw, task));
      }
    }
    Map<String, Double> costs = new TreeMap<>();
    ObjectNode co = Json.optObject(body, "costs", where);
    AgentSet agents = task.agents();
    if (co != null) {
      for (Map.Entry<String, JsonNode> e : co.properties()) {
        String cw = Json.path(Json.path(where, "costs"), e.getKey());
        if (!agents.contains(e.getKey())) {
          throw ApiException.badRequest(
              cw + ": not an agent of the policy; its agents are " + List.of(agents.names()));
        }
        costs.put(e.getKey(), Json.number(e.getValue(), cw));
      }
    }
    if (y < 0 && Double.isNaN(t) && answers.isEmpty() && costs.isEmpty()) {
      throw ApiException.badRequest(
          (where.isEmpty() ? "" : where + ": ")
              + "an outcome needs the truth, the agents' answers or their costs");
    }
    ObjectNode c = Json.object();
    c.put("decisionId", id);
    if (y >= 0 || !Double.isNaN(t)) {
      c.set("truth", answerJson(new Answer(y, t, null), task));
    }
    if (!answers.isEmpty()) {
      ObjectNode a = c.putObject("answers");
      answers.forEach((k, v) -> a.set(k, answerJson(v, task)));
    }
    if (!costs.isEmpty()) {
      ObjectNode a = c.putObject("costs");
      costs.forEach(a::put);
    }
    return new Parsed(id, y, t, answers, costs, Json.canonical(c));
  }

  private static ObjectNode answerJson(Answer a, TaskSpec task) {
    ObjectNode o = Json.object();
    if (a.y() >= 0) {
      o.put("y", task.classes().get(a.y()));
    }
    if (!Double.isNaN(a.t())) {
      o.put("t", a.t());
    }
    if (a.p() != null) {
      ObjectNode p = o.putObject("p");
      for (int k = 0; k < a.p().length; k++) {
        p.put(task.classes().get(k), a.p()[k]);
      }
    }
    return o;
  }

  private static Answer answer(JsonNode n, String where, TaskSpec task) {
    TaskKind kind = task.kind();
    if (n.isObject()) {
      ObjectNode o = (ObjectNode) n;
      Json.onlyKeys(o, where, Set.of("y", "t", "p"));
      int y =
          o.has("y") && !o.get("y").isNull()
              ? classOf(o.get("y"), Json.path(where, "y"), task)
              : -1;
      Double t = Json.optNumber(o, "t", where);
      if (t != null && !kind.hasTargets()) {
        throw ApiException.badRequest(Json.path(where, "t") + ": the task has no numeric target");
      }
      double[] p = null;
      ObjectNode po = Json.optObject(o, "p", where);
      if (po != null) {
        if (!kind.hasLabels()) {
          throw ApiException.badRequest(Json.path(where, "p") + ": the task has no classes");
        }
        p = new double[task.classCount()];
        java.util.Arrays.fill(p, Double.NaN);
        for (Map.Entry<String, JsonNode> e : po.properties()) {
          int k = task.classIndex(e.getKey());
          String pw = Json.path(Json.path(where, "p"), e.getKey());
          if (k < 0) {
            throw ApiException.badRequest(pw + ": not a class; the classes are " + task.classes());
          }
          double v = Json.number(e.getValue(), pw);
          if (v < 0 || v > 1) {
            throw ApiException.badRequest(pw + " must be a probability in [0, 1], got " + v);
          }
          p[k] = v;
        }
        for (int k = 0; k < p.length; k++) {
          if (Double.isNaN(p[k])) {
            throw ApiException.badRequest(
                Json.path(where, "p")
                    + " must give every class, '"
                    + task.classes().get(k)
                    + "' is missing");
          }
        }
      }
      if (y < 0 && t == null && p == null) {
        throw ApiException.badRequest(where + " is empty; give y, t or p");
      }
      return new Answer(y, t == null ? Double.NaN : t, p);
    }
    if (kind == TaskKind.REGRESSION) {
      return new Answer(-1, Json.number(n, where), null);
    }
    if (kind.hasLabels()) {
      if (kind == TaskKind.MULTITASK) {
        throw ApiException.badRequest(where + " must be an object {\"y\": class, \"t\": number}");
      }
      return new Answer(classOf(n, where, task), Double.NaN, null);
    }
    throw ApiException.badRequest(
        where + ": the policy's task gives costs; answers are not needed (send costs)");
  }

  private static int classOf(JsonNode n, String where, TaskSpec task) {
    if (!task.kind().hasLabels()) {
      throw ApiException.badRequest(where + ": the task has no classes");
    }
    String s;
    if (n.isTextual()) {
      s = n.asText();
    } else if (n.isIntegralNumber()) {
      s = n.asText();
    } else {
      throw ApiException.badRequest(where + " must be a class name, got " + Json.kind(n));
    }
    int k = task.classIndex(s);
    if (k < 0) {
      throw ApiException.badRequest(
          where + ": " + Json.abbreviate(s) + " is not a class; the classes are " + task.classes());
    }
    return k;
  }

  /**
   * The serving agent's realised cost and correctness (committees: unknown).
   *
   * @param prediction the one-stage model's stored answer (JSON text), or null
   * @param registry the registry entry of an agent
   */
  static Realised realise(
      Parsed o,
      TaskSpec task,
      List<String> chosen,
      String kind,
      String prediction,
      Function<String, ExpertSpec> registry) {
    if (chosen.size() != 1) {
      return new Realised(Double.NaN, null);
    }
    String agent = chosen.get(0);
    AgentSet agents = task.agents();
    int j = agents.indexOf(agent);
    if (j < 0) {
      return new Realised(Double.NaN, null);
    }
    Agent ag = agents.get(j);
    ExpertSpec e = registry.apply(agent);
    double fee = e.fee() != null ? e.fee() : ag.fee();
    TaskKind tk = task.kind();
    boolean hasTruth =
        tk == TaskKind.COSTS
            || (tk.hasLabels() ? o.truthY() >= 0 : true)
                && (tk.hasTargets() ? !Double.isNaN(o.truthT()) : true);
    if (!hasTruth) {
      Double c = o.costs().get(agent);
      if (c == null) {
        return new Realised(Double.NaN, null);
      }
      return new Realised(ag.alpha() * c + fee, c == 0.0);
    }
    int k = task.classCount();
    DeferralTable.Builder b = DeferralTable.builder("outcome", 1);
    if (tk.hasLabels()) {
      b.labels(new int[] {o.truthY()});
    }
    if (tk.hasTargets()) {
      b.targets(new double[] {o.truthT()});
    }
    AgentColumns model = null;
    for (int a = 0; a < agents.size(); a++) {
      String name = agents.get(a).name();
      Answer ans = o.answers().get(name);
      if (a == 0 && !task.hasFrozenModel()) {
        ans = modelAnswer(prediction, task);
      }
      Double cost = o.costs().get(name);
      AgentColumns cols =
          new AgentColumns(
              1,
              tk.hasLabels() ? new int[] {ans == null ? AgentColumns.UNOBSERVED : ans.y()} : null,
              tk.hasTargets() ? new double[] {ans == null ? Double.NaN : ans.t()} : null,
              null,
              k,
              new double[] {cost == null ? Double.NaN : cost});
      if (a == 0) {
        model = cols;
      }
      if (a > 0 || task.hasFrozenModel()) {
        b.agent(name, cols);
      }
    }
    CostMatrix m = new CostModel(task).costs(b.build(), model);
    double cost = m.cost(0, j);
    byte correct = m.correct(0, j);
    if (!Double.isNaN(cost)) {
      cost += fee - ag.fee();
    }
    return new Realised(cost, correct == CostMatrix.UNKNOWN ? null : correct == 1);
  }

  private static Answer modelAnswer(String prediction, TaskSpec task) {
    if (prediction == null) {
      return null;
    }
    JsonNode n = Json.read(prediction);
    if (n.isTextual()) {
      return new Answer(task.classIndex(n.asText()), Double.NaN, null);
    }
    if (n.isNumber()) {
      return new Answer(-1, n.doubleValue(), null);
    }
    return null;
  }
}

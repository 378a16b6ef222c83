package org.defer4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;

/**
 * {@code serve --replay}: a labelled table sent through a running router's HTTP API, as production
 * traffic would be: its cases routed in batches ({@code POST /v1/route}), then their outcomes
 * posted ({@code POST /v1/outcomes}: the truth, the experts' answers, the costs).
 */
final class Replay {
  static final int BATCH = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Replay() {}

  static void run(String url, String key, LearnedPolicy p, Path file, PrintWriter out)
      throws IOException, InterruptedException {
    TaskSpec task = p.task();
    DeferralTable t = DeferralTableReader.read(file, task);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    int n = t.rows();
    Map<String, Integer> served = new TreeMap<>();
    int fallbacks = 0;
    int refused = 0;
    int outcomes = 0;
    long start = System.nanoTime();
    for (int from = 0; from < n; from += BATCH) {
      int to = Math.min(n, from + BATCH);
      ObjectNode body = JSON.createObjectNode();
      ArrayNode cases = body.putArray("cases");
      for (int i = from; i < to; i++) {
        cases.add(caseOf(t, task, i));
      }
      JsonNode res = post(client, url + "/v1/route", key, body);
      List<String> ids = new ArrayList<>();
      JsonNode ds = res.get("decisions");
      for (int i = from; i < to; i++) {
        JsonNode d = ds.get(i - from);
        if (d.has("error")) {
          refused++;
          ids.add(null);
          continue;
        }
        served.merge(d.get("agent").asText(), 1, Integer::sum);
        fallbacks += d.get("fallback").asBoolean() ? 1 : 0;
        ids.add(d.get("id").asText());
      }
      ObjectNode ob = JSON.createObjectNode();
      ArrayNode os = ob.putArray("outcomes");
      for (int i = from; i < to; i++) {
        String id = ids.get(i - from);
        if (id != null) {
          os.add(outcomeOf(t, task, i, id));
        }
      }
      if (!os.isEmpty()) {
        JsonNode r = post(client, url + "/v1/outcomes", key, ob);
        for (JsonNode x : r.get("results")) {
          if (x.get("status").asInt() / 100 == 2) {
            outcomes++;
          }
        }
      }
    }
    double sec = (System.nanoTime() - start) / 1e9;
    List<String> parts = new ArrayList<>();
    served.forEach(
        (a, c) ->
            parts.add(String.format(Locale.ROOT, "%s %d (%s)", a, c, Format.pct((double) c / n))));
    out.printf(
        Locale.ROOT,
        "replayed %d cases of %s in %.1f s: %s; %d fell back, %d refused (budgets); %d outcomes"
            + " stored%n",
        n,
        file,
        sec,
        String.join(", ", parts),
        fallbacks,
        refused,
        outcomes);
    out.flush();
  }

  static ObjectNode caseOf(DeferralTable t, TaskSpec task, int i) {
    ObjectNode c = JSON.createObjectNode();
    ObjectNode f = c.putObject("features");
    for (int j = 0; j < t.featureCount(); j++) {
      f.put(t.featureNames().get(j), t.feature(i, j));
    }
    if (task.textColumn() != null) {
      c.put("text", t.text().get(task.textColumn())[i]);
    }
    if (task.hasFrozenModel() && t.agents().containsKey(task.model())) {
      AgentColumns m = t.agent(task.model());
      if (m.hasProbabilities() && m.observed(i)) {
        ObjectNode mo = c.putObject("model");
        ObjectNode pr = mo.putObject("p");
        for (int k = 0; k < task.classCount(); k++) {
          pr.put(task.classes().get(k), m.probability(i, k));
        }
      }
    }
    if (t.hasIds()) {
      c.put("id", t.id(i));
    }
    return c;
  }

  static ObjectNode outcomeOf(DeferralTable t, TaskSpec task, int i, String id) {
    ObjectNode o = JSON.createObjectNode();
    o.put("decisionId", id);
    if (task.kind().hasLabels() || task.kind().hasTargets()) {
      ObjectNode truth = o.putObject("truth");
      if (task.kind().hasLabels()) {
        truth.put("y", task.classes().get(t.label(i)));
      }
      if (task.kind().hasTargets()) {
        truth.put("t", t.target(i));
      }
    }
    ObjectNode answers = JSON.createObjectNode();
    ObjectNode costs = JSON.createObjectNode();
    for (String a : task.observedAgentNames()) {
      if (!t.agents().containsKey(a)) {
        continue;
      }
      AgentColumns c = t.agent(a);
      ObjectNode ans = JSON.createObjectNode();
      if (c.hasPredictedClass() && c.predictedClass(i) >= 0) {
        ans.put("y", task.classes().get(c.predictedClass(i)));
      }
      if (c.hasPredictedValue() && !Double.isNaN(c.predictedValue(i))) {
        ans.put("t", c.predictedValue(i));
      }
      if (!ans.isEmpty()) {
        answers.set(a, ans);
      }
      if (c.hasCost() && !Double.isNaN(c.cost(i))) {
        costs.put(a, c.cost(i));
      }
    }
    if (!answers.isEmpty()) {
      o.set("answers", answers);
    }
    if (!costs.isEmpty()) {
      o.set("costs", costs);
    }
    return o;
  }

  private static JsonNode post(HttpClient client, String url, String key, JsonNode body)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode j = JSON.readTree(r.body());
    if (r.statusCode() != 200) {
      String m = j.path("error").path("message").asText(r.body());
      throw new IllegalArgumentException(
          "replay: " + url + " answered " + r.statusCode() + ": " + m);
    }
    return j;
  }
}

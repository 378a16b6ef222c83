package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/chat/completions}: an OpenAI-compatible front for LLM routing. The active policy
 * picks the agent from the request, the request is forwarded to that agent's configured upstream
 * ({@code upstreams} in the configuration) with the upstream's model name, and the upstream's
 * answer comes back with {@code model} set to the model that answered and a {@code defer4j} object
 * naming the agent, the decision and the policy (also in the headers {@code X-Defer4j-Agent} and
 * {@code X-Defer4j-Decision}).
 *
 * <p><b>Features.</b> The text of the last {@code user} message goes into the policy's text column
 * (policies trained with a text featurizer); numeric features come from the request's optional
 * {@code defer4j.features} object, and {@code prompt_length} is derived from the text when the
 * policy reads it ({@link Inputs}). {@code defer4j.available} restricts the agents; a {@code model}
 * that names an agent asks for that agent alone; any other {@code model} (such as {@code "auto"})
 * lets the policy choose. Agents without an upstream are unavailable.
 *
 * <p><b>Rate limits and failures.</b> An upstream that answers 429 or 5xx, or cannot be reached,
 * makes its agent unavailable for {@code Retry-After} seconds (or {@code cooldown-millis}): the
 * decision is withdrawn (its budget released) and the request is routed again among the other
 * agents. Another 4xx is returned to the client as the upstream sent it.
 */
final class ChatProxy {
  private static final Set<String> EXTENSION_FIELDS = Set.of("features", "available", "id");

  private final Router router;
  private final ServerConfig config;
  private final HttpClient client;

  ChatProxy(Router router, ServerConfig config) {
    this.router = router;
    this.config = config;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(Math.min(10_000, config.upstreamTimeoutMillis())))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** The answer: HTTP status, JSON body and extra headers. */
  record Answer(int status, JsonNode body, Map<String, String> headers) {}

  Answer handle(ObjectNode req, Map<String, String> env) {
    ArrayNode messages = Json.optArray(req, "messages", "");
    if (messages == null || messages.isEmpty()) {
      throw ApiException.badRequest("messages is required: a non-empty array of chat messages");
    }
    String text = null;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String where = "messages[" + i + "]";
      if (!m.isObject()) {
        throw ApiException.badRequest(where + " must be an object, got " + Json.kind(m));
      }
      String role = Json.string((ObjectNode) m, "role", where);
      String content = content(m.get("content"), where);
      if (role.equals("user") && content != null) {
        text = content;
      }
    }
    if (text == null) {
      throw ApiException.badRequest("messages has no user message with text content");
    }
    JsonNode stream = req.get("stream");
    if (stream != null && stream.asBoolean(false)) {
      throw ApiException.badRequest(
          "stream: true is not supported by the router; send stream: false");
    }
    String model = Json.optString(req, "model", "");
    ObjectNode ext = Json.optObject(req, "defer4j", "");
    Map<String, Object> features = new LinkedHashMap<>();
    List<String> available = null;
    String caseId = null;
    if (ext != null) {
      Json.onlyKeys(ext, "defer4j", EXTENSION_FIELDS);
      ObjectNode f = Json.optObject(ext, "features", "defer4j");
      if (f != null) {
        features.putAll(HttpApi.features(f, "defer4j.features"));
      }
      available = Json.optStrings(ext, "available", "defer4j");
      caseId = Json.optString(ext, "id", "defer4j");
    }
    PolicyEntry active = router.activeEntry();
    if (active == null) {
      throw new ApiException(503, "no_policy", "no policy is active");
    }
    if (model != null && active.policy().agents().contains(model)) {
      available =
          available == null ? List.of(model) : available.stream().filter(model::equals).toList();
    }
    Map<String, String> unavailable = new HashMap<>();
    for (String a : active.policy().agents().names()) {
      if (!config.upstreams().containsKey(a)) {
        unavailable.put(a, "has no upstream configured for chat completions");
      }
    }
    if (unavailable.size() == active.policy().agents().size()) {
      throw new ApiException(
          503,
          "no_upstream",
          "no agent of the active policy has an upstream configured (set upstreams in the"
              + " configuration file)");
    }
    RouteCase c = new RouteCase(features, text, null, available, caseId);
    List<String> failures = new ArrayList<>();
    for (int attempt = 0; attempt < active.policy().agents().size(); attempt++) {
      RouteResult r =
          router
              .route(List.of(c), new Router.RouteOptions("chat", Map.copyOf(unavailable)), true)
              .get(0);
      if (r.error() != null) {
        if (!failures.isEmpty()) {
          throw new ApiException(
              502,
              "upstream_unavailable",
              "no upstream could answer: " + String.join("; ", failures),
              r.error().retryAfterSeconds());
        }
        throw r.error();
      }
      String agent = r.agent();
      Upstream up = config.upstreams().get(agent);
      ObjectNode fwd = req.deepCopy();
      fwd.remove("defer4j");
      fwd.put("model", up.model());
      HttpRequest.Builder hb =
          HttpRequest.newBuilder(up.completions())
              .timeout(Duration.ofMillis(config.upstreamTimeoutMillis()))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Json.write(fwd)));
      if (up.apiKeyEnv() != null && env.get(up.apiKeyEnv()) != null) {
        hb.header("Authorization", "Bearer " + env.get(up.apiKeyEnv()));
      }
      HttpResponse<String> resp;
      try {
        resp = client.send(hb.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        failures.add(
            agent + ": " + e.getClass().getSimpleName() + " " + String.valueOf(e.getMessage()));
        router.withdraw(
            r, "upstream_unreachable", System.currentTimeMillis() + config.cooldownMillis());
        unavailable.put(agent, "its upstream could not be reached");
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        router.withdraw(r, "interrupted", 0);
        throw new ApiException(503, "interrupted", "the server is shutting down");
      }
      int st = resp.statusCode();
      if (st == 429 || st >= 500) {
        long wait = retryAfterMillis(resp).orElse(config.cooldownMillis());
        failures.add(agent + ": HTTP " + st);
        router.withdraw(r, "upstream_" + st, System.currentTimeMillis() + wait);
        unavailable.put(
            agent,
            st == 429 ? "rate-limited by its upstream (429)" : "its upstream failed (" + st + ")");
        continue;
      }
      JsonNode body;
      try {
        body = Json.MAPPER.readTree(resp.body());
      } catch (IOException e) {
        body = null;
      }
      if (st >= 400) {
        router.markStatus(r.decisionId(), "upstream_" + st);
        ObjectNode err = Json.object();
        if (body != null && body.isObject()) {
          err = (ObjectNode) body;
        } else {
          err.putObject("error").put("message", "the upstream answered " + st);
        }
        return new Answer(st, err, headers(r));
      }
      if (body == null || !body.isObject()) {
        failures.add(agent + ": not a JSON object");
        router.withdraw(
            r, "upstream_bad_response", System.currentTimeMillis() + config.cooldownMillis());
        unavailable.put(agent, "its upstream answered with something other than JSON");
        continue;
      }
      ObjectNode out = (ObjectNode) body;
      if (!out.hasNonNull("model")) {
        out.put("model", up.model());
      }
      ObjectNode d = out.putObject("defer4j");
      d.put("agent", agent);
      d.put("model", up.model());
      d.put("decisionId", r.decisionId());
      d.put("policy", r.policyId());
      d.put("fallback", r.fallback());
      if (!failures.isEmpty()) {
        ArrayNode fa = d.putArray("failedUpstreams");
        failures.forEach(fa::add);
      }
      return new Answer(200, out, headers(r));
    }
    throw new ApiException(
        502, "upstream_unavailable", "no upstream could answer: " + String.join("; ", failures));
  }

  private static Map<String, String> headers(RouteResult r) {
    return Map.of("X-Defer4j-Agent", r.agent(), "X-Defer4j-Decision", r.decisionId());
  }

  private static java.util.Optional<Long> retryAfterMillis(HttpResponse<?> resp) {
    return resp.headers()
        .firstValue("Retry-After")
        .flatMap(
            v -> {
              try {
                return java.util.Optional.of(Math.min(3_600_000L, Long.parseLong(v.trim()) * 1000));
              } catch (NumberFormatException e) {
                return java.util.Optional.empty();
              }
            });
  }

  /** The text of a message's content: a string, or the text parts of an array; null if none. */
  private static String content(JsonNode c, String where) {
    if (c == null || c.isNull()) {
      return null;
    }
    if (c.isTextual()) {
      return c.asText();
    }
    if (c.isArray()) {
      StringBuilder sb = new StringBuilder();
      Iterator<JsonNode> it = c.elements();
      while (it.hasNext()) {
        JsonNode part = it.next();
        if (part.isObject()
            && "text".equals(part.path("type").asText())
            && part.path("text").isTextual()) {
          if (sb.length() > 0) {
            sb.append('\n');
          }
          sb.append(part.path("text").asText());
        }
      }
      return sb.length() == 0 ? null : sb.toString();
    }
    throw ApiException.badRequest(where + ".content must be a string or an array of parts");
  }
}

package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/chat/completions} against stub OpenAI-compatible upstreams on loopback. */
class ChatIT {
  @TempDir Path dir;

  /** A stub upstream: answers as model {@code model}, or with {@code status} when it is not 200. */
  static final class Stub {
    final HttpServer server;
    final String model;
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final List<String> auth = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);

    Stub(String model) throws IOException {
      this.model = model;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/v1/chat/completions",
          ex -> {
            JsonNode body = Json.MAPPER.readTree(ex.getRequestBody());
            bodies.add(body);
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            int st = status.get();
            String out;
            if (st == 200) {
              out =
                  "{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", \"model\": \""
                      + model
                      + "\", \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\","
                      + " \"content\": \"answer from "
                      + model
                      + "\"}, \"finish_reason\": \"stop\"}]}";
            } else {
              out = "{\"error\": {\"message\": \"stub says " + st + "\"}}";
              if (st == 429) {
                ex.getResponseHeaders().add("Retry-After", "30");
              }
            }
            byte[] b = out.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(st, b.length);
            try (OutputStream os = ex.getResponseBody()) {
              os.write(b);
            }
          });
      server.start();
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }
  }

  Stub mixtral;
  Stub gpt4;
  RouterServer server;
  Http http;

  @BeforeEach
  void start() throws IOException {
    mixtral = new Stub("mixtral-8x7b-instruct");
    gpt4 = new Stub("gpt-4o");
    server =
        RouterServer.start(
            ServerConfig.builder()
                .port(0)
                .dataDir(dir.resolve("data"))
                .set("log-requests", false)
                .upstream(new Upstream("mixtral", mixtral.base(), mixtral.model, null))
                .upstream(new Upstream("gpt4", gpt4.base(), gpt4.model, "GPT4_KEY"))
                .build(),
            Map.of("GPT4_KEY", "sk-test"));
    http = new Http(server.url(), server.adminKey());
  }

  @AfterEach
  void stop() {
    server.close();
    mixtral.server.stop(0);
    gpt4.server.stop(0);
  }

  static ObjectNode chat(String model, String text) {
    ObjectNode o = Json.object();
    o.put("model", model);
    o.put("temperature", 0);
    o.putArray("messages").addObject().put("role", "system").put("content", "be brief");
    ((com.fasterxml.jackson.databind.node.ArrayNode) o.get("messages"))
        .addObject()
        .put("role", "user")
        .put("content", text);
    return o;
  }

  @Test
  void thePolicyPicksTheModelAndTheAnswerNamesIt() throws Exception {
    List<Prompts.Prompt> prompts = Prompts.gsm8k();
    int[] seen = new int[2];
    for (int i = 0; i < 30; i++) {
      Http.Res r = http.post("/v1/chat/completions", chat("auto", prompts.get(i).text()));
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
      String agent = r.json().get("defer4j").get("agent").asText();
      String model = agent.equals("gpt4") ? "gpt-4o" : "mixtral-8x7b-instruct";
      assertThat(r.json().get("model").asText()).isEqualTo(model);
      assertThat(r.json().get("choices").get(0).get("message").get("content").asText())
          .isEqualTo("answer from " + model);
      assertThat(r.header("X-Defer4j-Agent")).isEqualTo(agent);
      String id = r.json().get("defer4j").get("decisionId").asText();
      JsonNode d = http.get("/v1/decisions/" + id).json();
      assertThat(d.get("agent").asText()).isEqualTo(agent);
      assertThat(d.get("source").asText()).isEqualTo("chat");
      seen[agent.equals("gpt4") ? 1 : 0]++;
    }
    assertThat(seen[0]).isPositive();
    assertThat(seen[1]).isPositive();
    // The upstream got its own model name, the router's extension removed, and its key.
    for (JsonNode b : gpt4.bodies) {
      assertThat(b.get("model").asText()).isEqualTo("gpt-4o");
      assertThat(b.has("defer4j")).isFalse();
      assertThat(b.get("temperature").asInt()).isZero();
    }
    assertThat(gpt4.auth).allSatisfy(a -> assertThat(a).isEqualTo("Bearer sk-test"));
    assertThat(mixtral.auth).allSatisfy(a -> assertThat(a).isEqualTo("null"));
    // Naming an agent as the model asks that agent only.
    Http.Res forced = http.post("/v1/chat/completions", chat("gpt4", "hello"));
    assertThat(forced.json().get("defer4j").get("agent").asText()).isEqualTo("gpt4");
  }

  @Test
  void aRateLimitedUpstreamIsUnavailableAndTheRequestFallsBack() throws Exception {
    List<Prompts.Prompt> prompts = Prompts.gsm8k();
    // A prompt the policy sends to GPT-4.
    String text = null;
    for (Prompts.Prompt p : prompts) {
      Http.Res r = http.post("/v1/route", "{\"text\": " + Json.write(p.text()) + "}");
      if (r.json().get("agent").asText().equals("gpt4")) {
        text = p.text();
        break;
      }
    }
    assertThat(text).isNotNull();
    gpt4.status.set(429);
    Http.Res r = http.post("/v1/chat/completions", chat("auto", text));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    assertThat(r.json().get("defer4j").get("agent").asText()).isEqualTo("mixtral");
    assertThat(r.json().get("defer4j").get("failedUpstreams").toString())
        .contains("gpt4: HTTP 429");
    // Within Retry-After, GPT-4 is unavailable for /v1/route too, with the reason.
    Http.Res next = http.post("/v1/route", "{\"text\": " + Json.write(text) + "}");
    assertThat(next.json().get("agent").asText()).isEqualTo("mixtral");
    assertThat(next.json().get("skipped").toString()).contains("rate-limited");
    // Every upstream failing is a 502, never a hang.
    mixtral.status.set(500);
    Http.Res bad = http.post("/v1/chat/completions", chat("auto", "another question"));
    assertThat(bad.status()).isIn(502, 503);
  }

  @Test
  void chatInputIsValidatedAndUpstreamClientErrorsPassThrough() {
    assertThat(http.post("/v1/chat/completions", "{\"model\": \"auto\"}").status()).isEqualTo(400);
    ObjectNode s = chat("auto", "hi");
    s.put("stream", true);
    assertThat(http.post("/v1/chat/completions", s).status()).isEqualTo(400);
    ObjectNode noUser = Json.object();
    noUser.putArray("messages").addObject().put("role", "system").put("content", "x");
    assertThat(http.post("/v1/chat/completions", noUser).status()).isEqualTo(400);
    ObjectNode ext = chat("auto", "hi");
    ext.putObject("defer4j").put("bogus", 1);
    assertThat(http.post("/v1/chat/completions", ext).status()).isEqualTo(400);
    mixtral.status.set(400);
    gpt4.status.set(400);
    Http.Res r = http.post("/v1/chat/completions", chat("auto", "hi"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("message").asText()).startsWith("stub says");
  }
}

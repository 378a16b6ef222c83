package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router service on SQLite, end to end over HTTP. */
class ServerIT {
  @TempDir static Path dir;
  static RouterServer server;
  static Http admin;
  static List<Prompts.Prompt> prompts;

  @BeforeAll
  static void start() throws Exception {
    server =
        RouterServer.start(
            ServerConfig.builder()
                .port(0)
                .dataDir(dir.resolve("data"))
                .set("log-requests", false)
                .build(),
            Map.of());
    assertThat(server.adminKey()).startsWith("d4j_");
    admin = new Http(server.url(), server.adminKey());
    prompts = Prompts.gsm8k();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static ObjectNode textCase(String text) {
    ObjectNode o = Json.object();
    o.put("text", text);
    return o;
  }

  @Test
  void routeThenOutcomeThenDuplicateThenConflict() {
    Http.Res r = admin.post("/v1/route", textCase(prompts.get(0).text()));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    String id = r.json().get("id").asText();
    assertThat(r.json().get("policy").asText()).startsWith("p-");
    assertThat(r.json().get("agent").asText()).isIn("mixtral", "gpt4");
    assertThat(r.json().get("scores").has("gpt4")).isTrue();

    ObjectNode o = Json.object();
    o.put("decisionId", id);
    o.putObject("costs").put("mixtral", 1.0).put("gpt4", 0.0);
    Http.Res first = admin.post("/v1/outcomes", o);
    assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
    Http.Res again = admin.post("/v1/outcomes", o);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
    ObjectNode other = o.deepCopy();
    ((ObjectNode) other.get("costs")).put("gpt4", 1.0);
    Http.Res conflict = admin.post("/v1/outcomes", other);
    assertThat(conflict.status()).isEqualTo(409);
    ObjectNode unknown = o.deepCopy();
    unknown.put("decisionId", "no-such-decision");
    assertThat(admin.post("/v1/outcomes", unknown).status()).isEqualTo(404);

    Http.Res d = admin.get("/v1/decisions/" + id);
    assertThat(d.status()).isEqualTo(200);
    assertThat(d.json().get("outcome").get("costs").get("gpt4").asDouble()).isEqualTo(0.0);
  }

  @Test
  void badInputIsA4xxThatSaysWhatWasWrong() {
    List<String> bodies =
        List.of(
            "",
            "not json",
            "[1,2]",
            "{\"features\": 3}",
            "{\"text\": 3}",
            "{\"text\": \"a\", \"text\": \"b\"}",
            "{\"text\": \"a\", \"bogus\": 1}",
            "{\"features\": {\"prompt_length\": \"x\"}, \"text\": \"a\"}",
            "{\"features\": {\"prompt_length\": true}, \"text\": \"a\"}",
            "{\"features\": {}}",
            "{\"text\": \"a\", \"available\": [\"nobody\"]}",
            "{\"text\": \"a\", \"available\": \"gpt4\"}",
            "{\"text\": \"a\", \"model\": {\"p\": {\"x\": 2}}}",
            "{\"cases\": []}",
            "{\"cases\": [1]}",
            "{\"cases\": [{\"text\": \"a\"}, {\"features\": {\"a\": [1]}}]}",
            "{\"features\": {\"prompt_length\": 1e999}, \"text\": \"a\"}",
            "{\"text\": \"a\", \"id\": {}}",
            "{" + "\"a\":[".repeat(100) + "]".repeat(100) + "}");
    for (String b : bodies) {
      Http.Res r = admin.post("/v1/route", b);
      assertThat(r.status()).as(b + " -> " + r.raw().body()).isBetween(400, 499);
      assertThat(r.json().get("error").get("message").asText()).as(b).isNotBlank();
      assertThat(r.raw().body()).doesNotContain("Exception").doesNotContain("at org.");
    }
    Http.Res r =
        admin.post("/v1/route", "{\"cases\": [{\"text\": \"a\"}, {\"features\": {\"a\": [1]}}]}");
    assertThat(r.json().get("error").get("message").asText()).contains("cases[1].features.a");
    assertThat(admin.post("/v1/outcomes", "{\"decisionId\": 5}").status()).isEqualTo(400);
    assertThat(admin.post("/v1/outcomes", "{}").status()).isEqualTo(400);
    assertThat(
            admin
                .put(
                    "/v1/experts",
                    "{\"experts\": [{\"name\": \"gpt4\", \"capacity\": -1, \"period\": \"PT1H\"}]}")
                .status())
        .isEqualTo(400);
    assertThat(
            admin
                .put("/v1/experts", "{\"experts\": [{\"name\": \"gpt4\", \"capacity\": 3}]}")
                .status())
        .isEqualTo(400);
    assertThat(
            admin
                .put(
                    "/v1/experts",
                    "{\"experts\": [{\"name\": \"gpt4\", \"windows\": [\"Mon 25:00-26:00\"]}]}")
                .status())
        .isEqualTo(400);
    assertThat(
            admin
                .put("/v1/experts", "{\"experts\": [{\"name\": \"gpt4\", \"period\": \"1h\"}]}")
                .status())
        .isEqualTo(400);
    assertThat(admin.post("/v1/policies", "{\"format\": \"defer4j-policy\"}").status())
        .isEqualTo(400);
    assertThat(admin.put("/v1/policies/active", "{\"id\": \"p-nope\"}").status()).isEqualTo(404);
    assertThat(admin.get("/v1/nothing-here").status()).isEqualTo(404);
    assertThat(admin.delete("/v1/route").status()).isEqualTo(405);
    // Body and batch limits.
    String big = "{\"text\": \"" + "a".repeat(2 << 20) + "\"}";
    assertThat(admin.post("/v1/route", big).status()).isEqualTo(413);
    StringBuilder many = new StringBuilder("{\"cases\": [");
    for (int i = 0; i < 1001; i++) {
      many.append(i == 0 ? "" : ",").append("{\"text\": \"a\"}");
    }
    assertThat(admin.post("/v1/route", many.append("]}").toString()).status()).isEqualTo(413);
  }

  @Test
  void keysAndRoles() {
    Http none = admin.withKey(null);
    assertThat(none.post("/v1/route", textCase("hi")).status()).isEqualTo(401);
    assertThat(admin.withKey("d4j_wrong").post("/v1/route", textCase("hi")).status())
        .isEqualTo(401);
    assertThat(none.get("/health").status()).isEqualTo(200);
    Http.Res made = admin.post("/v1/keys", "{\"role\": \"route\", \"name\": \"app\"}");
    assertThat(made.status()).isEqualTo(201);
    Http app = admin.withKey(made.json().get("key").asText());
    assertThat(app.post("/v1/route", textCase("hi")).status()).isEqualTo(200);
    assertThat(app.get("/v1/dashboard").status()).isEqualTo(200);
    assertThat(app.get("/v1/experts").status()).isEqualTo(403);
    assertThat(app.get("/v1/policies").status()).isEqualTo(403);
    assertThat(app.post("/v1/keys", "{\"role\": \"admin\"}").status()).isEqualTo(403);
    Http.Res list = admin.get("/v1/keys");
    assertThat(list.raw().body()).doesNotContain(made.json().get("key").asText());
    assertThat(admin.delete("/v1/keys/" + made.json().get("id").asText()).status()).isEqualTo(204);
    assertThat(app.post("/v1/route", textCase("hi")).status()).isEqualTo(401);
  }

  @Test
  void batchesAndAvailability() {
    ObjectNode body = Json.object();
    var cases = body.putArray("cases");
    for (int i = 0; i < 20; i++) {
      ObjectNode c = textCase(prompts.get(i).text());
      c.put("id", prompts.get(i).id());
      if (i % 2 == 0) {
        c.putArray("available").add("mixtral");
      }
      cases.add(c);
    }
    Http.Res r = admin.post("/v1/route", body);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    JsonNode ds = r.json().get("decisions");
    assertThat(ds.size()).isEqualTo(20);
    for (int i = 0; i < 20; i++) {
      JsonNode d = ds.get(i);
      assertThat(d.get("caseId").asText()).isEqualTo(prompts.get(i).id());
      if (i % 2 == 0) {
        assertThat(d.get("agent").asText()).isEqualTo("mixtral");
        assertThat(d.get("skipped").toString()).contains("gpt4").contains("UNAVAILABLE");
      }
    }
  }

  @Test
  void openApiNamesEveryEndpoint() {
    Http.Res r = admin.withKey(null).get("/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("openapi").asText()).startsWith("3.");
    for (String path :
        List.of(
            "/v1/route",
            "/v1/outcomes",
            "/v1/experts",
            "/v1/experts/{name}",
            "/v1/policies",
            "/v1/policies/active",
            "/v1/policies/shadow",
            "/v1/policies/{id}",
            "/v1/policies/{id}/artifact",
            "/v1/keys",
            "/v1/keys/{id}",
            "/v1/decisions/{id}",
            "/v1/dashboard",
            "/v1/chat/completions",
            "/health",
            "/metrics")) {
      assertThat(r.json().get("paths").has(path)).as(path).isTrue();
    }
  }

  @Test
  void metricsAndDashboard() {
    admin.post("/v1/route", textCase(prompts.get(3).text()));
    Http.Res m = admin.withKey(null).get("/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.raw().body())
        .contains("defer4j_decisions_total")
        .contains("defer4j_http_server_requests_seconds_bucket");
    Http.Res d = admin.get("/v1/dashboard");
    assertThat(d.status()).isEqualTo(200);
    JsonNode j = d.json();
    assertThat(j.get("policy").get("id").asText()).startsWith("p-");
    assertThat(j.get("agents").size()).isEqualTo(2);
    assertThat(j.get("allocation").size()).isEqualTo(60);
    assertThat(j.get("agents").get(1).get("targetShare").asDouble()).isEqualTo(0.5);
    long decided = 0;
    for (JsonNode a : j.get("agents")) {
      decided += a.get("decisions").asLong();
    }
    assertThat(decided).isPositive();
    assertThat(j.get("live").has("outcomes")).isTrue();
  }
}

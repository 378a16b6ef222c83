package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;

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
}

package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router on PostgreSQL: the round trip and idempotency, 64 concurrent clients under a capacity
 * in one process, and two server processes sharing one database whose budget they never exceed
 * together.
 */
class PostgresIT {
  @TempDir Path dir;
  static List<Prompts.Prompt> prompts;

  @BeforeAll
  static void load() throws Exception {
    prompts = Prompts.gsm8k();
  }

  private static RouterServer start(String url) {
    return RouterServer.start(
        ServerConfig.builder()
            .port(0)
            .dataDir(Path.of("unused"))
            .jdbcUrl(url)
            .set("log-requests", false)
            .set("sync-millis", 100)
            .build(),
        Map.of());
  }

  @Test
  void roundTripAndIdempotencyOnPostgres() throws Exception {
    String url = Pg.freshDatabase();
    String id;
    try (RouterServer s = start(url)) {
      Http admin = new Http(s.url(), s.adminKey());
      assertThat(admin.get("/health").json().get("store").asText()).isEqualTo("postgresql");
      Http.Res r = admin.post("/v1/route", "{\"text\": " + Json.write(prompts.get(0).text()) + "}");
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
      id = r.json().get("id").asText();
      String o = "{\"decisionId\": \"" + id + "\", \"costs\": {\"mixtral\": 0, \"gpt4\": 0}}";
      assertThat(admin.post("/v1/outcomes", o).status()).isEqualTo(201);
      assertThat(admin.post("/v1/outcomes", o).status()).isEqualTo(200);
      assertThat(admin.post("/v1/outcomes", o.replace("\"gpt4\": 0", "\"gpt4\": 1")).status())
          .isEqualTo(409);
      assertThat(admin.post("/v1/outcomes", o.replace(id, "nope")).status()).isEqualTo(404);
    }
    // Restarted on the same database: the decision and its outcome are there, the key too.
    try (RouterServer s = start(url)) {
      assertThat(s.adminKey()).isNull();
      JsonNode d = s.router().decisionJson(id);
      assertThat(d.get("outcome").get("costs").get("gpt4").asDouble()).isEqualTo(0.0);
    }
  }

  @Test
  void capacityUnder64ConcurrentClientsOnPostgres() throws Exception {
    String url = Pg.freshDatabase();
    try (RouterServer s = start(url)) {
      Http admin = new Http(s.url(), s.adminKey());
      admin.put(
          "/v1/experts",
          "{\"experts\": [{\"name\": \"gpt4\", \"capacity\": 29, \"period\": \"PT1H\"}]}");
      List<Load.Answer> answers = Load.route(List.of(admin), 64, 8, prompts);
      assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
      Map<Long, Integer> perHour = Load.servedPerPeriod(answers, "gpt4", 3600);
      assertThat(perHour.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(29));
      assertThat(dbCounts(url)).isEqualTo(perHour);
    }
  }

  /** Two server processes on one database: together they never exceed the capacity. */
  @Test
  void twoProcessesShareTheBudget() throws Exception {
    String url = Pg.freshDatabase();
    String key = ApiKey.generate();
    Map<String, String> env = Map.of("DEFER4J_API_KEY", key, "DEFER4J_SYNC_MILLIS", "100");
    try (Child a = Child.start(dir.resolve("a"), List.of("--jdbc-url", url), env);
        Child b = Child.start(dir.resolve("b"), List.of("--jdbc-url", url), env)) {
      Http ha = new Http(a.url(), key);
      Http hb = new Http(b.url(), key);
      int capacity = 41;
      Http.Res put =
          ha.put(
              "/v1/experts",
              "{\"experts\": [{\"name\": \"gpt4\", \"capacity\": "
                  + capacity
                  + ", \"period\": \"PT1H\"}]}");
      assertThat(put.status()).as(put.raw().body()).isEqualTo(200);
      // The other process sees the registry change (its decisions re-read it when the version
      // moves).
      List<Load.Answer> answers = Load.route(List.of(ha, hb), 64, 10, prompts);
      assertThat(answers)
          .allSatisfy(x -> assertThat(x.status()).as(String.valueOf(x.json())).isEqualTo(200));
      Map<Long, Integer> perHour = Load.servedPerPeriod(answers, "gpt4", 3600);
      assertThat(perHour.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(capacity));
      if (perHour.size() == 1) {
        assertThat(perHour.values().iterator().next()).isEqualTo(capacity);
      }
      assertThat(dbCounts(url)).isEqualTo(perHour);
      // Both processes served requests.
      JsonNode eb = hb.get("/v1/experts").json().get("experts");
      for (JsonNode e : eb) {
        if (e.get("name").asText().equals("gpt4")) {
          assertThat(e.get("capacity").asInt()).isEqualTo(capacity);
        }
      }
      ObjectNode only = Json.object();
      only.put("text", prompts.get(1).text());
      only.putArray("available").add("gpt4");
      if (perHour.size() == 1) {
        assertThat(hb.post("/v1/route", only).status()).isEqualTo(429);
        assertThat(ha.post("/v1/route", only).status()).isEqualTo(429);
      }
    }
  }

  /** Served GPT-4 decisions in the database, per hour. */
  private static Map<Long, Integer> dbCounts(String url) throws Exception {
    Map<Long, Integer> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (created_at / 3600000) * 3600, COUNT(*) FROM d4j_decision WHERE"
                    + " agent = 'gpt4' AND status = 'served' GROUP BY 1")) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getInt(2));
      }
    }
    return out;
  }
}

package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.PolicyArtifact;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live budgets, the registry and policy switches under concurrent load (SQLite). */
class BudgetIT {
  @TempDir Path dir;
  static List<Prompts.Prompt> prompts;

  @BeforeAll
  static void load() throws Exception {
    prompts = Prompts.gsm8k();
  }

  private RouterServer start(Path data) {
    return RouterServer.start(
        ServerConfig.builder().port(0).dataDir(data).set("log-requests", false).build(), Map.of());
  }

  /** 64 clients at once: GPT-4 never serves more than its capacity, fallbacks included. */
  @Test
  void capacityIsNeverExceededUnder64ConcurrentClients() throws Exception {
    try (RouterServer s = start(dir.resolve("a"))) {
      Http admin = new Http(s.url(), s.adminKey());
      int capacity = 37;
      Http.Res put =
          admin.put(
              "/v1/experts",
              "{\"experts\": [{\"name\": \"gpt4\", \"capacity\": "
                  + capacity
                  + ", \"period\": \"PT1H\"}]}");
      assertThat(put.status()).as(put.raw().body()).isEqualTo(200);
      List<Load.Answer> answers = Load.route(List.of(admin), 64, 12, prompts);
      assertThat(answers).hasSize(64 * 12);
      assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
      Map<Long, Integer> perHour = Load.servedPerPeriod(answers, "gpt4", 3600);
      assertThat(perHour.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(capacity));
      // Demand is far above the capacity, so within one period it is used exactly.
      if (perHour.size() == 1) {
        assertThat(perHour.values().iterator().next()).isEqualTo(capacity);
      }
      long overCapacity =
          answers.stream()
              .filter(a -> a.json().get("skipped").toString().contains("OVER_CAPACITY"))
              .count();
      assertThat(overCapacity).isPositive();
      // The store agrees with the answers.
      JsonNode experts = admin.get("/v1/experts").json().get("experts");
      for (JsonNode e : experts) {
        if (e.get("name").asText().equals("gpt4") && perHour.size() == 1) {
          assertThat(e.get("used").asInt()).isEqualTo(capacity);
        }
      }
      // Over capacity with only GPT-4 allowed: 429 with Retry-After.
      ObjectNode only = Json.object();
      only.put("text", prompts.get(0).text());
      only.putArray("available").add("gpt4");
      Http.Res r = admin.post("/v1/route", only);
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.header("Retry-After")).isNotNull();
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("capacity_exhausted");
    }
  }

  /**
   * The router inserts a counter row once and then only reads it; a row deleted under it anyway (by
   * hand) is inserted again and the decision still counts against the capacity.
   */
  @Test
  void deletedCounterRowsAreInsertedAgain() throws Exception {
    Path data = dir.resolve("e");
    try (RouterServer s = start(data)) {
      Http admin = new Http(s.url(), s.adminKey());
      admin.put(
          "/v1/experts",
          "{\"experts\": [{\"name\": \"gpt4\", \"capacity\": 2, \"period\": \"PT1H\"}]}");
      ObjectNode only = Json.object();
      only.put("text", prompts.get(0).text());
      only.putArray("available").add("gpt4");
      assertThat(admin.post("/v1/route", only).status()).isEqualTo(200);
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection(org.defer4j.server.store.Store.sqliteUrl(data));
          java.sql.Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 30000");
        assertThat(st.executeUpdate("DELETE FROM d4j_counter")).isPositive();
      }
      // The rows start again from zero: two more GPT-4 decisions fit, the third does not.
      assertThat(admin.post("/v1/route", only).status()).isEqualTo(200);
      assertThat(admin.post("/v1/route", only).status()).isEqualTo(200);
      Http.Res over = admin.post("/v1/route", only);
      assertThat(over.status()).as(over.raw().body()).isEqualTo(429);
      JsonNode experts = admin.get("/v1/experts").json().get("experts");
      for (JsonNode e : experts) {
        if (e.get("name").asText().equals("gpt4")) {
          assertThat(e.get("used").asInt()).isEqualTo(2);
        }
      }
    }
  }

  @Test
  void shareTargetHoldsAtEveryPoint() throws Exception {
    try (RouterServer s = start(dir.resolve("b"))) {
      Http admin = new Http(s.url(), s.adminKey());
      admin.put("/v1/experts", "{\"experts\": [{\"name\": \"gpt4\", \"targetShare\": 0.2}]}");
      List<Load.Answer> answers = Load.route(List.of(admin), 16, 10, prompts);
      long gpt4 =
          answers.stream().filter(a -> a.json().get("agent").asText().equals("gpt4")).count();
      assertThat(gpt4).isLessThanOrEqualTo((long) Math.ceil(0.2 * answers.size()));
      assertThat(gpt4).isGreaterThan(0);
      JsonNode dash = admin.get("/v1/dashboard").json();
      JsonNode g = dash.get("agents").get(1);
      assertThat(g.get("name").asText()).isEqualTo("gpt4");
      assertThat(g.get("targetShare").asDouble()).isEqualTo(0.2);
      assertThat(g.get("realisedShare").asDouble()).isBetween(0.0, 0.2 + 1.0 / answers.size());
    }
  }

  @Test
  void registrySwitchesAgentsOffAndTimeWindowsApply() {
    try (RouterServer s = start(dir.resolve("c"))) {
      Http admin = new Http(s.url(), s.adminKey());
      admin.put("/v1/experts/gpt4", "{\"enabled\": false}");
      for (int i = 0; i < 10; i++) {
        Http.Res r =
            admin.post("/v1/route", "{\"text\": " + Json.write(prompts.get(i).text()) + "}");
        assertThat(r.json().get("agent").asText()).isEqualTo("mixtral");
        assertThat(r.json().get("agents").get(1).get("status").asText()).isEqualTo("UNAVAILABLE");
      }
      // A window that never holds now: 00:00-00:01 on a day that is not today.
      String other =
          java.time.LocalDate.now(java.time.ZoneOffset.UTC)
              .getDayOfWeek()
              .plus(3)
              .name()
              .substring(0, 3);
      admin.put("/v1/experts/gpt4", "{\"windows\": [\"" + other + " 00:00-00:01\"]}");
      JsonNode e = admin.get("/v1/experts").json().get("experts").get(1);
      assertThat(e.get("availableNow").asBoolean()).isFalse();
      assertThat(e.get("unavailableBecause").asText()).contains("time windows");
      admin.put("/v1/experts/mixtral", "{\"enabled\": false}");
      Http.Res none = admin.post("/v1/route", "{\"text\": \"hi\"}");
      assertThat(none.status()).isEqualTo(503);
      assertThat(none.json().get("error").get("code").asText()).isEqualTo("no_agent_available");
      assertThat(admin.delete("/v1/experts/gpt4").status()).isEqualTo(204);
      assertThat(admin.delete("/v1/experts/mixtral").status()).isEqualTo(204);
      assertThat(admin.post("/v1/route", "{\"text\": \"hi\"}").status()).isEqualTo(200);
    }
  }

  /** Switching the active policy back and forth while 16 clients route: no request fails. */
  @Test
  void policySwitchUnderLoadFailsNoRequest() throws Exception {
    try (RouterServer s = start(dir.resolve("d"))) {
      Http admin = new Http(s.url(), s.adminKey());
      String a = s.router().activeEntry().id();
      LearnedPolicy demo = Prompts.demo();
      LearnedPolicy other = demo.withRule(DecisionRules.argmax()).withName("argmax");
      Http.Res up =
          admin.post(
              "/v1/policies",
              new String(PolicyArtifact.toBytes(other), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(up.status()).as(up.raw().body()).isEqualTo(201);
      String b = up.json().get("id").asText();
      assertThat(b).isNotEqualTo(a);
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<List<Load.Answer>>> fs = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        int client = c;
        fs.add(
            pool.submit(
                () -> {
                  List<Load.Answer> out = new ArrayList<>();
                  int i = 0;
                  while (running.get()) {
                    Http.Res r =
                        admin.post(
                            "/v1/route",
                            "{\"text\": "
                                + Json.write(
                                    prompts.get((client * 31 + i++) % prompts.size()).text())
                                + "}");
                    out.add(new Load.Answer(r.status(), r.json()));
                  }
                  return out;
                }));
      }
      for (int k = 0; k < 20; k++) {
        Thread.sleep(40);
        Http.Res sw =
            k % 4 == 3
                ? admin.put("/v1/policies/active", "{\"rollback\": true}")
                : admin.put("/v1/policies/active", "{\"id\": \"" + (k % 2 == 0 ? b : a) + "\"}");
        assertThat(sw.status()).as(sw.raw().body()).isEqualTo(200);
      }
      Thread.sleep(100);
      running.set(false);
      List<Load.Answer> all = new ArrayList<>();
      for (Future<List<Load.Answer>> f : fs) {
        all.addAll(f.get(1, TimeUnit.MINUTES));
      }
      pool.shutdown();
      assertThat(all.size()).isGreaterThan(100);
      assertThat(all).allSatisfy(x -> assertThat(x.status()).isEqualTo(200));
      Set<String> used = new HashSet<>();
      all.forEach(x -> used.add(x.json().get("policy").asText()));
      assertThat(used).containsExactlyInAnyOrder(a, b);
      // Rollback keeps the previous policy: the list shows both.
      JsonNode list = admin.get("/v1/policies").json();
      assertThat(list.get("previous").isNull()).isFalse();
      // A shadow policy's decisions are logged, not served.
      admin.put("/v1/policies/shadow", "{\"id\": \"" + a + "\"}");
      Http.Res r = admin.post("/v1/route", "{\"text\": \"what is 3 times 7?\"}");
      assertThat(r.json().get("shadow").get("policy").asText()).isEqualTo(a);
      assertThat(r.json().get("shadow").get("agent").asText()).isIn("mixtral", "gpt4");
      JsonNode stored = admin.get("/v1/decisions/" + r.json().get("id").asText()).json();
      assertThat(stored.get("shadow").get("policy").asText()).isEqualTo(a);
    }
  }
}

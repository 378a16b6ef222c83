package org.defer4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The web UI's pages and endpoints over HTTP, on a bare Javalin app ({@link WebUiHarness}). */
class WebUiTest {
  static WebUiHarness server;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    server = new WebUiHarness();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.url(path))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.url(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePagesAndTheirScriptsFromTheJar() throws Exception {
    for (String page : List.of("/ui/", "/ui/dashboard.html", "/ui/explorer.html", "/ui/l2d.html")) {
      HttpResponse<String> r = get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
      // No script or stylesheet from another origin.
      assertThat(r.body()).doesNotContain("src=\"http").doesNotContain("href=\"http");
    }
    for (String asset :
        List.of("/ui/common.js", "/ui/l2d.js", "/ui/dashboard.js", "/ui/explorer.js")) {
      assertThat(get(asset).statusCode()).as(asset).isEqualTo(200);
    }
    HttpResponse<String> bare = get("/ui");
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("location")).hasValue("/ui/");
  }

  @Test
  void problemIsTheStandardDrawWithItsClassifier() throws Exception {
    HttpResponse<String> r = get("/ui/api/l2d/problem");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    List<PocketProblem.Point> expected = PocketProblem.standard();
    assertThat(body.get("points")).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      JsonNode p = body.get("points").get(i);
      assertThat(p.get("x").asDouble()).isEqualTo(expected.get(i).x());
      assertThat(p.get("y").asDouble()).isEqualTo(expected.get(i).y());
      assertThat(p.get("label").asInt()).isEqualTo(expected.get(i).label());
    }
    assertThat(body.get("classifier").get("b").asDouble()).isEqualTo(PocketProblem.B);
    JsonNode other = JSON.readTree(get("/ui/api/l2d/problem?seed=8").body());
    assertThat(other.get("points").get(0).get("x").asDouble()).isNotEqualTo(expected.get(0).x());
  }

  @Test
  void learnTrainsOnThePostedPointsAndReportsTheSameReadoutAsItsFlags() throws Exception {
    String points =
        JSON.writeValueAsString(JSON.readTree(get("/ui/api/l2d/problem").body()).get("points"));
    HttpResponse<String> r =
        post("/ui/api/l2d/learn", "{\"points\":" + points + ",\"deferralCost\":0.25}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    List<PocketProblem.Point> pts = PocketProblem.standard();
    boolean[] flags = new boolean[pts.size()];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = body.get("deferred").get(i).asBoolean();
    }
    PocketProblem.Readout recount = PocketProblem.readout(pts, flags);
    JsonNode readout = body.get("readout");
    assertThat(readout.get("deferred").asInt()).isEqualTo(recount.deferred());
    assertThat(readout.get("coverage").asDouble()).isEqualTo(recount.coverage());
    assertThat(readout.get("accuracy").asDouble()).isEqualTo(recount.accuracy());
    assertThat(body.get("policy").get("method").asText()).isEqualTo("2s-comp:1");
    assertThat(body.get("grid").get("chosen")).hasSize(WebUi.LEARN_GRID * WebUi.LEARN_GRID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[",
        "[]",
        "null",
        "{}",
        "{\"points\":[]}",
        "{\"points\":{}}",
        "{\"points\":[1]}",
        "{\"points\":[{\"x\":0.1,\"y\":0.2}]}",
        "{\"points\":[{\"x\":0.1,\"y\":0.2,\"label\":2}]}",
        "{\"points\":[{\"x\":0.1,\"y\":0.2,\"label\":0.5}]}",
        "{\"points\":[{\"x\":\"a\",\"y\":0.2,\"label\":0}]}",
        "{\"points\":[{\"x\":1e400,\"y\":0.2,\"label\":0}]}",
        "{\"points\":[{\"x\":0.1,\"y\":0.2,\"label\":0,\"z\":1}]}",
        "{\"points\":[{\"x\":0.1,\"y\":0.2,\"label\":0}],\"deferralCost\":1}",
        "{\"points\":[{\"x\":0.1,\"y\":0.2,\"label\":0}],\"deferralCost\":\"0.2\"}",
        "{\"points\":[{\"x\":0.1,\"y\":0.2,\"label\":0}],\"extra\":true}",
        "{\"points\":[{\"x\":0.1,\"y\":0.2,\"label\":0}],\"points\":[]}"
      })
  void badLearnBodiesGet400WithAJsonError(String body) throws Exception {
    HttpResponse<String> r = post("/ui/api/l2d/learn", body);
    assertThat(r.statusCode()).as(body).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
    JsonNode err = JSON.readTree(r.body());
    assertThat(err.get("error").asText()).isNotBlank().doesNotContain("Exception");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ui/api/l2d/problem?seed=abc",
        "/ui/api/l2d/problem?seed=-1",
        "/ui/api/policy/grid?size=1",
        "/ui/api/policy/grid?size=201",
        "/ui/api/policy/grid?size=x",
        "/ui/api/policy/grid?xmin=NaN",
        "/ui/api/policy/grid?xmin=Infinity",
        "/ui/api/policy/grid?xmin=2&xmax=1",
      })
  void badQueriesGet400(String path) throws Exception {
    server.policy.set(twoFeaturePolicy());
    try {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText()).isNotBlank();
    } finally {
      server.policy.set(null);
    }
  }

  @Test
  void gridWithoutAnActivePolicyIs404() throws Exception {
    HttpResponse<String> r = get("/ui/api/policy/grid");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("no policy is active");
  }

  @Test
  void gridEvaluatesTheActivePolicyAtEachCellCentre() throws Exception {
    LearnedPolicy policy = twoFeaturePolicy();
    server.policy.set(policy);
    try {
      HttpResponse<String> r = get("/ui/api/policy/grid?size=4&xmin=0&xmax=1&ymin=0&ymax=2");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("plottable").asBoolean()).isTrue();
      JsonNode chosen = body.get("grid").get("chosen");
      assertThat(chosen).hasSize(16);
      // Cell (i, j) has centre (0.125 + 0.25 i, 0.25 + 0.5 j); one-case decisions through the
      // policy's own map entry point must agree.
      for (int j = 0; j < 4; j++) {
        for (int i = 0; i < 4; i++) {
          String expected =
              policy.decide(java.util.Map.of("x", 0.125 + 0.25 * i, "y", 0.25 + 0.5 * j)).agent();
          int got = chosen.get(j * 4 + i).asInt();
          assertThat(body.get("agents").get(got).asText())
              .as("cell %d, %d", i, j)
              .isEqualTo(expected);
        }
      }
      double shares = 0;
      for (JsonNode s : body.get("grid").get("shares")) {
        shares += s.asDouble();
      }
      assertThat(shares).isCloseTo(1.0, within(1e-12));
    } finally {
      server.policy.set(null);
    }
  }

  @Test
  void policyOnThreeFeaturesGetsAMessageNotAGrid() throws Exception {
    int n = 40;
    double[] block = new double[3 * n];
    int[] labels = new int[n];
    int[] model = new int[n];
    for (int i = 0; i < n; i++) {
      block[3 * i] = i / (double) n;
      block[3 * i + 1] = (i * 7 % n) / (double) n;
      block[3 * i + 2] = (i * 13 % n) / (double) n;
      labels[i] = i % 2;
      model[i] = i % 3 == 0 ? 1 - labels[i] : labels[i];
    }
    TaskSpec task =
        TaskSpec.classification(List.of("a", "b"), "m", List.of(Agent.expert("e", 0.2)));
    DeferralTable table =
        DeferralTable.builder("three", n)
            .features(List.of("u", "v", "w"), block)
            .labels(labels)
            .agent("m", new AgentColumns(n, model, null, null, 0, null))
            .agent("e", new AgentColumns(n, labels, null, null, 0, null))
            .build();
    LearnedPolicy policy =
        new DeferralTrainer(
                Surrogates.complementaryCost(1.0),
                DeferralTrainer.linear(0.0),
                TrainOptions.defaults().withEpochs(3),
                false)
            .fit(task, table, null, TrainingListener.NONE);
    server.policy.set(policy);
    try {
      HttpResponse<String> r = get("/ui/api/policy/grid");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("plottable").asBoolean()).isFalse();
      assertThat(body.get("reason").asText()).contains("3 input features").contains("u, v, w");
      assertThat(body.has("grid")).isFalse();
    } finally {
      server.policy.set(null);
    }
  }

  /** A small real policy on the page's points (features x and y). */
  static LearnedPolicy twoFeaturePolicy() {
    return new RegionLearner(20, 5L).learn(PocketProblem.standard(), 0.25, 4).policy();
  }
}

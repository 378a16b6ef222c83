package org.defer4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the web UI endpoints over HTTP on a running app (with a 2-D policy active): whatever the
 * query or body, the answer is 200, or a 4xx whose body is a JSON {@code {"error": ...}}; a 5xx is
 * a finding.
 */
class WebUiHttpFuzzTest {
  static WebUiHarness server;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    server = new WebUiHarness();
    server.policy.set(new RegionLearner(20, 5L).learn(PocketProblem.standard(), 0.25, 4).policy());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @FuzzTest(maxDuration = "10s")
  void endpoints(FuzzedDataProvider data) throws Exception {
    int which = data.consumeInt(0, 2);
    HttpRequest.Builder req;
    if (which == 2) {
      req =
          HttpRequest.newBuilder(URI.create(server.url("/ui/api/l2d/learn")))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(data.consumeRemainingAsString()));
    } else {
      StringBuilder q = new StringBuilder();
      String[] names =
          which == 0
              ? new String[] {"seed"}
              : new String[] {"size", "xmin", "xmax", "ymin", "ymax"};
      for (String name : names) {
        if (data.consumeBoolean()) {
          q.append(q.length() == 0 ? "?" : "&")
              .append(name)
              .append('=')
              .append(URLEncoder.encode(data.consumeString(40), StandardCharsets.UTF_8));
        }
      }
      String path = which == 0 ? "/ui/api/l2d/problem" : "/ui/api/policy/grid";
      req = HttpRequest.newBuilder(URI.create(server.url(path + q))).GET();
    }
    HttpResponse<String> r = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(500);
    if (r.statusCode() >= 400) {
      JsonNode err = JSON.readTree(r.body());
      assertThat(err.get("error").asText()).isNotBlank();
    }
  }
}

package org.defer4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.defer4j.server.ApiException;
import org.defer4j.server.Json;
import org.defer4j.server.RouterServer;
import org.defer4j.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the router's request parsing: {@link Json#parseObject} directly (a JSON object or a 4xx
 * {@link ApiException}) and {@code POST /v1/route} bodies on a running router with its default
 * policy (200, or a 4xx with a JSON {@code error.message}; a 5xx is a finding).
 */
class RouteFuzzTest {
  static Path data;
  static RouterServer router;
  static String key;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("defer4j-route-fuzz");
    router =
        RouterServer.start(
            ServerConfig.builder().port(0).dataDir(data).set("log-requests", false).build(),
            Map.of());
    key = router.adminKey();
  }

  @AfterAll
  static void stop() throws Exception {
    if (router != null) {
      router.close();
    }
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @FuzzTest(maxDuration = "5s")
  void jsonBody(byte[] body) {
    try {
      assertThat(Json.parseObject(body).isObject()).isTrue();
    } catch (ApiException e) {
      assertThat(e.status()).isBetween(400, 499);
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "15s")
  void routeBody(byte[] body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(router.url() + "/v1/route"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(500);
    if (r.statusCode() >= 400) {
      JsonNode err = JSON.readTree(r.body());
      assertThat(err.get("error").get("message").asText()).isNotBlank();
    }
  }
}

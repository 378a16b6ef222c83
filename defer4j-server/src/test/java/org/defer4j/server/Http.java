package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for the tests. */
final class Http {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;
  private final String key;

  Http(String base, String key) {
    this.base = base;
    this.key = key;
  }

  Http withKey(String k) {
    return new Http(base, k);
  }

  /** A response: status, body as JSON (null when it is not JSON) and the raw response. */
  record Res(int status, JsonNode json, HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  Res get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Res delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  Res post(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Res put(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Res post(String path, Object body) {
    return post(path, Json.write(body));
  }

  Res put(String path, Object body) {
    return put(path, Json.write(body));
  }

  Res send(HttpRequest.Builder b) {
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    b.timeout(Duration.ofSeconds(60));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode j = null;
      try {
        j = r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
      } catch (IOException e) {
        j = null;
      }
      return new Res(r.statusCode(), j, r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

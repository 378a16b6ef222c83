package org.defer4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI 3 description of the API ({@code /openapi.json}), a resource of the jar. */
final class OpenApi {
  private static final byte[] DOCUMENT = load();

  private OpenApi() {}

  static byte[] document() {
    return DOCUMENT;
  }

  private static byte[] load() {
    try (InputStream in = OpenApi.class.getResourceAsStream("/org/defer4j/server/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

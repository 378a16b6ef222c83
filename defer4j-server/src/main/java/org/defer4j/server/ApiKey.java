package org.defer4j.server;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * An API key as the store knows it: an id to name it by, its role, a label and when it was made;
 * the key itself is never stored, only its SHA-256 ({@link #hash}). Keys are 32 random bytes, so a
 * plain SHA-256 (no salt, no stretching) cannot be reversed by guessing.
 *
 * @param id the key's public id ({@code k-} and 12 hex digits)
 * @param role what it may do
 * @param name a label
 * @param createdAt epoch milliseconds
 */
public record ApiKey(String id, Role role, String name, long createdAt) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new random key: {@code d4j_} and 43 base64url characters. */
  public static String generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "d4j_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A new random key id. */
  public static String newId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "k-" + java.util.HexFormat.of().formatHex(b);
  }

  /** The hash the store keeps of a key. */
  public static String hash(String key) {
    return PolicyEntry.sha256(key.getBytes(StandardCharsets.UTF_8));
  }
}

package org.defer4j.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.PolicyArtifact;

/**
 * A policy known to the router: its id ({@code p-} and the first 16 hex digits of the SHA-256 of
 * its artifact, so the same artifact always has the same id), the artifact and the loaded policy.
 *
 * @param id the id
 * @param sha256 the SHA-256 of the artifact bytes
 * @param name the policy's name
 * @param method the training method (from its provenance)
 * @param uploadedAt when it was first uploaded, epoch milliseconds
 * @param artifact the artifact's JSON text
 * @param policy the loaded policy
 */
public record PolicyEntry(
    String id,
    String sha256,
    String name,
    String method,
    long uploadedAt,
    String artifact,
    LearnedPolicy policy) {

  /**
   * Reads an uploaded artifact.
   *
   * @throws ApiException 400 when the bytes are not a valid policy artifact (damaged, edited, an
   *     unknown format), with the loader's reason
   */
  public static PolicyEntry fromArtifact(byte[] bytes, long now) {
    LearnedPolicy p;
    try {
      p = PolicyArtifact.fromBytes(bytes, "the uploaded policy");
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw ApiException.badRequest(
          "not a valid defer4j policy artifact: " + String.valueOf(e.getMessage()));
    }
    return of(p, now);
  }

  /** The entry of a loaded policy. */
  public static PolicyEntry of(LearnedPolicy p, long now) {
    byte[] canonical;
    try {
      canonical = PolicyArtifact.toBytes(p);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise policy " + p.name(), e);
    }
    String sha = sha256(canonical);
    return new PolicyEntry(
        "p-" + sha.substring(0, 16),
        sha,
        p.name(),
        p.provenance().method(),
        now,
        new String(canonical, StandardCharsets.UTF_8),
        p);
  }

  /** Loads a stored artifact (written by this server, so it is valid). */
  public static PolicyEntry stored(
      String id, String sha, String name, String method, long uploadedAt, String artifact) {
    try {
      LearnedPolicy p =
          PolicyArtifact.fromBytes(artifact.getBytes(StandardCharsets.UTF_8), "policy " + id);
      return new PolicyEntry(id, sha, name, method, uploadedAt, artifact, p);
    } catch (IOException e) {
      throw new IllegalStateException("stored policy " + id + " cannot be read", e);
    }
  }

  /** The SHA-256 of bytes in hex. */
  public static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

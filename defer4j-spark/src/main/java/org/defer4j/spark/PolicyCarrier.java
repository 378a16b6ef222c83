package org.defer4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.PolicyArtifact;

/**
 * A policy on its way to the executors: the bytes of its normal defer4j artifact, decoded once per
 * executor JVM (a small cache keyed by a random id) rather than once per task. What Spark
 * broadcasts when it routes, and what a distributed training step ships with its parameters.
 */
final class PolicyCarrier implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Decoded policies of this JVM, the most recent few. */
  private static final Map<String, LearnedPolicy> DECODED =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LearnedPolicy> e) {
          return size() > 8;
        }
      };

  private final String key;
  private final byte[] bytes;

  private PolicyCarrier(String key, byte[] bytes) {
    this.key = key;
    this.bytes = bytes;
  }

  /** Carries {@code policy} as its artifact bytes. */
  static PolicyCarrier of(LearnedPolicy policy) {
    try {
      return new PolicyCarrier(UUID.randomUUID().toString(), PolicyArtifact.toBytes(policy));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The policy (shared, immutable; take {@code scorer().copy()} before setting parameters). */
  LearnedPolicy policy() {
    synchronized (DECODED) {
      LearnedPolicy p = DECODED.get(key);
      if (p == null) {
        try {
          p = PolicyArtifact.fromBytes(bytes, "broadcast policy");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        DECODED.put(key, p);
      }
      return p;
    }
  }

  /** The artifact bytes (the array itself; do not modify). */
  byte[] bytes() {
    return bytes;
  }
}

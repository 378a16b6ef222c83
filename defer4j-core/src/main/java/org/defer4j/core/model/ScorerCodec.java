package org.defer4j.core.model;

import java.util.Map;

/**
 * Saves and restores one kind of {@link Scorer} as JSON-compatible state (maps, lists, strings,
 * numbers, booleans), so that a policy artifact can hold any registered scorer kind. The built-in
 * dense kinds are {@code linear} and {@code mlp}; edge modules (DJL, Spark) register theirs with
 * {@link ScorerCodecs} (DJL's engine-provider pattern: core never names them).
 */
public interface ScorerCodec {

  /** The kind this codec writes and reads, e.g. {@code linear}. */
  String kind();

  /** Whether this codec can save the scorer. */
  boolean handles(Scorer scorer);

  /** The scorer's state. */
  Map<String, Object> encode(Scorer scorer);

  /**
   * The scorer with the given state.
   *
   * @throws IllegalArgumentException when the state is incomplete or inconsistent
   */
  Scorer decode(Map<String, Object> state);
}

package org.defer4j.core.feature;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry of {@link FeatureStep} kinds, so that a policy artifact can restore every step it
 * names. Built in: {@link ModelProbabilities}. Edge modules add theirs at run time through {@link
 * java.util.ServiceLoader} ({@link Codec} in {@code META-INF/services}) or {@link #register}.
 */
public final class FeatureSteps {
  /** Restores one kind of step from its state. */
  public interface Codec {
    /** The kind this codec restores. */
    String kind();

    /** The step with the given state. */
    FeatureStep decode(Map<String, Object> state);
  }

  private static final Map<String, Function<Map<String, Object>, FeatureStep>> KINDS =
      new ConcurrentHashMap<>();

  static {
    KINDS.put(ModelProbabilities.KIND, ModelProbabilities::fromState);
    for (Codec c : ServiceLoader.load(Codec.class, FeatureSteps.class.getClassLoader())) {
      KINDS.putIfAbsent(c.kind(), c::decode);
    }
  }

  private FeatureSteps() {}

  /** Registers (or replaces) a kind. */
  public static void register(String kind, Function<Map<String, Object>, FeatureStep> decoder) {
    KINDS.put(kind, decoder);
  }

  /**
   * Restores a step.
   *
   * @throws IllegalArgumentException for an unregistered kind
   */
  public static FeatureStep decode(String kind, Map<String, Object> state) {
    Function<Map<String, Object>, FeatureStep> d = KINDS.get(kind);
    if (d == null) {
      throw new IllegalArgumentException(
          "unknown feature step kind '"
              + kind
              + "'; registered kinds: "
              + new TreeMap<>(KINDS).keySet()
              + " (is the module that provides it on the class path?)");
    }
    return d.apply(state);
  }
}

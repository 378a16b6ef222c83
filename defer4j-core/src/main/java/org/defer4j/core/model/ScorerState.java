package org.defer4j.core.model;

import java.util.Arrays;
import org.defer4j.core.Checks;

/**
 * An immutable, exact description of a trained scorer: its architecture and its parameter vector.
 * Artifacts persist it; {@link Scorers#fromState(ScorerState)} rebuilds a scorer whose outputs are
 * bit-for-bit those of the original.
 *
 * <p>Parameter layout: layer by layer from the input side; for each layer with {@code in} inputs
 * and {@code out} outputs, the weight matrix W (out × in, row-major: W[o][i] at {@code o * in + i})
 * followed by the bias b (out). A linear scorer is the single layer d → A.
 *
 * @param spec the architecture
 * @param parameters θ, of length {@code spec.parameterCount()} (copied in and out)
 */
public record ScorerState(ScorerSpec spec, double[] parameters) {

  /**
   * Validates the state.
   *
   * @throws IllegalArgumentException if the parameter count does not match the architecture or a
   *     parameter is not finite
   */
  public ScorerState {
    if (spec == null) {
      throw new IllegalArgumentException("scorer state needs an architecture");
    }
    if (parameters == null) {
      throw new IllegalArgumentException("scorer state needs a parameter vector");
    }
    Checks.checkDimension("parameters of " + spec, parameters.length, spec.parameterCount());
    Checks.checkAllFinite("parameters", parameters);
    parameters = parameters.clone();
  }

  /** θ (a copy). */
  @Override
  public double[] parameters() {
    return parameters.clone();
  }

  /** A scorer with this architecture and a copy of these parameters. */
  public Scorer toScorer() {
    return spec.build(parameters.clone());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScorerState s
        && spec.equals(s.spec)
        && Arrays.equals(parameters, s.parameters);
  }

  @Override
  public int hashCode() {
    return 31 * spec.hashCode() + Arrays.hashCode(parameters);
  }

  @Override
  public String toString() {
    return "ScorerState[" + spec + ", " + parameters.length + " parameters]";
  }
}

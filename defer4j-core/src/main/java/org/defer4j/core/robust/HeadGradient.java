package org.defer4j.core.robust;

import org.defer4j.core.math.StableMath;
import org.defer4j.core.policy.ScoreHead;

/**
 * The chain rule through a {@link ScoreHead}: ∂f/∂raw = (∂agentScores/∂raw)ᵀ · ∂f/∂agentScores, for
 * every head. The heads are piecewise linear in the raw scores except {@link ScoreHead#DECOUPLED}
 * (softmax and sigmoid); the maximum over class scores takes its subgradient at the arg-max (lowest
 * index on ties, as the head does). The frozen model's confidence read by {@link
 * ScoreHead#MODEL_CONFIDENCE} is an input the attacker does not move, so it gets no gradient.
 */
final class HeadGradient {
  private HeadGradient() {}

  /**
   * Writes ∂f/∂raw for one case.
   *
   * @param head the head
   * @param raw the raw scores, this case's at {@code off}
   * @param classes K
   * @param agents A
   * @param gAgent ∂f/∂(agent scores), A values at 0
   * @param gRaw ∂f/∂raw, written at {@code off} over the scorer's width (zeros elsewhere)
   * @param width the scorer's output width
   */
  static void backward(
      ScoreHead head,
      double[] raw,
      int off,
      int classes,
      int agents,
      double[] gAgent,
      double[] gRaw,
      int width) {
    java.util.Arrays.fill(gRaw, off, off + width, 0.0);
    int experts = agents - 1;
    switch (head) {
      case CLASS_MAX, ONE_VS_ALL, ASYMMETRIC_SOFTMAX -> {
        gRaw[off + argmax(raw, off, classes)] += gAgent[0];
        for (int j = 1; j <= experts; j++) {
          gRaw[off + classes + j - 1] += gAgent[j];
        }
      }
      case DECOUPLED -> {
        int top = argmax(raw, off, classes);
        double lse = StableMath.logSumExp(raw, off, off + classes);
        double pTop = Math.exp(raw[off + top] - lse);
        for (int k = 0; k < classes; k++) {
          double pk = Math.exp(raw[off + k] - lse);
          gRaw[off + k] += gAgent[0] * pTop * ((k == top ? 1.0 : 0.0) - pk);
        }
        for (int j = 1; j <= experts; j++) {
          double s = StableMath.sigmoid(raw[off + classes + j - 1]);
          gRaw[off + classes + j - 1] += gAgent[j] * s * (1 - s);
        }
      }
      case GATE -> {
        for (int j = 1; j <= experts; j++) {
          gRaw[off + classes + j - 1] += gAgent[j];
        }
      }
      case REJECTOR -> gRaw[off + classes] += gAgent[0] - gAgent[1];
      case AGENTS, PLUGIN -> {
        for (int j = 0; j < agents; j++) {
          gRaw[off + j] += gAgent[j];
        }
      }
      case MODEL_CONFIDENCE -> {
        for (int j = 1; j <= experts; j++) {
          gRaw[off + j] += gAgent[j];
        }
      }
      case NEGATED_REJECTORS -> {
        for (int j = 1; j <= experts; j++) {
          gRaw[off + j - 1] -= gAgent[j];
        }
      }
      case REGRESSION -> {
        for (int j = 0; j < agents; j++) {
          gRaw[off + 1 + j] += gAgent[j];
        }
      }
    }
  }

  private static int argmax(double[] s, int off, int n) {
    int best = 0;
    for (int k = 1; k < n; k++) {
      if (s[off + k] > s[off + best]) {
        best = k;
      }
    }
    return best;
  }
}

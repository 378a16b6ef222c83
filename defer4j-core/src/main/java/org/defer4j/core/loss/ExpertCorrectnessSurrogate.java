package org.defer4j.core.loss;

/**
 * A one-stage surrogate whose minimiser yields an estimate of each expert's probability of being
 * correct, P(m_j = y | x), from the scores alone.
 *
 * <p>Whether the estimate is a probability depends on the surrogate — that difference is the
 * calibration story of the survey §5.2.1: one-vs-all (σ(s_⊥j)), asymmetric softmax (ψ_⊥j) and the
 * decoupled surrogate (σ(s_⊥j)) give values in (0, 1); softmax cross-entropy gives p_⊥j / Σ_k p_k,
 * which is consistent but unbounded (it exceeds 1 when the deferral scores dominate).
 */
public interface ExpertCorrectnessSurrogate extends Surrogate {
  /**
   * The estimates for experts j = 1..J at positions 0..J−1.
   *
   * @param scores scores in this surrogate's layout ({@link ScoreLayout#CLASSES_AND_EXPERTS})
   * @param classes K
   * @param experts J
   * @throws IllegalArgumentException on a shape mismatch or a non-finite score
   */
  double[] expertCorrectness(double[] scores, int classes, int experts);
}

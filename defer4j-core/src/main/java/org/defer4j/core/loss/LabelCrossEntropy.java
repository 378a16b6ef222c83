package org.defer4j.core.loss;

import org.defer4j.core.Checks;

/**
 * The softmax cross-entropy of a label, the loss of a plain classifier (no deferral):
 *
 * <pre>
 *   ℓ(s, y) = −log softmax(s)_y = log Σ_k exp(s_k) − s_y,      ∂ℓ/∂s_k = softmax(s)_k − 1[k = y]
 * </pre>
 *
 * <p>over K class scores s_0..s_{K−1}, natural log, minimised. The trainers that fit a classifier
 * before or beside deferral (stage one, the pre-training and fine-tuning of triage) all call this
 * one function. It is not a deferral surrogate (see {@link Surrogates#crossEntropy()} for that).
 *
 * <p>Numerics: the scores are shifted by their maximum m before exponentiating, so {@code exp} only
 * sees arguments ≤ 0 and the result is finite for scores of ±1e3; ℓ = (m + log Σ_k exp(s_k − m)) −
 * s_y and softmax(s)_k = exp(s_k − m) / Σ — the same operations, in the same order, as {@link
 * org.defer4j.core.math.StableMath#logSumExp(double[])} and {@link
 * org.defer4j.core.math.StableMath#softmax(double[], double[])}, fused so that each exponential is
 * taken once.
 */
public final class LabelCrossEntropy {
  private LabelCrossEntropy() {}

  /**
   * ℓ(s, y) and its gradient over the whole score vector (K = {@code scores.length}).
   *
   * @param scores K class scores (read only)
   * @param label y ∈ [0, K)
   * @param gradOut length ≥ K; entries 0..K−1 are overwritten with ∂ℓ/∂s
   * @return ℓ(s, y)
   * @throws IllegalArgumentException when the label is outside [0, K) or gradOut is too short
   */
  public static double evaluate(double[] scores, int label, double[] gradOut) {
    return evaluate(scores, 0, scores.length, label, gradOut, 0);
  }

  /**
   * ℓ(s, y) of the K scores {@code scores[from .. from + K)}, with the gradient written to {@code
   * gradOut[gradFrom .. gradFrom + K)} (other entries untouched) — for a row of a row-major batch,
   * or for the class part of a longer score vector.
   *
   * @param scores holds the K class scores at {@code from} (read only)
   * @param from first class score
   * @param classes K ≥ 1
   * @param label y ∈ [0, K)
   * @param gradOut receives ∂ℓ/∂s at {@code gradFrom}
   * @param gradFrom first gradient entry
   * @return ℓ(s, y)
   * @throws IllegalArgumentException when the label is outside [0, K) or a range does not fit
   */
  public static double evaluate(
      double[] scores, int from, int classes, int label, double[] gradOut, int gradFrom) {
    Checks.checkPositive("classes", classes);
    Checks.checkIndex("label", label, classes);
    if (from < 0 || from + classes > scores.length) {
      throw new IllegalArgumentException(
          "scores [" + from + ", " + (from + classes) + ") outside an array of " + scores.length);
    }
    if (gradFrom < 0 || gradFrom + classes > gradOut.length) {
      throw new IllegalArgumentException(
          "gradient ["
              + gradFrom
              + ", "
              + (gradFrom + classes)
              + ") outside an array of "
              + gradOut.length);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, scores[from + c]);
    }
    double sum = 0.0;
    for (int c = 0; c < classes; c++) {
      double e = Math.exp(scores[from + c] - max);
      gradOut[gradFrom + c] = e;
      sum += e;
    }
    for (int c = 0; c < classes; c++) {
      gradOut[gradFrom + c] /= sum;
    }
    gradOut[gradFrom + label] -= 1.0;
    return (max + Math.log(sum)) - scores[from + label];
  }
}

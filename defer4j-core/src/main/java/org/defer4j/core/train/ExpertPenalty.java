package org.defer4j.core.train;

import java.util.Map;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.model.Scorer;

/**
 * Cost-regularised training, the soft alternative to workload bounds and budgets (issue "workload,
 * budgets and policy constraints", item 7): the surrogate plus λ times the probability mass the
 * scorer's softmax puts on the experts,
 *
 * <pre>
 *   L = (1/B) Σ_i [ ℓ(s_i, target_i) + λ · Σ_{j ≥ 1} softmax(s_i)_{expert j} ] ,
 *   ∂/∂s_k of the penalty = λ · p_k (1[k is an expert] − D),   D = Σ_{j ≥ 1} p_j .
 * </pre>
 *
 * The softmax runs over the surrogate's whole score vector: the K class scores and J deferral
 * scores of the one-stage layout ({@link ScoreLayout#CLASSES_AND_EXPERTS}; D is the deferral
 * probability of the cross-entropy surrogate of Mozannar &amp; Sontag 2020), or the A agent scores
 * of the two-stage layout ({@link ScoreLayout#AGENTS}). λ = 0 is the surrogate alone; larger λ
 * moves cases away from the experts (measured in docs/results.md). The penalty is a plain mean over
 * the minibatch (row weights apply to the surrogate only).
 */
public final class ExpertPenalty implements LossExtension {
  private final double lambda;

  /**
   * @param lambda the weight λ ≥ 0 of the expert mass
   * @throws IllegalArgumentException when λ is negative or not finite
   */
  public ExpertPenalty(double lambda) {
    if (!(lambda >= 0 && lambda < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("expert penalty must be finite and >= 0, got " + lambda);
    }
    this.lambda = lambda;
  }

  /** λ. */
  public double lambda() {
    return lambda;
  }

  @Override
  public String name() {
    return "expert-penalty";
  }

  @Override
  public Map<String, String> options() {
    return Map.of("expert_penalty", Double.toString(lambda));
  }

  /**
   * @throws IllegalArgumentException when the surrogate's layout is not one of the two above
   */
  @Override
  public BatchLoss extend(
      Surrogate surrogate, BatchLoss loss, Scorer scorer, double[] inputs, CostMatrix costs) {
    ScoreLayout layout = surrogate.layout();
    int width = scorer.outputDim();
    int experts = costs.agentCount() - 1;
    int first;
    if (layout == ScoreLayout.CLASSES_AND_EXPERTS) {
      first = width - experts;
    } else if (layout == ScoreLayout.AGENTS) {
      first = 1;
    } else {
      throw new IllegalArgumentException(
          "--expert-penalty needs a softmax over classes and experts or over agents; surrogate "
              + surrogate.name()
              + " has layout "
              + layout);
    }
    return new BatchLoss() {
      @Override
      public double evaluate(int[] rows, int from, int count, double[] scores, double[] dScores) {
        double l = loss.evaluate(rows, from, count, scores, dScores);
        double penalty = 0;
        for (int b = 0; b < count; b++) {
          int o = b * width;
          double lse = StableMath.logSumExp(scores, o, o + width);
          double d = 0;
          for (int k = first; k < width; k++) {
            d += Math.exp(scores[o + k] - lse);
          }
          penalty += d;
          for (int k = 0; k < width; k++) {
            double p = Math.exp(scores[o + k] - lse);
            dScores[o + k] += lambda / count * p * ((k >= first ? 1 : 0) - d);
          }
        }
        return l + lambda * penalty / count;
      }

      @Override
      public void addParameterGradient(double[] gradAccum) {
        loss.addParameterGradient(gradAccum);
      }

      @Override
      public boolean readsScorer() {
        return loss.readsScorer();
      }

      @Override
      public NonFiniteRow locateNonFinite(int[] rows, int from, int count, double[] scores) {
        return loss.locateNonFinite(rows, from, count, scores);
      }
    };
  }
}

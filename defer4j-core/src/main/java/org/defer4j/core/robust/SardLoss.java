package org.defer4j.core.robust;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.train.BatchLoss;

/**
 * The minibatch objective of {@link Sard}: the surrogate on s(x̃_i)/ρ at its inner maximiser x̃_i,
 * plus ν·w_i·‖s(x'_i) − s(x_i)‖₂ at the maximiser x'_i of the score change, averaged over the
 * batch. The clean part of the smoothness gradient goes back through the batch's scores; the passes
 * at x̃ and x' are back-propagated here and handed to the fitter by {@link #addParameterGradient}.
 */
public final class SardLoss implements BatchLoss {
  private final Sard sard;
  private final BatchLoss surrogate;
  private final double compNu;
  private final CostMatrix costs;
  private final Scorer scorer;
  private final double[] inputs;
  private final double[] weights;
  private final Workspace ws;
  private final double[] pending;
  private boolean hasPending;
  private long calls;
  private boolean repeatable;
  private double lastPenalty;

  /**
   * @param sard the settings
   * @param surrogate the surrogate's batch loss
   * @param compNu u of a complementary-cost comp-sum surrogate (one supremum per agent), or NaN
   *     (one supremum of the whole batch loss)
   * @param costs the training rows' costs (read when {@code compNu} is a number), or null
   * @param scorer the scorer being fitted (live)
   * @param inputs the row-major training inputs
   * @param weights w_i per input row
   */
  public SardLoss(
      Sard sard,
      BatchLoss surrogate,
      double compNu,
      CostMatrix costs,
      Scorer scorer,
      double[] inputs,
      double[] weights) {
    if (!Double.isNaN(compNu) && costs == null) {
      throw new IllegalArgumentException("the per-agent adversarial comp-sum loss needs costs");
    }
    this.sard = sard;
    this.surrogate = surrogate;
    this.compNu = compNu;
    this.costs = costs;
    this.scorer = scorer;
    this.inputs = inputs;
    this.weights = weights;
    this.ws = scorer.newWorkspace();
    this.pending = new double[scorer.parameterCount()];
  }

  @Override
  public double evaluate(int[] rows, int from, int count, double[] scores, double[] dScores) {
    int a = scorer.outputDim();
    int d = scorer.inputDim();
    Arrays.fill(dScores, 0, count * a, 0.0);
    hasPending = false;
    lastPenalty = 0;
    if (count == 0) {
      return 0;
    }
    if (sard.radius() == 0) {
      return scaledSurrogate(rows, from, count, scores, dScores);
    }
    double[] block = new double[count * d];
    for (int b = 0; b < count; b++) {
      System.arraycopy(inputs, rows[from + b] * d, block, b * d, d);
    }
    SplittableRandom rng =
        new SplittableRandom(sard.seed() * 0x9E3779B97F4A7C15L + (repeatable ? 0 : calls++));
    double[] adv = new double[count * a];
    double[] dAdv = new double[count * a];
    Arrays.fill(pending, 0.0);
    double loss = 0;
    if (Double.isNaN(compNu)) {
      // The adversarial surrogate: the loss at the inner maximiser x̃ (Danskin: x̃ held fixed).
      double[] worst =
          ascend(block, count, rng, (raw, grad) -> scaledSurrogate(rows, from, count, raw, grad));
      scorer.forwardBatch(worst, 0, count, adv, ws);
      loss = scaledSurrogate(rows, from, count, adv, dAdv);
      scorer.backwardBatch(dAdv, ws, pending);
    } else {
      // Σ_j τ_j · sup Φ^u(s(x̃)/ρ, j): one inner maximiser per agent.
      for (int j = 0; j < a; j++) {
        int agent = j;
        double[] worst =
            ascend(
                block, count, rng, (raw, grad) -> agentTerm(rows, from, count, agent, raw, grad));
        scorer.forwardBatch(worst, 0, count, adv, ws);
        loss += agentTerm(rows, from, count, agent, adv, dAdv);
        scorer.backwardBatch(dAdv, ws, pending);
      }
    }
    if (sard.nu() > 0) {
      // The smoothness term ν·w_i·sup ‖s(x') − s(x)‖₂, through s(x') and s(x).
      double[] far =
          ascend(
              block,
              count,
              rng,
              (raw, grad) -> {
                for (int b = 0; b < count; b++) {
                  double n2 = 0;
                  for (int k = 0; k < a; k++) {
                    double v = raw[b * a + k] - scores[b * a + k];
                    grad[b * a + k] = v;
                    n2 += v * v;
                  }
                  double n = Math.sqrt(n2);
                  for (int k = 0; k < a; k++) {
                    grad[b * a + k] = n == 0 ? 0 : grad[b * a + k] / n;
                  }
                }
                return 0;
              });
      scorer.forwardBatch(far, 0, count, adv, ws);
      Arrays.fill(dAdv, 0.0);
      double penalty = 0;
      for (int b = 0; b < count; b++) {
        double n2 = 0;
        for (int k = 0; k < a; k++) {
          double v = adv[b * a + k] - scores[b * a + k];
          n2 += v * v;
        }
        double n = Math.sqrt(n2);
        double coef = sard.nu() * weights[rows[from + b]] / count;
        penalty += coef * n;
        if (n == 0 || coef == 0) {
          continue;
        }
        for (int k = 0; k < a; k++) {
          double u = (adv[b * a + k] - scores[b * a + k]) / n;
          dAdv[b * a + k] = coef * u;
          dScores[b * a + k] -= coef * u;
        }
      }
      scorer.backwardBatch(dAdv, ws, pending);
      lastPenalty = penalty;
      loss += penalty;
    }
    hasPending = true;
    return loss;
  }

  /** The batch's gradient of an objective of its scores, for the inner ascent. */
  private interface BatchObjective {
    double value(double[] raw, double[] grad);
  }

  /**
   * Projected gradient ascent of a batch objective from a uniform random start, T steps of 2.5·γ/T
   * (the last iterate: Madry et al.'s adversarial training). Steepest-ascent steps are invariant to
   * a positive per-row scale of the gradient, so a weighted-mean batch loss gives each row's own
   * ascent direction.
   */
  private double[] ascend(double[] block, int count, SplittableRandom rng, BatchObjective f) {
    int d = scorer.inputDim();
    int a = scorer.outputDim();
    Norm norm = sard.norm();
    double radius = sard.radius();
    double eta = 2.5 * radius / sard.steps();
    double[] xp = new double[count * d];
    for (int b = 0; b < count; b++) {
      norm.randomStart(block, b * d, xp, b * d, d, radius, rng);
    }
    double[] raw = new double[count * a];
    double[] g = new double[count * a];
    double[] gx = new double[count * d];
    for (int t = 0; t < sard.steps(); t++) {
      scorer.forwardBatch(xp, 0, count, raw, ws);
      f.value(raw, g);
      scorer.inputGradientBatch(g, ws, gx);
      for (int b = 0; b < count; b++) {
        norm.step(xp, b * d, gx, b * d, d, eta);
        norm.project(block, b * d, xp, b * d, d, radius);
      }
    }
    return xp;
  }

  /**
   * (1/count)·Σ_b τ_bj·Φ^u(s_b/ρ, j) over the batch rows where agent j is available, and its
   * gradient: with p the softmax of s/ρ over the available agents, Φ^u = −log p_j (u = 1) or (1 −
   * p_j^{u−1})/(u − 1), and ∂Φ^u/∂s = p_j^{u−1}·(p − e_j)/ρ.
   */
  private double agentTerm(int[] rows, int from, int count, int j, double[] s, double[] grad) {
    int a = scorer.outputDim();
    double rho = sard.rho();
    double total = 0;
    for (int b = 0; b < count; b++) {
      int off = b * a;
      Arrays.fill(grad, off, off + a, 0.0);
      int row = rows[from + b];
      double cj = costs.cost(row, j);
      if (Double.isNaN(cj)) {
        continue;
      }
      double sum = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < a; k++) {
        double c = costs.cost(row, k);
        if (!Double.isNaN(c)) {
          sum += c;
          max = Math.max(max, s[off + k] / rho);
        }
      }
      double tau = sum - cj;
      if (tau <= 0) {
        continue;
      }
      double z = 0;
      for (int k = 0; k < a; k++) {
        if (!Double.isNaN(costs.cost(row, k))) {
          z += Math.exp(s[off + k] / rho - max);
        }
      }
      double logP = s[off + j] / rho - max - Math.log(z);
      double phi = compNu == 1 ? -logP : (1 - Math.exp((compNu - 1) * logP)) / (compNu - 1);
      double w = tau / count;
      total += w * phi;
      double scale = w * Math.exp((compNu - 1) * logP) / rho;
      for (int k = 0; k < a; k++) {
        if (!Double.isNaN(costs.cost(row, k))) {
          double p = Math.exp(s[off + k] / rho - max) / z;
          grad[off + k] = scale * (p - (k == j ? 1 : 0));
        }
      }
    }
    return total;
  }

  /** The surrogate's batch loss at s/ρ and its gradient with respect to s. */
  private double scaledSurrogate(int[] rows, int from, int count, double[] s, double[] grad) {
    double rho = sard.rho();
    int a = scorer.outputDim();
    double[] scaled = s;
    if (rho != 1.0) {
      scaled = new double[count * a];
      for (int p = 0; p < scaled.length; p++) {
        scaled[p] = s[p] / rho;
      }
    }
    double l = surrogate.evaluate(rows, from, count, scaled, grad);
    if (rho != 1.0) {
      for (int p = 0; p < count * a; p++) {
        grad[p] /= rho;
      }
    }
    return l;
  }

  @Override
  public boolean readsScorer() {
    return true;
  }

  @Override
  public void addParameterGradient(double[] gradAccum) {
    if (!hasPending) {
      return;
    }
    for (int p = 0; p < pending.length; p++) {
      gradAccum[p] += pending[p];
    }
    hasPending = false;
  }

  /**
   * This loss with the same random starts on every call (for finite-difference checks, where each
   * evaluation must see the same inner maximisers); training draws new starts per minibatch.
   */
  SardLoss repeatable() {
    repeatable = true;
    return this;
  }

  /** The smoothness term ν·mean(w_i·‖s(x') − s(x)‖₂) of the latest batch. */
  public double lastPenalty() {
    return lastPenalty;
  }

  @Override
  public NonFiniteRow locateNonFinite(int[] rows, int from, int count, double[] scores) {
    return surrogate.locateNonFinite(rows, from, count, scores);
  }
}

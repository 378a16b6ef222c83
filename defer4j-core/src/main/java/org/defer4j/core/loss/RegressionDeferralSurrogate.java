package org.defer4j.core.loss;

import org.defer4j.core.task.RegressionLoss;

/**
 * Regression with deferral to several experts, trained jointly (Mao, Mohri and Zhong 2024,
 * "Regression with multi-expert deferral", ICML; survey eq. 14). The predictor h(x) is a number,
 * the rejector scores the agents 0..J (0 = the predictor), and ℓ(r, j) = −log softmax(r)_j:
 *
 * <pre>
 *   L = [Σ_{j≥1} c_j] ℓ(r, 0) + Σ_{j≥1} [L(h, t) + Σ_{k≥1, k≠j} c_k] ℓ(r, j) − (J − 1) L(h, t).
 * </pre>
 *
 * <p>It is the complementary-cost loss Σ_j τ_j ℓ(r, j) with c_0 = L(h, t), minus (J − 1) L(h, t),
 * the term that makes it an exact rewriting of the target loss L(h, t) 1[r = 0] + Σ_j c_j 1[r = j]
 * (eq. 13) before the indicators are replaced. The gradient with respect to h is L'(h, t) times
 * Σ_{j≥1} ℓ(r, j) − (J − 1), a factor that is never negative (Σ_{j≥1} −log p_j ≥ J log J ≥ J − 1),
 * so h always descends its own regression loss.
 *
 * <p>L is the task's regression loss ({@link RegressionLoss}: squared, absolute or smooth-L1),
 * optionally clipped at an upper bound (the paper assumes a bounded loss; the clipped part has zero
 * gradient). Layout {@link ScoreLayout#PREDICTION_AND_AGENTS}: {@code scores[0]} = h(x), {@code
 * scores[1 + j]} = r(x, j). Reads the target value t and the experts' costs c_j (entry 0 is
 * ignored); an unavailable expert is dropped from the sums, from J and from the softmax. Decision:
 * argmax_j r(x, j).
 */
public final class RegressionDeferralSurrogate extends AbstractSurrogate {
  private final RegressionLoss loss;
  private final double clip;

  RegressionDeferralSurrogate(RegressionLoss loss, double clip) {
    super(name(loss, clip), ScoreLayout.PREDICTION_AND_AGENTS);
    if (!(clip > 0)) {
      throw new IllegalArgumentException("regression clip must be > 0 (or +inf), got " + clip);
    }
    this.loss = loss;
    this.clip = clip;
  }

  private static String name(RegressionLoss loss, double clip) {
    String n = loss == RegressionLoss.SQUARED ? "regression" : "regression:" + loss.specName();
    if (clip != Double.POSITIVE_INFINITY) {
      if (loss == RegressionLoss.SQUARED) {
        n += ":" + loss.specName();
      }
      n += ":clip:" + Surrogates.formatNumber(clip);
    }
    return n;
  }

  /** The regression loss L. */
  public RegressionLoss regressionLoss() {
    return loss;
  }

  /** The upper bound applied to L (+∞ when unclipped). */
  public double clip() {
    return clip;
  }

  @Override
  boolean needsLabel() {
    return false;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double value = t.value();
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException(name() + " needs the numeric target t, got NaN");
    }
    double h = s[0];
    double raw = loss.apply(h, value);
    double reg = Math.min(raw, clip);
    double dReg = raw < clip ? derivative(h, value) : 0.0;
    int agents = experts + 1;
    double[] c = costs(t, agents);
    boolean[] active = new boolean[s.length];
    active[1] = true;
    double total = 0.0;
    int observed = 0;
    for (int j = 1; j < agents; j++) {
      if (!Double.isNaN(c[j])) {
        active[1 + j] = true;
        total += c[j];
        observed++;
      }
    }
    SoftmaxSets sm = new SoftmaxSets(s, 1, s.length, active);
    double out = sm.addSingle(total, Psi.LOG, 1, grad);
    double sumLogLoss = 0.0;
    for (int j = 1; j < agents; j++) {
      if (active[1 + j]) {
        out += sm.addSingle(reg + total - c[j], Psi.LOG, 1 + j, grad);
        sumLogLoss -= sm.logProb(1 + j);
      }
    }
    sm.finish(grad);
    out -= (observed - 1) * reg;
    grad[0] = dReg * (sumLogLoss - (observed - 1));
    return out;
  }

  private double derivative(double h, double t) {
    double d = h - t;
    return switch (loss) {
      case SQUARED -> 2.0 * d;
      case ABSOLUTE -> Math.signum(d);
      case SMOOTH_L1 -> Math.abs(d) < 1.0 ? d : Math.signum(d);
    };
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return argmax(scores, 1, experts + 2) - 1;
  }
}

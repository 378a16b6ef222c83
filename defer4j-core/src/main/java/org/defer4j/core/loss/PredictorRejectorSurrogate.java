package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * The one-stage predictor–rejector surrogate (survey eq. 5; Mao, Mohri and Zhong 2024 for the
 * consistency analysis of joint training), for one expert:
 *
 * <pre>
 *   L = ℓ_MAE(h, y) · Φ(−r) + c · Φ(r),      ℓ_MAE(h, y) = 1 − softmax(h)_y,
 * </pre>
 *
 * with the margin loss Φ either logistic, Φ(z) = log(1 + e^{−z}) ({@code pr}), or exponential, Φ(z)
 * = e^{−z} ({@code pr:exp}). The predictor loss is MAE because joint training is consistent only
 * for predictor losses whose infimum matches the Bayes risk (MAE, ρ-margin), not for cross-entropy
 * (Mao et al.; survey §3.4). Given h, the conditional risk is minimised at r = log(E[c] / ℓ)
 * (logistic) or ½ log(E[c] / ℓ) (exponential): r &gt; 0 — predict — iff E[c | x] &gt; 1 − max_y P(y
 * | x), the Bayes rule of survey eq. 3.
 *
 * <p>Layout {@link ScoreLayout#CLASSES_AND_REJECTOR}: {@code scores[0..K−1]} = h, {@code scores[K]}
 * = r; the model predicts when r &gt; 0. Reads the expert's cost c (or 1 − e), any c ≥ 0. When the
 * expert did not see the case the loss is ℓ_MAE alone and r gets no gradient. The exponential
 * margin overflows for |r| beyond ≈ 709 (an {@link ArithmeticException}); the logistic one is
 * finite everywhere.
 */
public final class PredictorRejectorSurrogate extends AbstractSurrogate {
  /** The margin loss Φ. */
  public enum Margin {
    /** Φ(z) = log(1 + e^{−z}). */
    LOGISTIC,
    /** Φ(z) = e^{−z}. */
    EXPONENTIAL
  }

  private final Margin margin;
  private final boolean exponential;

  PredictorRejectorSurrogate(Margin margin) {
    super(margin == Margin.EXPONENTIAL ? "pr:exp" : "pr", ScoreLayout.CLASSES_AND_REJECTOR);
    this.margin = margin;
    this.exponential = margin == Margin.EXPONENTIAL;
  }

  /** The margin loss. */
  public Margin margin() {
    return margin;
  }

  @Override
  int minClasses() {
    return 2;
  }

  @Override
  boolean multipleExperts() {
    return false;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    int y = t.label();
    double lse = StableMath.logSumExp(s, 0, classes);
    double py = Math.exp(s[y] - lse);
    double mae = 1.0 - py;
    double c = experts == 0 ? Double.NaN : t.cost(1);
    double r = s[classes];
    double accept;
    double reject;
    double dAccept;
    double dReject;
    if (Double.isNaN(c)) {
      accept = 1.0;
      reject = 0.0;
      dAccept = 0.0;
      dReject = 0.0;
    } else if (exponential) {
      accept = Math.exp(r);
      reject = Math.exp(-r);
      dAccept = accept;
      dReject = -reject;
    } else {
      accept = StableMath.softplus(r);
      reject = StableMath.softplus(-r);
      dAccept = StableMath.sigmoid(r);
      dReject = -StableMath.sigmoid(-r);
    }
    // ∂(1 − p_y)/∂h_k = −p_y (1[k = y] − p_k)
    for (int k = 0; k < classes; k++) {
      double pk = Math.exp(s[k] - lse);
      grad[k] = -accept * py * ((k == y ? 1.0 : 0.0) - pk);
    }
    if (Double.isNaN(c)) {
      return mae;
    }
    grad[classes] = mae * dAccept + c * dReject;
    return mae * accept + c * reject;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return experts == 0 || scores[classes] > 0 ? 0 : 1;
  }
}

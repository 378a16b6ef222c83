package org.defer4j.core.policy;

import java.util.Locale;
import org.defer4j.core.loss.AsymmetricSoftmaxSurrogate;
import org.defer4j.core.loss.CrossEntropyRejectorSurrogate;
import org.defer4j.core.loss.DecoupledSurrogate;
import org.defer4j.core.loss.MixtureOfExpertsSurrogate;
import org.defer4j.core.loss.OneVsAllSurrogate;
import org.defer4j.core.loss.PluginSurrogate;
import org.defer4j.core.loss.PredictorRejectorSurrogate;
import org.defer4j.core.loss.RegressionDeferralSurrogate;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.TwoStageSurrogate;
import org.defer4j.core.math.StableMath;

/**
 * How a trained scorer's raw outputs (the surrogate's score layout) become one score per agent (A =
 * J + 1 values, 0 = the model, higher = preferred), the learned model's own answer, and — where the
 * surrogate's theory gives calibrated estimates — each agent's expected cost. Chosen from the
 * training surrogate ({@link #of}) and saved with the policy, so that the argmax of the agent
 * scores over the available agents is exactly the surrogate's routing rule.
 *
 * <p>Raw layouts (K classes, J experts): {@code CLASSES_AND_EXPERTS} = (s_1..s_K, s_⊥1..s_⊥J);
 * {@code CLASSES_AND_REJECTOR} = (s_1..s_K, r); {@code AGENTS} = (s_0..s_J); {@code
 * EXPERT_REJECTORS} = (r_1..r_J); {@code PREDICTION_AND_AGENTS} = (h, s_0..s_J).
 *
 * <p>Expected costs (classification tasks, c_j = α_j·[wrong] + β_j): one-vs-all (Verma &amp;
 * Nalisnick 2022: σ(s_k) and σ(s_⊥j) estimate P(y = k | x) and P(expert j correct | x)), the
 * asymmetric softmax (Cao et al. 2023) and the decoupled surrogate give E[c_0] = α_0(1 − P̂(ŷ | x))
 * + β_0 and E[c_j] = α_j(1 − P̂(expert j correct | x)) + β_j; the plug-in estimator regresses
 * −E[c_j | x] directly (any task). Other surrogates' scores are not calibrated estimates (the
 * cross-entropy ratio is unbounded), so their expected costs are unknown (NaN).
 */
public enum ScoreHead {
  /** Model = the largest class score; expert j = s_⊥j (most one-stage surrogates). */
  CLASS_MAX,
  /** {@link #CLASS_MAX} with one-vs-all expected costs. */
  ONE_VS_ALL,
  /** {@link #CLASS_MAX} with asymmetric-softmax expected costs. */
  ASYMMETRIC_SOFTMAX,
  /** Model = the largest softmax class probability; expert j = σ(s_⊥j) (decoupled surrogate). */
  DECOUPLED,
  /**
   * Model = 0; expert j = s_⊥j (the mixture-of-experts gate and the ce-rejector's deferral logits:
   * defer iff some s_⊥j &gt; 0).
   */
  GATE,
  /** Model = r, the expert = −r (one ulp up: predictor–rejector, one expert, defers iff r ≤ 0). */
  REJECTOR,
  /** The agent scores as they are (two-stage comp-sum and Ψ surrogates). */
  AGENTS,
  /** Agent scores −E[c_j | x] regressed by the plug-in estimator. */
  PLUGIN,
  /**
   * Model = the frozen model's confidence max_k p(k | x), an input; experts as they are (2s-sb).
   */
  MODEL_CONFIDENCE,
  /** Model = 0; expert j = −r_j (two-stage predictor–rejector: defer iff some r_j &lt; 0). */
  NEGATED_REJECTORS,
  /** Scores after the regression prediction h (regression with deferral, eq. 14). */
  REGRESSION;

  /** The head whose argmax reproduces the surrogate's routing rule. */
  public static ScoreHead of(Surrogate s) {
    if (s instanceof OneVsAllSurrogate) {
      return ONE_VS_ALL;
    }
    if (s instanceof AsymmetricSoftmaxSurrogate) {
      return ASYMMETRIC_SOFTMAX;
    }
    if (s instanceof DecoupledSurrogate) {
      return DECOUPLED;
    }
    if (s instanceof MixtureOfExpertsSurrogate || s instanceof CrossEntropyRejectorSurrogate) {
      return GATE;
    }
    if (s instanceof PredictorRejectorSurrogate) {
      return REJECTOR;
    }
    if (s instanceof PluginSurrogate) {
      return PLUGIN;
    }
    if (s instanceof TwoStageSurrogate) {
      return s.layout() == ScoreLayout.AGENTS ? MODEL_CONFIDENCE : NEGATED_REJECTORS;
    }
    if (s instanceof RegressionDeferralSurrogate) {
      return REGRESSION;
    }
    return switch (s.layout()) {
      case CLASSES_AND_EXPERTS -> CLASS_MAX;
      case AGENTS -> AGENTS;
      default ->
          throw new IllegalArgumentException(
              "no decision head for surrogate " + s.name() + " with layout " + s.layout());
    };
  }

  /** The saved spelling, e.g. {@code one-vs-all}. */
  public String spec() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@link #spec()}. */
  public static ScoreHead parse(String spec) {
    for (ScoreHead h : values()) {
      if (h.spec().equals(spec)) {
        return h;
      }
    }
    throw new IllegalArgumentException("unknown score head '" + spec + "'");
  }

  /** The raw layout this head reads. */
  public ScoreLayout layout() {
    return switch (this) {
      case CLASS_MAX, ONE_VS_ALL, ASYMMETRIC_SOFTMAX, DECOUPLED, GATE ->
          ScoreLayout.CLASSES_AND_EXPERTS;
      case REJECTOR -> ScoreLayout.CLASSES_AND_REJECTOR;
      case AGENTS, PLUGIN, MODEL_CONFIDENCE -> ScoreLayout.AGENTS;
      case NEGATED_REJECTORS -> ScoreLayout.EXPERT_REJECTORS;
      case REGRESSION -> ScoreLayout.PREDICTION_AND_AGENTS;
    };
  }

  /** Whether the head reads the frozen model's confidence as the model's score. */
  public boolean readsModelConfidence() {
    return this == MODEL_CONFIDENCE;
  }

  /** Whether the scorer learns a classifier whose class is the model's answer (one-stage). */
  public boolean predictsClass() {
    return layout().hasClasses();
  }

  /** Whether the scorer learns a regressor whose value is the model's answer (one-stage). */
  public boolean predictsValue() {
    return this == REGRESSION;
  }

  /** Whether {@link #expectedCosts} gives estimates (for classification costs, or any cost). */
  public boolean estimatesCosts(boolean classification) {
    return this == PLUGIN
        || classification
            && (this == ONE_VS_ALL || this == ASYMMETRIC_SOFTMAX || this == DECOUPLED);
  }

  /**
   * Writes the A agent scores of one case.
   *
   * @param raw raw scores, this case's at {@code rawOffset}
   * @param classes K
   * @param confidence the frozen model's confidence (read by {@link #MODEL_CONFIDENCE} only)
   * @param out agent scores, this case's A values written at {@code outOffset}
   * @param agents A = J + 1
   */
  public void agentScores(
      double[] raw,
      int rawOffset,
      int classes,
      double confidence,
      double[] out,
      int outOffset,
      int agents) {
    int experts = agents - 1;
    switch (this) {
      case CLASS_MAX, ONE_VS_ALL, ASYMMETRIC_SOFTMAX -> {
        out[outOffset] = raw[rawOffset + argmax(raw, rawOffset, classes)];
        System.arraycopy(raw, rawOffset + classes, out, outOffset + 1, experts);
      }
      case DECOUPLED -> {
        double top = raw[rawOffset + argmax(raw, rawOffset, classes)];
        out[outOffset] = Math.exp(top - StableMath.logSumExp(raw, rawOffset, rawOffset + classes));
        for (int j = 1; j <= experts; j++) {
          out[outOffset + j] = StableMath.sigmoid(raw[rawOffset + classes + j - 1]);
        }
      }
      case GATE -> {
        out[outOffset] = 0.0;
        System.arraycopy(raw, rawOffset + classes, out, outOffset + 1, experts);
      }
      case REJECTOR -> {
        // The surrogate defers iff r <= 0: one ulp above -r makes r = 0 go to the expert while
        // the model still wins every r > 0.
        double r = raw[rawOffset + classes];
        out[outOffset] = r;
        for (int j = 1; j <= experts; j++) {
          out[outOffset + j] = j == 1 ? Math.nextUp(-r) : Double.NEGATIVE_INFINITY;
        }
      }
      case AGENTS, PLUGIN -> System.arraycopy(raw, rawOffset, out, outOffset, agents);
      case MODEL_CONFIDENCE -> {
        out[outOffset] = confidence;
        System.arraycopy(raw, rawOffset + 1, out, outOffset + 1, experts);
      }
      case NEGATED_REJECTORS -> {
        out[outOffset] = 0.0;
        for (int j = 1; j <= experts; j++) {
          out[outOffset + j] = -raw[rawOffset + j - 1];
        }
      }
      case REGRESSION -> System.arraycopy(raw, rawOffset + 1, out, outOffset, agents);
    }
  }

  /** The learned model's class for one case (argmax of the class scores; lowest on ties). */
  public int predictedClass(double[] raw, int rawOffset, int classes) {
    return argmax(raw, rawOffset, classes);
  }

  /** The learned model's numeric prediction for one case ({@link #REGRESSION}). */
  public double predictedValue(double[] raw, int rawOffset) {
    return raw[rawOffset];
  }

  /**
   * Writes the A expected costs of one case where {@link #estimatesCosts} holds.
   *
   * @param alpha α_j per agent
   * @param fee β_j per agent
   */
  public void expectedCosts(
      double[] raw,
      int rawOffset,
      int classes,
      double[] alpha,
      double[] fee,
      double[] out,
      int outOffset) {
    int agents = alpha.length;
    switch (this) {
      case PLUGIN -> {
        for (int j = 0; j < agents; j++) {
          out[outOffset + j] = Math.max(0.0, -raw[rawOffset + j]);
        }
      }
      case ONE_VS_ALL -> {
        double top = raw[rawOffset + argmax(raw, rawOffset, classes)];
        out[outOffset] = alpha[0] * (1 - StableMath.sigmoid(top)) + fee[0];
        for (int j = 1; j < agents; j++) {
          double p = StableMath.sigmoid(raw[rawOffset + classes + j - 1]);
          out[outOffset + j] = alpha[j] * (1 - p) + fee[j];
        }
      }
      case ASYMMETRIC_SOFTMAX, DECOUPLED -> {
        int k = argmax(raw, rawOffset, classes);
        double lse = StableMath.logSumExp(raw, rawOffset, rawOffset + classes);
        out[outOffset] = alpha[0] * (1 - Math.exp(raw[rawOffset + k] - lse)) + fee[0];
        double shift =
            this == DECOUPLED
                ? 0.0
                : StableMath.logSumExpExcept(raw, rawOffset, rawOffset + classes, rawOffset + k);
        for (int j = 1; j < agents; j++) {
          double p = StableMath.sigmoid(raw[rawOffset + classes + j - 1] - shift);
          out[outOffset + j] = alpha[j] * (1 - p) + fee[j];
        }
      }
      default -> {
        for (int j = 0; j < agents; j++) {
          out[outOffset + j] = Double.NaN;
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

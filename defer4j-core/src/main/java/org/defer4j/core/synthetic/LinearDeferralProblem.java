package org.defer4j.core.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * A binary deferral problem whose optimal system is a <em>linear</em> rejector and a
 * <em>linear</em> classifier: the realizability counterexample of Mozannar, Lang, Wei, Sattigeri,
 * Das and Sontag 2023 ("Who should predict? Exact algorithms for learning to defer to humans",
 * AISTATS; the synthetic generator of their code, clinicalml/human_ai_deferral).
 *
 * <p>Features x ~ N(0, I_d). A rejector direction u and a classifier direction v (independent
 * random unit vectors) split the space:
 *
 * <ul>
 *   <li><b>deferred side</b> u·x &gt; b: the label is a fair coin, the expert is right with
 *       probability {@code expertDeferred} (1 in the realizable case) — no classifier can do better
 *       than 1/2 there;
 *   <li><b>kept side</b> u·x ≤ b: y = 1[v·x &gt; 0], flipped with probability {@code machineError}
 *       (0 in the realizable case), and the expert is right with probability {@code expertKept}
 *       (1/2 in the paper).
 * </ul>
 *
 * With (expertDeferred, machineError) = (1, 0) the pair r(x) = 1[u·x &gt; b], h(x) = 1[v·x &gt; 0]
 * has zero system error, so the distribution is realizable by linear predictor–rejector pairs;
 * Mozannar et al. show that cross-entropy-type surrogates (L_CE, one-vs-all) do not find such a
 * pair with linear models, while their realizable surrogate does. In the score-based layout (K
 * class scores and one deferral score, decision argmax) the pair is reached in the limit of scale:
 * s_0 = −t·v·x, s_1 = t·v·x, s_⊥ = T·(u·x − b) with T/t → ∞ (any finite sample with a positive
 * margin is separated at finite scale).
 *
 * <p>The {@link #logistic logistic} variant replaces the two sides by smooth laws that a linear
 * scorer represents exactly, for calibration checks: P(y = 1 | x) = σ(a·v·x) and P(expert right |
 * x) = σ(c·(u·x − b)), the expert's wrong answer being the other class.
 */
public final class LinearDeferralProblem {
  private final double[] rejector;
  private final double rejectorBias;
  private final double[] classifier;
  private final double machineError;
  private final double expertDeferred;
  private final double expertKept;
  private final double classSlope;
  private final double expertSlope;

  /**
   * @param rejector u, a d-vector
   * @param rejectorBias b: the deferred side is u·x &gt; b
   * @param classifier v, a d-vector
   * @param machineError probability that the kept side's label disagrees with 1[v·x &gt; 0]
   * @param expertDeferred expert accuracy on the deferred side
   * @param expertKept expert accuracy on the kept side
   */
  public LinearDeferralProblem(
      double[] rejector,
      double rejectorBias,
      double[] classifier,
      double machineError,
      double expertDeferred,
      double expertKept) {
    Checks.checkPositive("dimension", rejector.length);
    Checks.checkDimension("classifier direction", classifier.length, rejector.length);
    for (double w : rejector) {
      Checks.checkFinite("rejector weight", w);
    }
    for (double w : classifier) {
      Checks.checkFinite("classifier weight", w);
    }
    this.rejector = rejector.clone();
    this.rejectorBias = Checks.checkFinite("rejector bias", rejectorBias);
    this.classifier = classifier.clone();
    this.machineError = Checks.checkProbability("machine error", machineError);
    this.expertDeferred = Checks.checkProbability("expert accuracy (deferred)", expertDeferred);
    this.expertKept = Checks.checkProbability("expert accuracy (kept)", expertKept);
    this.classSlope = Double.NaN;
    this.expertSlope = Double.NaN;
  }

  private LinearDeferralProblem(
      double[] rejector,
      double rejectorBias,
      double[] classifier,
      double classSlope,
      double expertSlope) {
    this.rejector = rejector.clone();
    this.rejectorBias = Checks.checkFinite("rejector bias", rejectorBias);
    this.classifier = classifier.clone();
    this.machineError = Double.NaN;
    this.expertDeferred = Double.NaN;
    this.expertKept = Double.NaN;
    this.classSlope = Checks.checkFinite("class slope", classSlope);
    this.expertSlope = Checks.checkFinite("expert slope", expertSlope);
  }

  /**
   * The logistic variant in d dimensions: random unit directions u, v from {@code rng}, P(y = 1 |
   * x) = σ(classSlope · v·x), P(expert right | x) = σ(expertSlope · (u·x − bias)).
   */
  public static LinearDeferralProblem logistic(
      int dims, double classSlope, double expertSlope, double bias, SplittableRandom rng) {
    return new LinearDeferralProblem(
        unit(dims, rng), bias, unit(dims, rng), classSlope, expertSlope);
  }

  private boolean isLogistic() {
    return !Double.isNaN(classSlope);
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  /**
   * The realizable problem of Mozannar et al. 2023 in d dimensions: random unit directions drawn
   * from {@code rng}, half of the mass deferred (b = 0), a perfect expert on the deferred side, a
   * coin-flip expert on the kept side, noiseless labels on the kept side.
   */
  public static LinearDeferralProblem realizable(int dims, SplittableRandom rng) {
    return new LinearDeferralProblem(unit(dims, rng), 0.0, unit(dims, rng), 0.0, 1.0, 0.5);
  }

  private static double[] unit(int d, SplittableRandom rng) {
    Checks.checkPositive("dimension", d);
    double[] u = new double[d];
    double norm = 0;
    while (norm < 1e-6) {
      norm = 0;
      for (int i = 0; i < d; i++) {
        u[i] = gaussian(rng);
        norm += u[i] * u[i];
      }
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < d; i++) {
      u[i] /= norm;
    }
    return u;
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** d, the number of features. */
  public int dimension() {
    return rejector.length;
  }

  /** The task of the sampled tables: classes "0", "1", one expert "e1", no frozen model. */
  public TaskSpec task() {
    return TaskSpec.classification(List.of("0", "1"), null, List.of(Agent.expert("e1", 0.0)));
  }

  /** Whether the optimal rejector defers the input x (u·x &gt; b). */
  public boolean deferred(double[] x) {
    Checks.checkDimension("x", x.length, rejector.length);
    return dot(rejector, x, 0) > rejectorBias;
  }

  /** The optimal classifier's class for x, 1[v·x &gt; 0]. */
  public int optimalClass(double[] x) {
    Checks.checkDimension("x", x.length, classifier.length);
    return dot(classifier, x, 0) > 0 ? 1 : 0;
  }

  /**
   * The expert's probability of being right at x (the law the sample is drawn from), the quantity
   * expert-correctness estimates are calibrated against.
   */
  public double expertAccuracy(double[] x) {
    if (isLogistic()) {
      Checks.checkDimension("x", x.length, rejector.length);
      return sigmoid(expertSlope * (dot(rejector, x, 0) - rejectorBias));
    }
    return deferred(x) ? expertDeferred : expertKept;
  }

  /**
   * The error of the optimal linear pair at x: the expert's on the deferred side, the best of the
   * classifier's and the expert's on the kept side. Its mean over x is the Bayes error of the
   * linear class (0 in the realizable case).
   */
  public double optimalError(double[] x) {
    if (isLogistic()) {
      double p1 = sigmoid(classSlope * dot(classifier, x, 0));
      return Math.min(Math.min(p1, 1 - p1), 1 - expertAccuracy(x));
    }
    return deferred(x) ? 1 - expertDeferred : Math.min(machineError, 1 - expertKept);
  }

  /**
   * Draws n cases: features {@code x.0 … x.(d−1)}, label {@code y}, the expert's answer as agent
   * {@code e1}.
   */
  public DeferralTable sample(int n, SplittableRandom rng) {
    Checks.checkPositive("rows", n);
    int d = rejector.length;
    double[] features = new double[n * d];
    int[] labels = new int[n];
    int[] answers = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        features[i * d + j] = gaussian(rng);
      }
      double r = dot(rejector, features, i * d) - rejectorBias;
      boolean defer = r > 0;
      int y;
      double acc;
      if (isLogistic()) {
        y = rng.nextDouble() < sigmoid(classSlope * dot(classifier, features, i * d)) ? 1 : 0;
        acc = sigmoid(expertSlope * r);
      } else if (defer) {
        y = rng.nextInt(2);
        acc = expertDeferred;
      } else {
        y = dot(classifier, features, i * d) > 0 ? 1 : 0;
        if (rng.nextDouble() < machineError) {
          y = 1 - y;
        }
        acc = expertKept;
      }
      labels[i] = y;
      answers[i] = rng.nextDouble() < acc ? y : 1 - y;
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("x" + j);
    }
    return DeferralTable.builder("linear-synthetic", n)
        .features(names, features)
        .labels(labels)
        .agent("e1", new AgentColumns(n, answers, null, null, 0, null))
        .build();
  }

  private static double dot(double[] w, double[] x, int offset) {
    double s = 0;
    for (int j = 0; j < w.length; j++) {
      s += w[j] * x[offset + j];
    }
    return s;
  }
}

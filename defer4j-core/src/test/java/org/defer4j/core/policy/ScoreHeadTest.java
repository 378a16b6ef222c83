package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.loss.Target;
import org.junit.jupiter.api.Test;

/**
 * The score head of every catalogue surrogate reproduces the surrogate's own routing rule: the
 * argmax over the head's agent scores (every agent available) is {@link Surrogate#route}. Expected
 * costs are checked against hand-computed values of the formulas in {@link ScoreHead}'s Javadoc.
 */
class ScoreHeadTest {
  private static final int CLASSES = 3;
  private static final int VECTORS = 250;

  /**
   * One concrete surrogate per catalogue entry: the entry's name with its parameter placeholder
   * replaced by a valid value (ALPHA = 0.5, LINK = mae, LAMBDA = 2, LOSS = absolute, NU = 1).
   */
  static List<Surrogate> catalogueSurrogates() {
    List<Surrogate> out = new ArrayList<>();
    for (Surrogates.Entry e : Surrogates.catalogue()) {
      String name =
          e.name()
              .replace("ALPHA", "0.5")
              .replace("LINK", "mae")
              .replace("LAMBDA", "2")
              .replace("LOSS", "absolute")
              .replace("NU", "1");
      assertThat(name).as("placeholder left in %s", e.name()).doesNotMatch(".*[A-Z].*");
      Surrogate s = Surrogates.byName(name);
      assertThat(s.layout()).as(name).isEqualTo(e.layout());
      out.add(s);
    }
    return out;
  }

  /**
   * Whether the surrogate's formula accepts J experts: single-expert surrogates (pr, pr:exp) refuse
   * a target with more ("defined for a single expert").
   */
  static boolean supports(Surrogate s, int experts) {
    double[] scores = new double[s.scoreCount(CLASSES, experts)];
    double[] costs = new double[experts + 1];
    Target t =
        s.layout() == ScoreLayout.PREDICTION_AND_AGENTS
            ? Target.regression(0.0, costs)
            : Target.ofCosts(0, costs);
    try {
      s.value(scores, t);
      return true;
    } catch (IllegalArgumentException e) {
      if (e.getMessage().contains("single expert")) {
        return false;
      }
      throw e;
    }
  }

  @Test
  void everyCatalogueEntryHasAHeadOnItsLayout() {
    List<Surrogate> all = catalogueSurrogates();
    assertThat(all).hasSize(Surrogates.catalogue().size());
    for (Surrogate s : all) {
      ScoreHead h = ScoreHead.of(s);
      assertThat(h.layout()).as(s.name()).isEqualTo(s.layout());
      assertThat(ScoreHead.parse(h.spec())).isEqualTo(h);
    }
    assertThat(ScoreHead.of(Surrogates.oneVsAll())).isEqualTo(ScoreHead.ONE_VS_ALL);
    assertThat(ScoreHead.of(Surrogates.twoStageScoreBased()).readsModelConfidence()).isTrue();
    assertThat(ScoreHead.of(Surrogates.twoStagePredictorRejector()))
        .isEqualTo(ScoreHead.NEGATED_REJECTORS);
    assertThatThrownBy(() -> ScoreHead.parse("best")).hasMessageContaining("unknown score head");
  }

  /**
   * 250 seeded Gaussian score vectors (sd 3, so that signs, orders and margins all vary) per
   * surrogate, for J = 1 and J = 3 where the surrogate supports it. For 2s-sb the model's score is
   * a confidence drawn from U[0, 1]: the head reads it as agent 0's score, and the surrogate's rule
   * reads it in place of raw score 0 (which the trainer used to overwrite with it).
   */
  @Test
  void argmaxOverAgentScoresIsTheSurrogatesRoute() {
    int checked = 0;
    for (Surrogate s : catalogueSurrogates()) {
      for (int experts : new int[] {1, 3}) {
        if (!supports(s, experts)) {
          assertThat(experts).as("%s refuses one expert", s.name()).isGreaterThan(1);
          continue;
        }
        SplittableRandom rng = new SplittableRandom(31L * checked + 7);
        compareWithRoute(s, experts, () -> 3 * gaussian(rng), rng::nextDouble);
        checked++;
      }
    }
    // Every entry at J = 1; all but the single-expert pr and pr:exp at J = 3.
    assertThat(checked).isEqualTo(2 * Surrogates.catalogue().size() - 2);
  }

  /**
   * Ties (scores drawn from {−1, 0, 1}) break the same way in the head's argmax (lowest agent
   * index, so the model wins a tie) as in the surrogates' rules. Excluded: the one-stage
   * predictor–rejector (pr, pr:exp), whose rule defers at r = 0 (ScoreLayout: "defer when r ≤ 0")
   * while its head scores the model r and the expert −r, so at r = 0 the tie keeps the model; the
   * disagreement is confined to r = 0 exactly and is left to the owner of {@link ScoreHead}.
   */
  @Test
  void tiesBreakLikeTheSurrogatesRoute() {
    long seed = 1;
    for (Surrogate s : catalogueSurrogates()) {
      if (s.name().startsWith("pr")) {
        continue;
      }
      for (int experts : new int[] {1, 3}) {
        if (supports(s, experts)) {
          SplittableRandom rng = new SplittableRandom(seed++);
          compareWithRoute(s, experts, () -> rng.nextInt(3) - 1, () -> rng.nextInt(3) - 1);
        }
      }
    }
  }

  private static void compareWithRoute(
      Surrogate s, int experts, DoubleSupplier score, DoubleSupplier confidenceSource) {
    ScoreHead head = ScoreHead.of(s);
    int agents = experts + 1;
    int width = s.scoreCount(CLASSES, experts);
    boolean[] all = new boolean[agents];
    Arrays.fill(all, true);
    double[] raw = new double[width];
    double[] out = new double[agents];
    for (int v = 0; v < VECTORS; v++) {
      for (int k = 0; k < width; k++) {
        raw[k] = score.getAsDouble();
      }
      double confidence = confidenceSource.getAsDouble();
      head.agentScores(raw, 0, CLASSES, confidence, out, 0, agents);
      double[] routed = raw.clone();
      if (head.readsModelConfidence()) {
        routed[0] = confidence;
      }
      int expected = s.route(routed, CLASSES, experts);
      int got = DecisionRules.argmax().choose(out, 0, all, 0, agents);
      if (got != expected) {
        throw new AssertionError(
            String.format(
                "%s, J = %d: scores %s (confidence %s) give agent scores %s, argmax %d, route %d",
                s.name(),
                experts,
                Arrays.toString(raw),
                confidence,
                Arrays.toString(out),
                got,
                expected));
      }
    }
  }

  /** The heads read their case's scores at the offsets they are given, in a batch. */
  @Test
  void agentScoresHonourOffsets() {
    ScoreHead h = ScoreHead.ONE_VS_ALL;
    // Two cases of K = 2, J = 1: (0.1, 0.7, -0.2) and (2, -1, 0.5).
    double[] raw = {0.1, 0.7, -0.2, 2, -1, 0.5};
    double[] out = new double[5];
    h.agentScores(raw, 3, 2, 0, out, 3, 2);
    // Model = max class score 2, expert = 0.5; slots 0..2 untouched.
    assertThat(out).containsExactly(0, 0, 0, 2, 0.5);
    assertThat(h.predictedClass(raw, 0, 2)).isEqualTo(1);
    assertThat(h.predictedClass(raw, 3, 2)).isEqualTo(0);
  }

  /**
   * One-vs-all (Verma &amp; Nalisnick 2022): σ(max_k s_k) and σ(s_⊥j) estimate P(model right) and
   * P(expert j right), so E[c_j] = α_j(1 − σ) + β_j. Scores (0.2, 1.5, −0.3 | 0.4, −1.0), α = (1,
   * 1, 2), β = (0, 0.1, 0.3); σ(1.5) = 1/(1 + e^−1.5) = 0.8175744761936437, σ(0.4) =
   * 0.598687660112452, σ(−1) = 0.2689414213699951 (Python math.exp, float64).
   */
  @Test
  void oneVsAllExpectedCostsAreHandComputed() {
    double[] raw = {0.2, 1.5, -0.3, 0.4, -1.0};
    double[] alpha = {1, 1, 2};
    double[] fee = {0, 0.1, 0.3};
    double[] e = new double[3];
    ScoreHead.ONE_VS_ALL.expectedCosts(raw, 0, 3, alpha, fee, e, 0);
    assertThat(e[0]).isCloseTo(1 * (1 - 0.8175744761936437) + 0, within(1e-15));
    assertThat(e[1]).isCloseTo(1 * (1 - 0.598687660112452) + 0.1, within(1e-15));
    assertThat(e[2]).isCloseTo(2 * (1 - 0.2689414213699951) + 0.3, within(1e-15));
    // Literal values: 0.18242552380635635, 0.501312339887548, 1.7621171572600098.
    assertThat(e)
        .containsExactly(
            new double[] {0.18242552380635635, 0.501312339887548, 1.7621171572600098},
            within(1e-15));
    assertThat(ScoreHead.ONE_VS_ALL.estimatesCosts(true)).isTrue();
    assertThat(ScoreHead.ONE_VS_ALL.estimatesCosts(false)).isFalse();
  }

  /**
   * Decoupled: softmax max for the model, σ(s_⊥j) for the experts. Scores (0, ln 3 | 0) with K = 2:
   * softmax = (1/4, 3/4), so E[c_0] = 1 − 3/4 = 0.25; σ(0) = 1/2, so E[c_1] = 1 · 1/2 + 0.2 = 0.7.
   * Plug-in: E[c_j] = max(0, −s_j): scores (−0.3, 0.2, −1.5) give (0.3, 0, 1.5).
   */
  @Test
  void decoupledAndPluginExpectedCostsAreHandComputed() {
    double[] e = new double[2];
    ScoreHead.DECOUPLED.expectedCosts(
        new double[] {0, Math.log(3), 0}, 0, 2, new double[] {1, 1}, new double[] {0, 0.2}, e, 0);
    assertThat(e).containsExactly(new double[] {0.25, 0.7}, within(1e-15));
    double[] p = new double[3];
    ScoreHead.PLUGIN.expectedCosts(
        new double[] {-0.3, 0.2, -1.5}, 0, 0, new double[3], new double[3], p, 0);
    assertThat(p).containsExactly(0.3, 0.0, 1.5);
    assertThat(ScoreHead.PLUGIN.estimatesCosts(false)).isTrue();
    // Heads without calibrated estimates write NaN.
    double[] n = {1, 1};
    ScoreHead.CLASS_MAX.expectedCosts(
        new double[] {0, 1, 2}, 0, 2, new double[] {1, 1}, new double[2], n, 0);
    assertThat(n).containsOnly(Double.NaN);
    assertThat(ScoreHead.CLASS_MAX.estimatesCosts(true)).isFalse();
  }

  /** The one-stage heads answer as the model; two-stage heads do not. */
  @Test
  void oneStageHeadsPredictAndTwoStageHeadsDoNot() {
    assertThat(ScoreHead.of(Surrogates.crossEntropy()).predictsClass()).isTrue();
    assertThat(ScoreHead.of(Surrogates.predictorRejector()).predictsClass()).isTrue();
    assertThat(ScoreHead.of(Surrogates.byName("regression")).predictsValue()).isTrue();
    assertThat(ScoreHead.of(Surrogates.byName("regression")).predictsClass()).isFalse();
    for (String twoStage : List.of("2s-sb", "2s-pr", "2s-comp:1", "2s-psi:mae", "plugin")) {
      ScoreHead h = ScoreHead.of(Surrogates.byName(twoStage));
      assertThat(h.predictsClass() || h.predictsValue()).as(twoStage).isFalse();
    }
    // The regression head's value is raw score 0; its agents are raw scores 1..A.
    double[] out = new double[2];
    ScoreHead.REGRESSION.agentScores(new double[] {4.5, -1, 2}, 0, 0, 0, out, 0, 2);
    assertThat(out).containsExactly(-1, 2);
    assertThat(ScoreHead.REGRESSION.predictedValue(new double[] {4.5, -1, 2}, 0)).isEqualTo(4.5);
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}

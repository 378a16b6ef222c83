package org.defer4j.core.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random examples in a surrogate's layout, for the contract tests. */
final class Cases {
  private Cases() {}

  /** One example: scores, target, K (0 without classes) and J. */
  record Case(double[] scores, Target target, int classes, int experts) {
    @Override
    public String toString() {
      return "Case[K="
          + classes
          + ", J="
          + experts
          + ", scores="
          + Arrays.toString(scores)
          + ", "
          + target
          + "]";
    }
  }

  /**
   * {@code count} random cases: K ∈ {2, 3, 5}, J ∈ [0, maxExperts] (J ≥ 1 for two-stage layouts),
   * scores N(0, scale²), labels uniform, correctness 0/1 (one in five soft), costs U[0, maxCost],
   * each expert unobserved (NaN in both) with probability 1/4.
   */
  static List<Case> random(
      ScoreLayout layout, long seed, int count, int maxExperts, double maxCost, double scale) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Case> out = new ArrayList<>();
    int[] ks = {2, 3, 5};
    for (int n = 0; n < count; n++) {
      int classes = layout.hasClasses() ? ks[rnd.nextInt(ks.length)] : 0;
      int minExperts = layout.hasClasses() ? (n % 8 == 7 ? 0 : 1) : 1;
      int experts = minExperts + rnd.nextInt(Math.max(1, maxExperts - minExperts + 1));
      experts = Math.min(experts, maxExperts);
      int agents = experts + 1;
      double[] correct = new double[agents];
      double[] costs = new double[agents];
      for (int j = 0; j < agents; j++) {
        correct[j] = rnd.nextInt(5) == 0 ? rnd.nextDouble() : rnd.nextInt(2);
        costs[j] = maxCost * rnd.nextDouble();
        boolean masked = j >= 1 && rnd.nextInt(4) == 0;
        if (masked) {
          correct[j] = Double.NaN;
          costs[j] = Double.NaN;
        }
      }
      if (layout.hasClasses() || layout == ScoreLayout.PREDICTION_AND_AGENTS) {
        correct[0] = Double.NaN;
        costs[0] = Double.NaN;
      }
      int label = layout.hasClasses() ? rnd.nextInt(classes) : Target.NO_LABEL;
      double value =
          layout == ScoreLayout.PREDICTION_AND_AGENTS ? 2 * rnd.nextDouble() - 1 : Double.NaN;
      double[] scores = new double[layout.scoreCount(classes, experts)];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = scale * gaussian(rnd);
      }
      out.add(new Case(scores, new Target(label, correct, costs, value), classes, experts));
    }
    return out;
  }

  /** The same case with every score replaced by ±magnitude (random signs). */
  static Case extreme(Case c, double magnitude, SplittableRandom rnd) {
    double[] s = new double[c.scores().length];
    for (int i = 0; i < s.length; i++) {
      s[i] = rnd.nextBoolean() ? magnitude : -magnitude;
    }
    return new Case(s, c.target(), c.classes(), c.experts());
  }

  /** Index of expert j's score in the layout, or −1 when the layout has none per expert. */
  static int expertScoreIndex(ScoreLayout layout, int classes, int j) {
    return switch (layout) {
      case CLASSES_AND_EXPERTS -> classes + j - 1;
      case CLASSES_AND_REJECTOR -> -1;
      case AGENTS -> j;
      case EXPERT_REJECTORS -> j - 1;
      case PREDICTION_AND_AGENTS -> 1 + j;
    };
  }

  /** The problem without expert j: its score and its target entries removed. */
  static Case withoutExpert(Case c, int j, ScoreLayout layout) {
    int drop = expertScoreIndex(layout, c.classes(), j);
    double[] s = drop < 0 ? c.scores().clone() : remove(c.scores(), drop);
    Target t = c.target();
    double[] correct = t.hasCorrectness() ? remove(t.correct(), j) : null;
    double[] costs = t.hasCosts() ? remove(t.costs(), j) : null;
    return new Case(
        s, new Target(t.label(), correct, costs, t.value()), c.classes(), c.experts() - 1);
  }

  static double[] remove(double[] x, int i) {
    double[] out = new double[x.length - 1];
    System.arraycopy(x, 0, out, 0, i);
    System.arraycopy(x, i + 1, out, i, x.length - i - 1);
    return out;
  }

  static double gaussian(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }
}

package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.loss.Cases.Case;
import org.defer4j.core.math.StableMath;
import org.junit.jupiter.api.Test;

class DecoupledSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.decoupled();
  }

  // Each expert's weight is λ/J with J the experts in the layout, so dropping one changes the
  // others' weight; masking still gives the masked expert no gradient.
  @Override
  public boolean maskedEqualsReduced() {
    return false;
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.range(0, c.classes());
  }

  /**
   * Montreuil et al. 2026: the class–expert Hessian block is identically zero — the class gradient
   * does not depend on the expert scores and vice versa (checked exactly on random cases).
   */
  @Test
  void classAndExpertBlocksDoNotInteract() {
    SplittableRandom rnd = new SplittableRandom(101);
    for (Case c : cases()) {
      double[] g = new double[c.scores().length];
      subject().evaluate(c.scores(), c.target(), g);
      double[] moved = c.scores().clone();
      for (int i = 0; i < moved.length; i++) {
        moved[i] += 3 * (2 * rnd.nextDouble() - 1);
      }
      double[] classesMoved = c.scores().clone();
      System.arraycopy(moved, 0, classesMoved, 0, c.classes());
      double[] expertsMoved = moved.clone();
      System.arraycopy(c.scores(), 0, expertsMoved, 0, c.classes());
      double[] g1 = new double[g.length];
      double[] g2 = new double[g.length];
      subject().evaluate(classesMoved, c.target(), g1);
      subject().evaluate(expertsMoved, c.target(), g2);
      for (int i = 0; i < g.length; i++) {
        if (i < c.classes()) {
          assertThat(g2[i]).isEqualTo(g[i]);
        } else {
          assertThat(g1[i]).isEqualTo(g[i]);
        }
      }
    }
  }

  /**
   * The minimiser recovers the class posterior (softmax = η) and each expert's utility (σ(s_⊥j) =
   * a_j), and the decision rule that compares them is the Bayes rule.
   */
  @Test
  void minimiserRecoversPosteriorAndUtilities() {
    SplittableRandom rnd = new SplittableRandom(102);
    double[] eta = ConditionalRisk.simplex(rnd, 3);
    double[][] acc = ConditionalRisk.accuracies(rnd, 3, 3);
    List<ConditionalRisk.Weighted> dist = ConditionalRisk.oneStage(eta, acc, 0.0, 1.0);
    double[] x = ConditionalRisk.minimise(subject(), new double[6], dist, 5000, null);
    double[] p = new double[3];
    StableMath.softmax(java.util.Arrays.copyOf(x, 3), p);
    for (int k = 0; k < 3; k++) {
      assertThat(p[k]).isCloseTo(eta[k], within(1e-6));
    }
    double[] u = Surrogates.decoupled().expertCorrectness(x, 3, 3);
    for (int j = 0; j < 3; j++) {
      assertThat(u[j]).isCloseTo(ConditionalRisk.accuracy(eta, acc[j]), within(1e-6));
    }
    Consistency.checkOneStage(subject(), 3, 0.0, 1.0, 103, 20, 0.05);
  }
}

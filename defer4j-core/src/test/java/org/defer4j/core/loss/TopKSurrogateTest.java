package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.loss.Cases.Case;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The k-independent top-k surrogate (survey eqs. 17–19). */
class TopKSurrogateTest {

  abstract static class Contract implements SurrogateContract {
    abstract double nu();

    @Override
    public Surrogate subject() {
      return Surrogates.topK(nu());
    }

    @Override
    public double maxCost() {
      return 1.5;
    }

    @Override
    public boolean finiteAtExtremes() {
      return nu() >= 1;
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.all(c);
    }
  }

  @Nested
  class Logistic extends Contract {
    @Override
    double nu() {
      return 1;
    }

    /**
     * Eq. 19 written out by hand for K = 3, J = 2: entity costs (eq. 17) 1[k ≠ y] for classes and
     * the experts' costs, τ_e = Σ_{e' ≠ e} c̃_e', L = Σ_e τ_e · (−log p_e).
     */
    @Test
    void isEquationNineteen() {
      double[] s = {0.3, -0.2, 1.1, 0.5, -0.7};
      int y = 1;
      double[] expertCost = {0.25, 1.2};
      double[] c = {1, 0, 1, expertCost[0], expertCost[1]};
      double total = 0;
      for (double v : c) {
        total += v;
      }
      double lse =
          Math.log(Math.exp(0.3) + Math.exp(-0.2) + Math.exp(1.1) + Math.exp(0.5) + Math.exp(-0.7));
      double expected = 0;
      for (int e = 0; e < 5; e++) {
        expected += (total - c[e]) * (lse - s[e]);
      }
      Target t = Target.ofCosts(y, Double.NaN, expertCost[0], expertCost[1]);
      assertThat(subject().value(s, t)).isCloseTo(expected, within(1e-12));
    }

    /**
     * The k-independence the design rests on (METHODS-2 §0): the conditional-risk minimiser is p_e
     * ∝ E[τ_e | x], so the gradient of the expected loss vanishes at s_e = log E[τ_e] and the score
     * order is the order of increasing expected entity cost — the Bayes top-k set for every k.
     * Checked on 50 random conditional laws (3 classes, 3 experts, fees up to 0.5): expected
     * gradient within 1e-9, ranking equal to the Bayes ranking.
     */
    @Test
    void minimiserRanksEntitiesByExpectedCost() {
      SplittableRandom rnd = new SplittableRandom(7);
      int k = 3;
      int j = 3;
      for (int trial = 0; trial < 50; trial++) {
        double[] py = dirichlet(rnd, k);
        double[][] expertCosts = new double[k][j];
        double[] fee = new double[j];
        for (int e = 0; e < j; e++) {
          fee[e] = 0.5 * rnd.nextDouble();
        }
        double[] acc = new double[j];
        for (int e = 0; e < j; e++) {
          acc[e] = rnd.nextDouble();
        }
        // expert e is right with probability acc[e] whatever y: its cost given y is random, so
        // take the expectation over its correctness as two outcomes per label.
        double[] expectedCost = new double[k + j];
        for (int c = 0; c < k; c++) {
          expectedCost[c] = 1 - py[c];
        }
        for (int e = 0; e < j; e++) {
          expectedCost[k + e] = 1 - acc[e] + fee[e];
        }
        double sum = 0;
        for (double v : expectedCost) {
          sum += v;
        }
        double[] s = new double[k + j];
        for (int e = 0; e < k + j; e++) {
          s[e] = Math.log(sum - expectedCost[e]);
        }
        double[] g = new double[k + j];
        double[] gi = new double[k + j];
        // Outcomes: label y and each expert right or wrong independently.
        for (int y = 0; y < k; y++) {
          for (int mask = 0; mask < (1 << j); mask++) {
            double p = py[y];
            double[] costs = new double[j + 1];
            costs[0] = Double.NaN;
            for (int e = 0; e < j; e++) {
              boolean right = (mask >> e & 1) == 1;
              p *= right ? acc[e] : 1 - acc[e];
              costs[e + 1] = (right ? 0 : 1) + fee[e];
            }
            subject().evaluate(s, Target.ofCosts(y, costs), gi);
            for (int e = 0; e < k + j; e++) {
              g[e] += p * gi[e];
            }
          }
        }
        for (int e = 0; e < k + j; e++) {
          assertThat(g[e]).as("trial %d, entity %d", trial, e).isCloseTo(0.0, within(1e-9));
        }
        for (int a = 0; a < k + j; a++) {
          for (int b = 0; b < k + j; b++) {
            if (expectedCost[a] < expectedCost[b] - 1e-12) {
              assertThat(s[a]).isGreaterThan(s[b]);
            }
          }
        }
      }
    }

    /** On a one-stage task a wrong class entity costs the task's λ_cls (eq. 17, α_model = 1). */
    @Test
    void classEntitiesReadTheErrorWeightFromTheTask() {
      TaskSpec task =
          new TaskSpec(
              TaskKind.CLASSIFICATION,
              List.of("a", "b"),
              null,
              List.of(Agent.expert("e", 0.1)),
              new CostWeights(3.0, 0.0, RegressionLoss.SMOOTH_L1, Double.POSITIVE_INFINITY),
              null);
      TopKSurrogate bound = (TopKSurrogate) subject().forTask(task);
      assertThat(bound.classError()).isEqualTo(3.0);
      assertThat(bound.classFee()).isEqualTo(0.0);
      assertThat(bound.forTask(task)).isSameAs(bound);
      // costs: class 0 (right) 0, class 1 (wrong) 3, expert 0.4; uniform scores
      double total = 3.4;
      double expected = (total - 0 + total - 3 + total - 0.4) * Math.log(3);
      assertThat(bound.value(new double[3], Target.ofCosts(0, Double.NaN, 0.4)))
          .isCloseTo(expected, within(1e-12));
    }

    /** On a two-stage task (a frozen model) the same loss over the agents is 2s-comp:1. */
    @Test
    void twoStageTaskGivesTheComplementaryCostSurrogate() {
      TaskSpec task =
          TaskSpec.classification(List.of("a", "b"), "clf", List.of(Agent.expert("e", 0.1)));
      assertThat(subject().forTask(task).name()).isEqualTo("2s-comp:1");
    }
  }

  @Nested
  class SumExponential extends Contract {
    @Override
    double nu() {
      return 0;
    }
  }

  @Nested
  class Mae extends Contract {
    @Override
    double nu() {
      return 2;
    }
  }

  static double[] dirichlet(SplittableRandom rnd, int k) {
    double[] p = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      p[i] = -Math.log(1 - rnd.nextDouble());
      sum += p[i];
    }
    for (int i = 0; i < k; i++) {
      p[i] /= sum;
    }
    return p;
  }
}

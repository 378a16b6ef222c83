package org.defer4j.core.synthetic;

import java.util.Arrays;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.Committees;
import org.defer4j.core.policy.LearnedPolicy;

/**
 * Top-k committees on problems with known laws: the specialists problem and the exact excess top-k
 * risk of a trained policy over the Bayes top-k rule (the k entities of least conditional risk).
 */
public final class TopKExperiment {
  private TopKExperiment() {}

  /**
   * 12 cells, 3 classes; cell c's main class is c mod 3 with probability 0.40 + 0.05·⌊c/3⌋ (the
   * other two share the rest); expert j answers correctly with probability 0.9 on the cells whose
   * main class is j and 0.35 elsewhere, so each expert is the specialist of one class.
   *
   * @param fee every expert's fee
   */
  public static DiscreteDeferralProblem specialists(double fee) {
    int cells = 12;
    double[][] law = new double[cells][3];
    double[][] acc = new double[cells][3];
    for (int c = 0; c < cells; c++) {
      int main = c % 3;
      double sharp = 0.4 + 0.05 * (c / 3);
      for (int k = 0; k < 3; k++) {
        law[c][k] = k == main ? sharp : (1 - sharp) / 2;
        acc[c][k] = k == main ? 0.9 : 0.35;
      }
    }
    return new DiscreteDeferralProblem(law, acc, new double[] {fee, fee, fee});
  }

  /**
   * The exact excess top-k risk: the mean over cells of Σ_{e ∈ H_k(x)} r(e | x) minus the sum of
   * the k smallest conditional risks r(e | x), where H_k is the policy's top-k committee on the
   * cell's one-hot input with every expert available (entities: class k, or K + j for expert j, as
   * {@link DiscreteDeferralProblem#conditionalRisk}).
   */
  public static double excessTopK(LearnedPolicy policy, DiscreteDeferralProblem problem, int k) {
    Committees c =
        policy
            .withCommittee(CommitteeRule.topK(k, Aggregator.VOTE))
            .decide(ConsistencyExperiment.cellTable(problem))
            .committees();
    int classes = problem.classes();
    int entities = classes + problem.experts();
    double total = 0;
    for (int cell = 0; cell < problem.cells(); cell++) {
      double learned = 0;
      for (int m = 0; m < c.size(cell); m++) {
        int v = c.vote(cell, m);
        learned += problem.conditionalRisk(cell, v >= 0 ? v : classes + c.agent(cell, m) - 1);
      }
      double[] r = new double[entities];
      for (int e = 0; e < entities; e++) {
        r[e] = problem.conditionalRisk(cell, e);
      }
      Arrays.sort(r);
      double bayes = 0;
      for (int m = 0; m < k; m++) {
        bayes += r[m];
      }
      total += learned - bayes;
    }
    return total / problem.cells();
  }
}

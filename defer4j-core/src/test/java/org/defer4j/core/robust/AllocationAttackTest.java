package org.defer4j.core.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.LinearScorer;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.synthetic.MarginRoutingProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PGD attacks against routing rules whose optimum is known in closed form. For a linear two-agent
 * rejector with score gap Δ(x) = (w_1 − w_0)·x + (b_1 − b_0), the largest gap inside B_p(x, γ) is
 * Δ(x) + γ‖w_1 − w_0‖_* (‖·‖_* the dual norm: ℓ1 for ℓ∞, ℓ2 for ℓ2), reached at x + γ·sign(Δw) and
 * x + γ·Δw/‖Δw‖₂; a targeted attack on the expert succeeds iff that maximum is positive (ties go to
 * the model, the lower index).
 */
class AllocationAttackTest {
  private static final MarginRoutingProblem PROBLEM = new MarginRoutingProblem(6, 0.3, 0.3, 0.1);

  private static LearnedPolicy policy(Scorer scorer) {
    DeferralTable t = PROBLEM.sample(1, new SplittableRandom(0));
    return new LearnedPolicy(
        PROBLEM.task(),
        FeaturePipeline.of(t.featureNames(), List.of()),
        scorer,
        ScoreHead.AGENTS,
        DecisionRules.argmax(),
        Provenance.of("test"));
  }

  @ParameterizedTest
  @EnumSource(Norm.class)
  void targetedAttackOnALinearRejectorReachesTheClosedFormOptimum(Norm norm) {
    LinearScorer s = Scorers.linear(6, 2, new SplittableRandom(3));
    LearnedPolicy p = policy(s);
    DeferralTable cases = PROBLEM.sample(500, new SplittableRandom(4));
    double gamma = 0.15;
    double[] dw = new double[6];
    for (int j = 0; j < 6; j++) {
      dw[j] = s.weight(1, j) - s.weight(0, j);
    }
    double db = s.bias(1) - s.bias(0);
    double reach = gamma * norm.dual(dw, 0, 6);
    AllocationAttack attack =
        new AllocationAttack(
            new Pgd(norm, gamma, 30, norm == Norm.LINF ? Double.NaN : gamma, 2, 7));
    double[] x = cases.featureBlock();
    double[] xp =
        attack.perturb(
            p,
            x,
            null,
            org.defer4j.core.policy.Availability.observed(PROBLEM.task(), cases),
            new org.defer4j.core.cost.CostModel(PROBLEM.task()).costs(cases),
            p.decide(cases).agents(),
            1);
    AttackResult r = attack.run(p, PROBLEM.task(), cases, 1);
    int expected = 0;
    int nearTies = 0;
    for (int i = 0; i < cases.rows(); i++) {
      double gap = db;
      double gapAttacked = db;
      for (int j = 0; j < 6; j++) {
        gap += dw[j] * x[i * 6 + j];
        gapAttacked += dw[j] * xp[i * 6 + j];
      }
      double best = gap + reach;
      // ℓ∞: the sign steps land on the optimal corner exactly. ℓ2 with step η = γ: from a point
      // of the sphere at angle θ to the optimum, a step along Δw and the radial projection land
      // at angle θ/2 (tan θ' = sin θ / (cos θ + 1)), so 30 steps leave θ below 1e-8 and the gap
      // within γ‖Δw‖₂·θ²/2 of its maximum.
      double tol = 1e-9;
      assertThat(gapAttacked)
          .as("row %d", i)
          .isCloseTo(best, org.assertj.core.data.Offset.offset(tol));
      if (Math.abs(best) > tol && gap <= 0 && best > 0) {
        expected++;
      }
      if (Math.abs(best) <= tol) {
        nearTies++;
      }
    }
    assertThat(r.successRate() * cases.rows()).isBetween(expected - 0.0, expected + nearTies + 0.0);
    assertThat(r.maxPerturbation()).isLessThanOrEqualTo(gamma + 1e-12);
    assertThat(r.attacked().allocation().get("e1")).isGreaterThan(r.clean().allocation().get("e1"));
  }

  @ParameterizedTest
  @EnumSource(Norm.class)
  void aLargerRadiusNeverLowersTheSuccessRate(Norm norm) {
    DeferralTable cases = PROBLEM.sample(400, new SplittableRandom(5));
    List<LearnedPolicy> policies =
        List.of(
            policy(Scorers.linear(6, 2, new SplittableRandom(8))),
            policy(
                Scorers.create(ScorerSpec.mlp(6, 2, Activation.TANH, 8), new SplittableRandom(9))));
    for (LearnedPolicy p : policies) {
      for (int target : new int[] {AllocationAttack.ANY, 0, 1}) {
        double last = -1;
        for (double gamma : new double[] {0, 0.01, 0.05, 0.1, 0.2, 0.5}) {
          AttackResult r =
              new AllocationAttack(new Pgd(norm, gamma, 20, Double.NaN, 2, 1))
                  .run(p, PROBLEM.task(), cases, target);
          assertThat(r.successRate())
              .as("%s, target %d, radius %s", p.scorer(), target, gamma)
              .isGreaterThanOrEqualTo(last);
          assertThat(r.maxPerturbation()).isLessThanOrEqualTo(gamma + 1e-12);
          last = r.successRate();
        }
      }
    }
  }

  @Test
  void untargetedSuccessMeansACostlierAgentAndInflatesTheCost() {
    LearnedPolicy p = policy(Scorers.linear(6, 2, new SplittableRandom(12)));
    DeferralTable cases = PROBLEM.sample(400, new SplittableRandom(13));
    AttackResult r =
        new AllocationAttack(Pgd.of(Norm.LINF, 0.3, 2))
            .run(p, PROBLEM.task(), cases, AllocationAttack.ANY);
    assertThat(r.successRate()).isPositive();
    // Every success moves a row to an agent that costs at least the smallest cost step (0.1 here:
    // costs are 0, 0.1, 1 and 1.1) more; nothing else changes the cost.
    assertThat(r.costInflation()).isGreaterThanOrEqualTo(0.1 * r.successRate() - 1e-12);
    assertThat(r.target()).isEqualTo("any");
    assertThat(r.expensiveExpert()).isEqualTo("e1");
  }

  @Test
  void radiusZeroChangesNothingAndBadTargetsAreRefused() {
    LearnedPolicy p = policy(Scorers.linear(6, 2, new SplittableRandom(12)));
    DeferralTable cases = PROBLEM.sample(50, new SplittableRandom(13));
    AttackResult r = new AllocationAttack(Pgd.of(Norm.L2, 0, 1)).run(p, PROBLEM.task(), cases, 1);
    assertThat(r.successRate()).isZero();
    assertThat(r.attackedDecisions().agents()).isEqualTo(r.cleanDecisions().agents());
    assertThatThrownBy(
            () -> new AllocationAttack(Pgd.of(Norm.L2, 0.1, 1)).run(p, PROBLEM.task(), cases, 5))
        .hasMessageContaining("target 5");
    assertThatThrownBy(() -> Pgd.of(Norm.L2, -1, 1)).hasMessageContaining("radius");
    assertThatThrownBy(() -> Norm.parse("l3")).hasMessageContaining("'l3' is not linf or l2");
  }
}

package org.defer4j.core.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.FairDeferralRule;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * d-GNP on a problem built to be unfair: the model errs where |x| is small (label noise 0.3 there),
 * the expert is right with probability 0.95 in group a and 0.7 in group b, so the one-vs-all policy
 * defers group a's cases far more often.
 */
class FairPostProcessorTest {
  static final TaskSpec TASK =
      TaskSpec.classification(List.of("0", "1"), null, List.of(Agent.expert("e", 0)));

  static DeferralTable sample(int n, SplittableRandom rng, boolean groups) {
    double[] x = new double[n * 2];
    int[] y = new int[n];
    int[] e = new int[n];
    String[] g = new String[n];
    for (int i = 0; i < n; i++) {
      double v = 2 * rng.nextDouble() - 1;
      boolean a = rng.nextBoolean();
      x[i * 2] = v;
      x[i * 2 + 1] = a ? 1 : 0;
      int clean = v > 0 ? 1 : 0;
      y[i] = Math.abs(v) < 0.4 && rng.nextDouble() < 0.3 ? 1 - clean : clean;
      e[i] = rng.nextDouble() < (a ? 0.95 : 0.7) ? y[i] : 1 - y[i];
      g[i] = a ? "a" : "b";
    }
    DeferralTable.Builder b =
        DeferralTable.builder("synthetic", n)
            .features(List.of("x.v", "x.a"), x)
            .labels(y)
            .agent("e", new AgentColumns(n, e, null, null, 0, null));
    return groups ? b.groups(g).build() : b.build();
  }

  static LearnedPolicy ova(DeferralTable train) {
    return new DeferralTrainer(
            Surrogates.oneVsAll(),
            DeferralTrainer.mlp(List.of(8), org.defer4j.core.model.Activation.TANH, 1e-4),
            TrainOptions.defaults().withAlgorithm(Algorithm.LBFGS).withEpochs(100),
            false)
        .fit(TASK, train, null, TrainingListener.NONE);
  }

  @Test
  void demographicParityAndBudgetMetOnValidationAndTheRuleRoundTrips() {
    SplittableRandom rng = new SplittableRandom(3);
    DeferralTable train = sample(3000, rng.split(), true);
    DeferralTable val = sample(2000, rng.split(), true);
    LearnedPolicy p = ova(train);
    FairPostProcessor.Result r = new FairPostProcessor("dp", 0.02, 0.3).tune(p, val);
    // The unconstrained policy is unfair by construction (a gap far above the tolerance) ...
    assertThat(r.unconstrained().gap()).isGreaterThan(0.1);
    // ... the tuned rule meets both constraints on the table it was tuned on, exactly.
    assertThat(r.validation().gap()).isLessThanOrEqualTo(0.02);
    assertThat(r.validation().deferralRate()).isLessThanOrEqualTo(0.3);
    // The tuner's bookkeeping agrees with the policy's own decisions under the rule.
    LearnedPolicy tuned = p.withRule(r.rule());
    FairPostProcessor.Outcome measured = FairPostProcessor.measure(tuned, val, "dp");
    assertThat(measured.gap())
        .isCloseTo(r.validation().gap(), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(measured.accuracy())
        .isCloseTo(r.validation().accuracy(), org.assertj.core.data.Offset.offset(1e-12));
    // The saved spelling parses back to the same rule and the same decisions.
    FairDeferralRule back = (FairDeferralRule) DecisionRules.parse(r.rule().spec());
    assertThat(back).isEqualTo(r.rule());
    Decisions d1 = tuned.decide(val);
    Decisions d2 = p.withRule(back).decide(val);
    assertThat(d2.agents()).isEqualTo(d1.agents());
  }

  @Test
  void withAConfidenceLevelTheGapsUpperBoundMeetsTheToleranceAndTheSeIsAgrestiCaffo() {
    SplittableRandom rng = new SplittableRandom(5);
    DeferralTable train = sample(3000, rng.split(), true);
    DeferralTable val = sample(2000, rng.split(), true);
    LearnedPolicy p = ova(train);
    FairPostProcessor.Result plain = new FairPostProcessor("dp", 0.06, 1).tune(p, val);
    FairPostProcessor.Result safe = new FairPostProcessor("dp", 0.06, 1, 0.9).tune(p, val);
    // z_0.9 = 1.2815516 (normal table): the tuned rule's bound gap + z se is within tolerance.
    FairPostProcessor.Outcome o = safe.validation();
    assertThat(o.gap() + 1.2815516 * o.gapSe()).isLessThanOrEqualTo(0.06 + 1e-9);
    assertThat(plain.validation().gap()).isLessThanOrEqualTo(0.06);
    // The bound is stricter than the estimate, so the accuracy can only fall (same grid).
    assertThat(o.accuracy()).isLessThanOrEqualTo(plain.validation().accuracy() + 1e-12);
    // The se recomputed by hand from the decisions under the rule (Agresti–Caffo: +1 success and
    // +1 failure per group).
    Decisions d = p.withRule(safe.rule()).decide(val);
    double[] x = new double[2];
    double[] m = new double[2];
    for (int i = 0; i < val.rows(); i++) {
      int g = val.group(i).equals("a") ? 0 : 1;
      m[g]++;
      x[g] += d.agent(i) != 0 ? 1 : 0;
    }
    double a0 = (x[0] + 1) / (m[0] + 2);
    double a1 = (x[1] + 1) / (m[1] + 2);
    double se = Math.sqrt(a0 * (1 - a0) / (m[0] + 2) + a1 * (1 - a1) / (m[1] + 2));
    assertThat(o.gapSe()).isCloseTo(se, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(o.gap())
        .isCloseTo(Math.abs(x[0] / m[0] - x[1] / m[1]), org.assertj.core.data.Offset.offset(1e-12));
    // A bound no rule can meet is refused with the smallest bound found.
    assertThatThrownBy(() -> new FairPostProcessor("dp", 0.001, 1, 0.99).tune(p, val))
        .hasMessageContaining("upper confidence bound");
  }

  @Test
  void equalOpportunityMetOnValidation() {
    SplittableRandom rng = new SplittableRandom(4);
    DeferralTable train = sample(3000, rng.split(), true);
    DeferralTable val = sample(2000, rng.split(), true);
    FairPostProcessor.Result r = new FairPostProcessor("eo", 0.03, 1).tune(ova(train), val);
    assertThat(r.validation().gap()).isLessThanOrEqualTo(0.03);
  }

  @Test
  void aGroupRuleNeedsTheGroupColumn() {
    SplittableRandom rng = new SplittableRandom(5);
    LearnedPolicy p =
        ova(sample(500, rng.split(), true))
            .withRule(new FairDeferralRule("dp", 0.1, 0.01, "a", 2, "b", -2));
    DeferralTable noGroups = sample(10, rng.split(), false);
    assertThatThrownBy(() -> p.decide(noGroups))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group");
  }
}

package org.defer4j.core.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.TrainOptions;
import org.junit.jupiter.api.Test;

/**
 * Surrogates that are <em>not</em> Bayes-consistent under the argmax rule, trained on data from the
 * problems where the theory says they fail. Expected values are hand derivations (repeated in
 * docs/results.md, section "One-stage surrogates on synthetic data").
 */
class CounterexampleTest {
  private static final TrainOptions FAST =
      new TrainOptions(Algorithm.ADAM, 0.1, 1500, 1 << 20, 0, 0);

  /**
   * Mixture of experts (Madras et al. 2018; Mozannar &amp; Sontag 2020 show it inconsistent): its
   * conditional risk π_0·E[−log p_y] + π_⊥·E[c] is minimised by deferring iff E[c] &lt; H(η), the
   * entropy in nats, not iff E[c] &lt; 1 − max η. Cell 0: η = (0.8, 0.2), expert right 60%: H =
   * 0.500 &gt; 0.4 &gt; 0.2, so moe defers where the Bayes rule predicts; excess 0.2 / 2 cells =
   * 0.1. Cross-entropy on the same data reaches the Bayes rule.
   */
  @Test
  void mixtureOfExpertsDefersWhereTheBayesRulePredicts() {
    DiscreteDeferralProblem p = SyntheticCounterexamples.mixtureOfExperts();
    assertThat(p.bayesDecision(0)).isZero();
    var moe = ConsistencyExperiment.run(Surrogates.mixtureOfExperts(), p, 20_000, 1, 0.0, FAST);
    assertThat(moe.decisions()[0]).isEqualTo(2);
    assertThat(moe.excessRisk()).isCloseTo(0.1, within(1e-9));
    var ce = ConsistencyExperiment.run(Surrogates.crossEntropy(), p, 20_000, 1, 0.0, FAST);
    assertThat(ce.excessRisk()).isCloseTo(0.0, within(1e-9));
  }

  /**
   * L_RS and Ψ = −log with one expert (the surrogate module's counterexample): η = (½, ½), expert
   * right 60% whatever the class. The Bayes rule defers (0.4 &lt; 0.5); the conditional-risk
   * minimiser has p_⊥ = 0.2 &lt; p_y = 0.4 and predicts (excess 0.1 in that cell, 0.05 over the two
   * cells). Ψ = MAE (1 − u) is linear in p and defers.
   */
  @Test
  void realizableSurrogatePredictsWhereTheBayesRuleDefers() {
    DiscreteDeferralProblem p = SyntheticCounterexamples.realizable();
    assertThat(p.bayesDecision(0)).isEqualTo(2);
    for (String name : new String[] {"realizable", "psi:log"}) {
      var o = ConsistencyExperiment.run(Surrogates.byName(name), p, 20_000, 1, 0.0, FAST);
      assertThat(o.decisions()[0]).as(name).isLessThan(2);
      assertThat(o.excessRisk()).as(name).isCloseTo(0.05, within(1e-9));
    }
    var mae = ConsistencyExperiment.run(Surrogates.byName("psi:mae"), p, 20_000, 1, 0.0, FAST);
    assertThat(mae.excessRisk()).isCloseTo(0.0, within(1e-9));
  }
}

package org.defer4j.core.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.TrainOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bayes-consistency on data (survey §5.1, Definition 1): trained on more samples of a problem whose
 * Bayes rule a linear scorer over one-hot cells can represent, a consistent surrogate's routing
 * comes closer to the Bayes rule. The excess risks and their bounds come from the full runs in
 * docs/results.md (defer4j-bench SyntheticEvidence), which give mean excess risks of 0.0065–0.0110
 * at n = 1000 and at most 0.0020 at n = 10⁴ on the 20-cell problems used there; this smaller
 * version (10 cells, two seeds, half the Adam epochs) asserts a bound of 0.01 at n = 2·10⁴.
 */
@Tag("slow")
class SurrogateConsistencyTest {
  private static final TrainOptions FAST =
      new TrainOptions(Algorithm.ADAM, 0.1, 1500, 1 << 20, 0, 0);

  @ParameterizedTest(name = "{0}, {1} expert(s)")
  @CsvSource({
    "ce, 1",
    "ova, 1",
    "asym-softmax, 1",
    "psi:mae, 1",
    "cost-sensitive, 1",
    "decoupled, 1",
    "lsf, 1",
    "ce-rejector, 1",
    "ce, 3",
    "ova, 3",
    "psi:mae, 3",
    "decoupled, 3"
  })
  void excessRiskFallsWithSampleSize(String name, int experts) {
    DiscreteDeferralProblem problem =
        DiscreteDeferralProblem.random(
            10, 3, experts, 1.0, 0.3, 0.95, 0.0, new SplittableRandom(7));
    Surrogate s = Surrogates.byName(name);
    double small = 0;
    double large = 0;
    for (long seed = 0; seed < 2; seed++) {
      small += ConsistencyExperiment.run(s, problem, 1_000, seed, 0.0, FAST).excessRisk();
      large += ConsistencyExperiment.run(s, problem, 20_000, seed, 0.0, FAST).excessRisk();
    }
    assertThat(large / 2).isGreaterThanOrEqualTo(-1e-12).isLessThan(0.01);
    assertThat(large).isLessThanOrEqualTo(small);
  }

  /**
   * The same property on class-dependent experts (a confusion matrix per expert and cell, {@link
   * DiscreteDeferralProblem#randomClassDependent}): docs/results.md, "Consistency with
   * class-dependent and deterministic experts", measured at most 0.0004 at n = 10⁵ on 20 cells for
   * these surrogates; here 10 cells, two seeds, bound 0.01 at n = 2·10⁴.
   */
  @ParameterizedTest(name = "{0}, {1} expert(s), class-dependent")
  @CsvSource({"ce, 1", "psi:mae, 1", "ce-rejector, 1", "ce-rejector, 3"})
  void excessRiskFallsWithClassDependentExperts(String name, int experts) {
    DiscreteDeferralProblem problem =
        DiscreteDeferralProblem.randomClassDependent(
            10, 3, experts, 1.0, 0.3, 0.95, 0.0, new SplittableRandom(7));
    Surrogate s = Surrogates.byName(name);
    double small = 0;
    double large = 0;
    for (long seed = 0; seed < 2; seed++) {
      small += ConsistencyExperiment.run(s, problem, 1_000, seed, 0.0, FAST).excessRisk();
      large += ConsistencyExperiment.run(s, problem, 20_000, seed, 0.0, FAST).excessRisk();
    }
    assertThat(large / 2).isGreaterThanOrEqualTo(-1e-12).isLessThan(0.01);
    assertThat(large).isLessThanOrEqualTo(small);
  }
}

package org.defer4j.core.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.LinearDeferralProblem;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * The feature pipeline: inputs matched by name whatever the column order, clear refusals, and the
 * standardisation's statistics checked against hand-computed means and standard deviations.
 */
class FeaturePipelineTest {

  /**
   * The same table with its feature columns in the order {@code perm} (new column j = old perm[j]).
   */
  static DeferralTable permuted(DeferralTable t, int[] perm) {
    int n = t.rows();
    int d = t.featureCount();
    List<String> names = new ArrayList<>();
    for (int j : perm) {
      names.add(t.featureNames().get(j));
    }
    double[] block = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        block[i * d + j] = t.feature(i, perm[j]);
      }
    }
    return t.withFeatures(names, block);
  }

  /** A 4-row table with features a, b, c: a = 1, 3, 5, 7; b = 10 (constant); c = −1, 0, 0, 1. */
  static DeferralTable small() {
    return DeferralTable.builder("small.csv", 4)
        .features(List.of("a", "b", "c"), new double[] {1, 10, -1, 3, 10, 0, 5, 10, 0, 7, 10, 1})
        .build();
  }

  /**
   * Population statistics, by hand: a has mean 4 and variance (9 + 1 + 1 + 9) / 4 = 5, so σ = √5; b
   * is constant, so σ counts as 0 and the scale is 1; c has mean 0 and variance 2 / 4, σ = √0.5.
   */
  @Test
  void standardizationFitsHandComputedStatistics() {
    Standardization s = Standardization.fit(small().featureBlock(), 3);
    assertThat(s.dimension()).isEqualTo(3);
    assertThat(s.mean()).containsExactly(new double[] {4, 10, 0}, within(1e-15));
    assertThat(s.scale())
        .containsExactly(new double[] {Math.sqrt(5), 1, Math.sqrt(0.5)}, within(1e-15));
    double[] block = {1, 10, -1, 7, 12, 1};
    s.applyInPlace(block);
    assertThat(block)
        .containsExactly(
            new double[] {
              -3 / Math.sqrt(5), 0, -1 / Math.sqrt(0.5), 3 / Math.sqrt(5), 2, 1 / Math.sqrt(0.5)
            },
            within(1e-15));
    // A standardised training block has mean 0 and population sd 1 in every non-constant column.
    FeaturePipeline p =
        FeaturePipeline.of(List.of("a", "b", "c"), List.of()).standardizedOn(small());
    double[] z = p.transform(small());
    for (int j : new int[] {0, 2}) {
      double m = 0;
      double v = 0;
      for (int i = 0; i < 4; i++) {
        m += z[i * 3 + j] / 4;
      }
      for (int i = 0; i < 4; i++) {
        v += (z[i * 3 + j] - m) * (z[i * 3 + j] - m) / 4;
      }
      assertThat(m).isCloseTo(0, within(1e-15));
      assertThat(v).isCloseTo(1, within(1e-14));
    }
    assertThat(z[1]).isZero();
  }

  @Test
  void standardizationValidatesItsStatistics() {
    assertThatThrownBy(() -> Standardization.fit(new double[0], 2)).hasMessageContaining("0 rows");
    assertThatThrownBy(() -> new Standardization(new double[] {0}, new double[] {0}))
        .hasMessageContaining("must be finite and > 0");
    assertThatThrownBy(() -> new Standardization(new double[] {0, 1}, new double[] {1}))
        .hasMessageContaining("scales");
    assertThatThrownBy(() -> new Standardization(new double[] {Double.NaN}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    double[] mean = {1};
    Standardization s = new Standardization(mean, new double[] {2});
    mean[0] = 5;
    assertThat(s.mean()).containsExactly(1);
    assertThat(s).isEqualTo(new Standardization(new double[] {1}, new double[] {2}));
    assertThatThrownBy(
            () ->
                FeaturePipeline.of(List.of("a", "b"), List.of())
                    .withStandardization(new Standardization(new double[1], new double[] {1})))
        .hasMessageContaining("the standardisation has 1 inputs, the pipeline 2");
  }

  @Test
  void columnsAreMatchedByNameInAnyOrder() {
    FeaturePipeline p =
        FeaturePipeline.of(List.of("a", "b", "c"), List.of()).standardizedOn(small());
    double[] expected = p.transform(small());
    for (int[] perm : new int[][] {{2, 0, 1}, {1, 2, 0}, {2, 1, 0}}) {
      assertThat(p.transform(permuted(small(), perm))).containsExactly(expected);
    }
    // A table with an extra column the pipeline does not read gives the same inputs.
    DeferralTable extra =
        small()
            .withFeatures(
                List.of("z", "c", "a", "b"),
                new double[] {9, -1, 1, 10, 9, 0, 3, 10, 9, 0, 5, 10, 9, 1, 7, 10});
    assertThat(p.transform(extra)).containsExactly(expected);
    assertThat(p.names()).containsExactly("a", "b", "c");
    assertThat(p.dimension()).isEqualTo(3);
    assertThat(p.readsColumn("b")).isTrue();
    assertThat(p.readsColumn("z")).isFalse();
    assertThatThrownBy(() -> FeaturePipeline.of(List.of("a", "a"), List.of()))
        .hasMessageContaining("'a' is listed twice");
  }

  @Test
  void aMissingFeatureIsRefusedNamingTheColumn() {
    FeaturePipeline p = FeaturePipeline.of(List.of("a", "b", "c"), List.of());
    DeferralTable noB =
        DeferralTable.builder("cases.csv", 1)
            .features(List.of("a", "c"), new double[] {1, 2})
            .build();
    assertThatThrownBy(() -> p.transform(noB))
        .hasMessageContaining("cases.csv")
        .hasMessageContaining("missing feature column x.b");
    DeferralTable none = DeferralTable.builder("cases.csv", 1).build();
    assertThatThrownBy(() -> p.transform(none))
        .hasMessageContaining("missing feature columns x.a, x.b, x.c");
    // One case by name: the message names the key.
    assertThatThrownBy(() -> p.transform(Map.of("a", 1.0, "c", 2.0)))
        .hasMessageContaining("missing feature 'b'");
    assertThatThrownBy(() -> p.transform(Map.of("a", 1.0, "b", "high", "c", 2.0)))
        .hasMessageContaining("feature 'b' must be a number, got high");
    assertThatThrownBy(() -> p.transform(Map.of("a", 1.0, "b", Double.NaN, "c", 2.0)))
        .hasMessageContaining("feature 'b' must be finite");
  }

  /** transform(Map) reads plain or x.-prefixed keys and equals the table's row exactly. */
  @Test
  void singleCaseInputsEqualTheTableRows() {
    ModelProbabilities probs = new ModelProbabilities("net", List.of("u", "v"));
    DeferralTable t =
        small()
            .withAgent(
                "net",
                new AgentColumns(
                    4, null, null, new double[] {0.9, 0.1, 0.3, 0.7, 0.5, 0.5, 0, 1}, 2, null));
    FeaturePipeline p =
        FeaturePipeline.of(List.of("c", "a", "b"), List.of(probs)).standardizedOn(t);
    assertThat(p.names()).containsExactly("c", "a", "b", "net.p.u", "net.p.v");
    double[] block = p.transform(t);
    for (int i = 0; i < 4; i++) {
      Map<String, Object> row = new HashMap<>();
      // a is integer-valued: an Integer is a number too.
      row.put("a", (int) t.feature(i, 0));
      row.put("x.b", t.feature(i, 1));
      row.put(i % 2 == 0 ? "c" : "x.c", t.feature(i, 2));
      row.put("m.net.p.u", t.agent("net").probability(i, 0));
      row.put(i % 2 == 0 ? "m.net.p.v" : "net.p.v", t.agent("net").probability(i, 1));
      row.put("id", "ignored");
      double[] one = p.transform(row);
      for (int j = 0; j < 5; j++) {
        assertThat(one[j]).as("row %d input %d", i, j).isEqualTo(block[i * 5 + j]);
      }
      double[] into = new double[5];
      p.transform(row, into);
      assertThat(into).containsExactly(one);
    }
  }

  /**
   * A policy trained on the table as generated decides the same cases identically when their
   * columns come in another order (or with an extra column it does not read).
   */
  @Test
  void policyDecisionsDoNotDependOnTheColumnOrder() {
    LinearDeferralProblem problem =
        LinearDeferralProblem.logistic(4, 2.0, 4.0, -0.5, new SplittableRandom(3));
    DeferralTable train = problem.sample(500, new SplittableRandom(4));
    DeferralTable test = problem.sample(300, new SplittableRandom(5));
    LearnedPolicy policy =
        new DeferralTrainer(
                Surrogates.oneVsAll(),
                DeferralTrainer.linear(1e-3),
                TrainOptions.defaults().withEpochs(5),
                false)
            .fit(problem.task(), train, null, TrainingListener.NONE);
    Availability all = Availability.all(policy.agents(), test.rows());
    Decisions expected = policy.decide(test, all);
    for (int[] perm : new int[][] {{3, 2, 1, 0}, {1, 3, 0, 2}}) {
      DeferralTable shuffled = permuted(test, perm);
      assertThat(shuffled.featureNames()).isNotEqualTo(test.featureNames());
      assertThat(policy.features().transform(shuffled))
          .containsExactly(policy.features().transform(test));
      Decisions got = policy.decide(shuffled, all);
      assertThat(got).isEqualTo(expected);
      assertThat(got.agents()).containsExactly(expected.agents());
    }
  }
}

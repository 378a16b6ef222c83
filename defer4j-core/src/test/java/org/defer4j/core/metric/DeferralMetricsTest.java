package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.Policies;
import org.junit.jupiter.api.Test;

/**
 * The deferral report on a hand-made 4-row matrix; every expected value is derived in comments.
 *
 * <p>Equivalent mutant (PIT, docs/quality.md), reviewed and accepted: DeferralMetrics:233, {@code
 * den > 0} → {@code den >= 0} in {@code ratio}: every denominator is a sum of weights ≥ 0 and its
 * numerator the same weights times finite values (or NaN), so a zero denominator has a zero (or
 * NaN) numerator and 0/0 is the same NaN.
 */
class DeferralMetricsTest {
  private static final double TOL = 1e-12;
  private static final double NAN = Double.NaN;
  private static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0.1), Agent.expert("b", 0.2)));

  // Errors e and fees (m 0, a 0.1, b 0.2) give costs:
  //           m        a          b          group
  // row 0:    0 (ok)   1.1 (bad)  0.2 (ok)   g1
  // row 1:    1 (bad)  0.1 (ok)   1.2 (bad)  g1
  // row 2:    1 (bad)  1.1 (bad)  0.2 (ok)   g2
  // row 3:    0 (ok)   NaN        1.2 (bad)  g2
  private static final CostMatrix COSTS =
      new CostMatrix(
          AGENTS,
          4,
          new double[] {0, 1.1, 0.2, 1, 0.1, 1.2, 1, 1.1, 0.2, 0, NAN, 1.2},
          new byte[] {1, 0, 1, 0, 1, 0, 0, 0, 1, 1, -1, 0});

  private static DeferralTable table(double[] weights) {
    DeferralTable.Builder b =
        DeferralTable.builder("test.csv", 4).groups(new String[] {"g1", "g1", "g2", "g2"});
    if (weights != null) {
      b.weights(weights);
    }
    return b.build();
  }

  @Test
  void unweightedReport() {
    // Decisions m, a, m, b -> costs 0, 0.1, 1, 1.2 (mean 2.3/4 = 0.575); correct 1, 1, 0, 0.
    DeferralReport r = DeferralMetrics.evaluate(COSTS, new int[] {0, 1, 0, 2}, table(null));
    assertThat(r.n()).isEqualTo(4);
    assertThat(r.meanCost()).isCloseTo(0.575, within(TOL));
    assertThat(r.systemAccuracy()).isCloseTo(0.5, within(TOL));
    assertThat(r.coverage()).isCloseTo(0.5, within(TOL));
    assertThat(r.allocation())
        .containsExactly(
            java.util.Map.entry("m", 0.5),
            java.util.Map.entry("a", 0.25),
            java.util.Map.entry("b", 0.25));
    // The model kept rows 0 (right) and 2 (wrong); a got row 1 (right); b got row 3 (wrong).
    assertThat(r.modelAccuracy()).isCloseTo(0.5, within(TOL));
    assertThat(r.expertAccuracy())
        .containsExactly(java.util.Map.entry("a", 1.0), java.util.Map.entry("b", 0.0));
    assertThat(r.fallbackCount()).isZero();
    // g1 = rows 0, 1: costs 0, 0.1; both right; m keeps row 0.
    GroupReport g1 = r.groups().get("g1");
    assertThat(g1.n()).isEqualTo(2);
    assertThat(g1.meanCost()).isCloseTo(0.05, within(TOL));
    assertThat(g1.systemAccuracy()).isCloseTo(1.0, within(TOL));
    assertThat(g1.coverage()).isCloseTo(0.5, within(TOL));
    // g2 = rows 2, 3: costs 1, 1.2; both wrong; m keeps row 2, b gets row 3.
    GroupReport g2 = r.groups().get("g2");
    assertThat(g2.meanCost()).isCloseTo(1.1, within(TOL));
    assertThat(g2.systemAccuracy()).isCloseTo(0.0, within(TOL));
    assertThat(g2.allocation().get("a")).isEqualTo(0.0);
    assertThat(g2.allocation().get("b")).isCloseTo(0.5, within(TOL));
    assertThat(r.groups().keySet()).containsExactly("g1", "g2");
  }

  @Test
  void weightedReport() {
    // Weights 1, 1, 2, 0 (total 4), decisions m, a, m, b:
    // cost (0 + 0.1 + 2·1 + 0·1.2)/4 = 0.525; accuracy (1 + 1 + 0 + 0)/4 = 0.5;
    // coverage (1 + 2)/4 = 0.75; allocation m 0.75, a 0.25, b 0;
    // model accuracy 1/(1 + 2) = 1/3; b holds weight 0 only -> its accuracy is 0/0 = NaN.
    DeferralReport r =
        DeferralMetrics.evaluate(COSTS, new int[] {0, 1, 0, 2}, table(new double[] {1, 1, 2, 0}));
    assertThat(r.meanCost()).isCloseTo(0.525, within(TOL));
    assertThat(r.systemAccuracy()).isCloseTo(0.5, within(TOL));
    assertThat(r.coverage()).isCloseTo(0.75, within(TOL));
    assertThat(r.allocation().get("b")).isEqualTo(0.0);
    assertThat(r.modelAccuracy()).isCloseTo(1.0 / 3, within(TOL));
    assertThat(r.expertAccuracy().get("b")).isNaN();
    // g2 (weights 2, 0): cost 1, accuracy 0, coverage 1.
    assertThat(r.groups().get("g2").meanCost()).isCloseTo(1.0, within(TOL));
    assertThat(r.groups().get("g2").coverage()).isCloseTo(1.0, within(TOL));
    // The plain functions agree with the report.
    int[] d = {0, 1, 0, 2};
    DeferralTable t = table(new double[] {1, 1, 2, 0});
    assertThat(DeferralMetrics.meanCost(COSTS, d, t)).isCloseTo(0.525, within(TOL));
    assertThat(DeferralMetrics.systemAccuracy(COSTS, d, t)).isCloseTo(0.5, within(TOL));
    assertThat(DeferralMetrics.coverage(COSTS, d, t)).isCloseTo(0.75, within(TOL));
  }

  @Test
  void nothingDeferred() {
    // All to the model: costs 0, 1, 1, 0 -> 0.5; accuracy 0.5; no expert row -> NaN accuracies.
    DeferralReport r = DeferralMetrics.evaluate(COSTS, new int[] {0, 0, 0, 0}, null);
    assertThat(r.coverage()).isEqualTo(1.0);
    assertThat(r.meanCost()).isCloseTo(0.5, within(TOL));
    assertThat(r.modelAccuracy()).isCloseTo(0.5, within(TOL));
    assertThat(r.expertAccuracy().get("a")).isNaN();
    assertThat(r.expertAccuracy().get("b")).isNaN();
    assertThat(r.groups()).isEmpty();
  }

  @Test
  void everythingDeferred() {
    // a, a, a, b: costs 1.1, 0.1, 1.1, 1.2 -> 3.5/4 = 0.875; a right on 1 of 3 rows.
    DeferralReport r = DeferralMetrics.evaluate(COSTS, new int[] {1, 1, 1, 2}, null);
    assertThat(r.coverage()).isEqualTo(0.0);
    assertThat(r.modelAccuracy()).isNaN();
    assertThat(r.meanCost()).isCloseTo(0.875, within(TOL));
    assertThat(r.expertAccuracy().get("a")).isCloseTo(1.0 / 3, within(TOL));
    assertThat(r.systemAccuracy()).isCloseTo(0.25, within(TOL));
  }

  @Test
  void emptyGroupsAreNaNNotZero() {
    // g3 was expected (e.g. present in training) but has no row here.
    DeferralReport r =
        DeferralMetrics.evaluate(
            COSTS, Decisions.of(new int[] {0, 1, 0, 2}), table(null), List.of("g3", "g2"));
    assertThat(r.groups().keySet()).containsExactly("g3", "g2", "g1");
    GroupReport g3 = r.groups().get("g3");
    assertThat(g3.n()).isZero();
    assertThat(g3.systemAccuracy()).isNaN();
    assertThat(g3.meanCost()).isNaN();
    assertThat(g3.coverage()).isNaN();
    assertThat(g3.allocation().values()).allMatch(v -> v.isNaN());
  }

  @Test
  void noRows() {
    CostMatrix empty = new CostMatrix(AGENTS, 0, new double[0], new byte[0]);
    DeferralReport r = DeferralMetrics.evaluate(empty, new int[0], null);
    assertThat(r.n()).isZero();
    assertThat(r.systemAccuracy()).isNaN();
    assertThat(r.meanCost()).isNaN();
    assertThat(r.coverage()).isNaN();
    assertThat(r.modelAccuracy()).isNaN();
    assertThat(r.allocation().values()).allMatch(v -> v.isNaN());
    assertThat(r.expertAccuracy().values()).allMatch(v -> v.isNaN());
    assertThat(r.fallbackCount()).isZero();
  }

  @Test
  void unknownCorrectnessGivesNaNAccuracyButACost() {
    CostMatrix regression =
        new CostMatrix(
            AGENTS,
            2,
            new double[] {0.5, 0.2, 0.3, 1.5, 0.4, 0.3},
            new byte[] {-1, -1, -1, -1, -1, -1});
    DeferralReport r = DeferralMetrics.evaluate(regression, new int[] {0, 1}, null);
    assertThat(r.meanCost()).isCloseTo(0.45, within(TOL));
    assertThat(r.systemAccuracy()).isNaN();
    assertThat(r.modelAccuracy()).isNaN();
  }

  @Test
  void policiesReportTheirFallbacks() {
    // expert:a on row 3 (a unavailable) falls back to the model: decisions a, a, a, m.
    // The policy may ask an agent where the matrix records its cost (a is absent on row 3).
    boolean[] mask = new boolean[12];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        mask[i * 3 + j] = COSTS.available(i, j);
      }
    }
    Decisions d = Policies.expert("a").decide(table(null), Availability.of(AGENTS, mask));
    DeferralReport r = DeferralMetrics.evaluate(COSTS, d, table(null));
    assertThat(r.fallbackCount()).isEqualTo(1);
    // costs 1.1, 0.1, 1.1, 0 -> 2.3/4.
    assertThat(r.meanCost()).isCloseTo(0.575, within(TOL));
    assertThat(r.allocation().get("m")).isCloseTo(0.25, within(TOL));
  }

  @Test
  void decisionsOnUnavailableAgentsAreErrors() {
    assertThatThrownBy(() -> DeferralMetrics.evaluate(COSTS, new int[] {0, 0, 0, 1}, null))
        .hasMessageContaining("row 3")
        .hasMessageContaining("'a'")
        .hasMessageContaining("unavailable");
    assertThatThrownBy(() -> DeferralMetrics.evaluate(COSTS, new int[] {0, 0, 0}, null))
        .hasMessageContaining("decisions has length 3, expected 4");
    assertThatThrownBy(() -> DeferralMetrics.evaluate(COSTS, new int[] {0, 0, 0, 3}, null))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(
            () ->
                DeferralMetrics.evaluate(
                    COSTS, new int[] {0, 0, 0, 0}, table(new double[] {1, -1, 1, 1})))
        .hasMessageContaining("weight of row 1");
  }

  @Test
  void reportIsImmutable() {
    DeferralReport r = DeferralMetrics.evaluate(COSTS, new int[] {0, 1, 0, 2}, table(null));
    assertThatThrownBy(() -> r.allocation().put("x", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.groups().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aTableOfAnotherLengthIsRefused() {
    DeferralTable five = DeferralTable.builder("five.csv", 5).build();
    assertThatThrownBy(() -> DeferralMetrics.meanCost(COSTS, new int[] {0, 0, 0, 0}, five))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rows of table five.csv has length 5, expected 4");
  }
}

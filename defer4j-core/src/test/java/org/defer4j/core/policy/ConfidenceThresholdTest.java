package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.DeferralMetrics;
import org.junit.jupiter.api.Test;

/** Tuning Chow's threshold on a validation table: hand-derived optimum and a grid check. */
class ConfidenceThresholdTest {
  private static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));

  /** A table whose model gives p = (conf, 1 − conf): its confidence is conf for conf ≥ 0.5. */
  private static DeferralTable table(double[] conf, double[] weights) {
    int n = conf.length;
    double[] p = new double[2 * n];
    for (int i = 0; i < n; i++) {
      p[2 * i] = conf[i];
      p[2 * i + 1] = 1 - conf[i];
    }
    DeferralTable.Builder b =
        DeferralTable.builder("validation.csv", n)
            .agent("m", new AgentColumns(n, null, null, p, 2, null));
    if (weights != null) {
      b.weights(weights);
    }
    return b.build();
  }

  /** Costs with model cost {@code m[i]}, expert a cost {@code a[i]}, expert b always 1. */
  private static CostMatrix costs(double[] m, double[] a) {
    int n = m.length;
    double[] c = new double[3 * n];
    byte[] k = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      c[3 * i] = m[i];
      c[3 * i + 1] = a[i];
      c[3 * i + 2] = 1;
      k[3 * i] = (byte) (m[i] == 0 ? 1 : 0);
      k[3 * i + 1] = (byte) (a[i] == 0 ? 1 : 0);
    }
    return new CostMatrix(AGENTS, n, c, k);
  }

  /** The policy's agents on a table, every agent available where {@code c} records a cost. */
  private static int[] decide(ConfidenceThreshold t, DeferralTable v, CostMatrix c) {
    return t.decide(v, PoliciesTest.availableWhereKnown(c)).agents();
  }

  @Test
  void tuneFindsTheHandDerivedThreshold() {
    // Confidences 0.9, 0.8, 0.55, 0.52; model costs 0, 1, 1, 1; expert a costs 1, 0, 1, 0.
    // Total cost by number of deferred (lowest-confidence) rows:
    //   none: 0+1+1+1 = 3; {0.52}: 2; {0.52, 0.55}: 2; {0.52, 0.55, 0.8}: 1; all: 2.
    // The best defers the three lowest: τ = midpoint(0.8, 0.9) = 0.85, mean cost 1/4.
    DeferralTable v = table(new double[] {0.9, 0.8, 0.55, 0.52}, null);
    CostMatrix c = costs(new double[] {0, 1, 1, 1}, new double[] {1, 0, 1, 0});
    ConfidenceThreshold t = ConfidenceThreshold.tune(v, c, null);
    assertThat(t.tau()).isCloseTo(0.85, within(1e-12));
    assertThat(decide(t, v, c)).containsExactly(0, 1, 1, 1);
    assertThat(DeferralMetrics.meanCost(c, decide(t, v, c), v)).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void tiesGoToTheSmallestThresholdAndWeightsCount() {
    // Deferring nothing or the 0.6 row costs the same (1): the smaller τ = 0 wins.
    DeferralTable v = table(new double[] {0.9, 0.6}, null);
    CostMatrix c = costs(new double[] {1, 0}, new double[] {1, 0});
    assertThat(ConfidenceThreshold.tune(v, c, null).tau()).isEqualTo(0.0);
    // Model costs 0, 1; expert 1, 0 at confidences 0.9, 0.6: deferring 0.6 helps, τ = 0.75.
    // With weight 0 on the 0.6 row nothing changes any more, so τ = 0.
    CostMatrix c2 = costs(new double[] {0, 1}, new double[] {1, 0});
    assertThat(ConfidenceThreshold.tune(v, c2, null).tau()).isCloseTo(0.75, within(1e-12));
    DeferralTable weighted = table(new double[] {0.9, 0.6}, new double[] {1, 0});
    assertThat(ConfidenceThreshold.tune(weighted, c2, null).tau()).isEqualTo(0.0);
  }

  @Test
  void tunedThresholdIsOptimalOnAFineGrid() {
    // The tuned τ's validation cost must be ≤ the cost of every τ on a 0.001 grid: the candidate
    // set covers every distinct deferral set a threshold can produce.
    SplittableRandom rng = new SplittableRandom(2024);
    for (int rep = 0; rep < 8; rep++) {
      int n = 200;
      double[] conf = new double[n];
      double[] m = new double[n];
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        conf[i] = 0.5 + 0.5 * rng.nextDouble();
        // The model is right with probability conf (calibrated); the expert 80 % of the time.
        m[i] = rng.nextDouble() < conf[i] ? 0 : 1;
        a[i] = rng.nextDouble() < 0.8 ? 0 : 1;
      }
      DeferralTable v = table(conf, null);
      CostMatrix c = costs(m, a);
      ConfidenceThreshold tuned = ConfidenceThreshold.tune(v, c, "a");
      double best = DeferralMetrics.meanCost(c, decide(tuned, v, c), v);
      for (int g = 0; g <= 1000; g++) {
        double grid =
            DeferralMetrics.meanCost(c, decide(new ConfidenceThreshold(g / 1000.0, "a"), v, c), v);
        assertThat(best).isLessThanOrEqualTo(grid + 1e-12);
      }
    }
  }

  @Test
  void tuneCountsFallbacksAndValidatesInputs() {
    // Row 1's expert a is unavailable: deferring it falls back to the model, so deferring it can
    // never pay; only row 0 is worth deferring (model 1, a 0) -> τ between 0.6 and 0.8, and
    // deferring both rows ties with it (the larger τ = 1 loses the tie).
    double nan = Double.NaN;
    CostMatrix c =
        new CostMatrix(
            AGENTS, 2, new double[] {1, 0, 1, 1, nan, 1}, new byte[] {0, 1, 0, 0, -1, 0});
    DeferralTable v = table(new double[] {0.6, 0.8}, null);
    assertThat(ConfidenceThreshold.tune(v, c, null).tau()).isCloseTo(0.7, within(1e-12));
    assertThatThrownBy(() -> ConfidenceThreshold.tune(v, c, "zed"))
        .hasMessageContaining("'zed' is not an agent");
    CostMatrix noExperts =
        new CostMatrix(
            AgentSet.of(Agent.model("m"), List.of()), 2, new double[] {0, 1}, new byte[] {1, 0});
    assertThatThrownBy(() -> ConfidenceThreshold.tune(v, noExperts, null))
        .hasMessageContaining("needs an expert");
    assertThatThrownBy(() -> ConfidenceThreshold.tune(table(new double[] {0.5}, null), c, null))
        .hasMessageContaining("rows of table");
  }
}

package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * The baseline policies on a hand-made 4-row availability (agents m, a, b: available where the cost
 * matrix in the comments records a cost) whose expected decisions are read off the matrix, plus
 * seeded checks of random deferral. The oracle, which reads the costs, is tested in {@code
 * metric.OracleTest}.
 */
class PoliciesTest {
  static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));
  static final double NAN = Double.NaN;

  //           m    a    b
  // row 0:    0    1    NaN
  // row 1:    1    0    0.5
  // row 2:    NaN  0    1
  // row 3:    1    NaN  0
  static final CostMatrix COSTS =
      new CostMatrix(
          AGENTS,
          4,
          new double[] {0, 1, NAN, 1, 0, 0.5, NAN, 0, 1, 1, NAN, 0},
          new byte[] {1, 0, -1, 0, 1, 0, -1, 1, 0, 0, -1, 1});

  /** Available where {@link #COSTS} records a cost. */
  static final Availability AVAILABLE = availableWhereKnown(COSTS);

  static final TaskSpec TASK =
      new TaskSpec(
          TaskKind.CLASSIFICATION,
          List.of("x", "y"),
          "m",
          List.of(Agent.expert("a", 0), Agent.expert("b", 0)),
          null,
          null);

  /** The availability a cost matrix implies: an agent may be asked where its cost is known. */
  static Availability availableWhereKnown(CostMatrix costs) {
    int a = costs.agentCount();
    boolean[] mask = new boolean[costs.rows() * a];
    for (int i = 0; i < costs.rows(); i++) {
      for (int j = 0; j < a; j++) {
        mask[i * a + j] = costs.available(i, j);
      }
    }
    return Availability.of(costs.agents(), mask);
  }

  /** A cases table of n rows with nothing in it (the baselines read no features). */
  static DeferralTable cases(int n) {
    return DeferralTable.builder("cases.csv", n).build();
  }

  /** The chosen agents of a policy on the empty cases table matching {@code availability}. */
  static int[] decide(DeferralPolicy p, Availability availability) {
    return p.decide(cases(availability.rows()), availability).agents();
  }

  @Test
  void modelPolicyFallsBackToFirstAvailableAgent() {
    Decisions d = Policies.model().decide(cases(4), AVAILABLE);
    // Row 2 has no model: the first available agent in index order is a (1).
    assertThat(d.agents()).containsExactly(0, 0, 1, 0);
    assertThat(d.fallbacks()).containsExactly(false, false, true, false);
    assertThat(d.fallbackCount()).isEqualTo(1);
    assertThat(decide(Policies.model(), AVAILABLE)).containsExactly(0, 0, 1, 0);
    assertThat(Policies.model().name()).isEqualTo("model");
    // A baseline has no scores; the decisions record the availability they were made under.
    assertThat(d.hasScores()).isFalse();
    assertThat(d.availability()).isSameAs(AVAILABLE);
    assertThat(d.get(2).reason("m")).isEqualTo(Decision.Reason.UNAVAILABLE);
    assertThat(d.get(2).fallback()).isTrue();
  }

  @Test
  void expertPoliciesFallBackWhereTheExpertIsAbsent() {
    // a is missing on row 3 -> the model (0) is the first available agent there.
    Decisions a = Policies.expert("a").decide(cases(4), AVAILABLE);
    assertThat(a.agents()).containsExactly(1, 1, 1, 0);
    assertThat(a.fallbackCount()).isEqualTo(1);
    // b is missing on row 0 -> the model.
    Decisions b = Policies.expert("b").decide(cases(4), AVAILABLE);
    assertThat(b.agents()).containsExactly(0, 2, 2, 2);
    assertThat(b.fellBack(0)).isTrue();
    assertThat(Policies.expert("b").name()).isEqualTo("expert:b");
  }

  @Test
  void expertPolicyRejectsTheModelAndUnknownNames() {
    assertThatThrownBy(() -> decide(Policies.expert("m"), AVAILABLE))
        .hasMessageContaining("is the model")
        .hasMessageContaining("[a, b]");
    assertThatThrownBy(() -> decide(Policies.expert("zed"), AVAILABLE))
        .hasMessageContaining("'zed' is not an agent");
  }

  @Test
  void baselinesNeedAsManyCasesAsAvailabilityRows() {
    assertThatThrownBy(() -> Policies.model().decide(cases(3), AVAILABLE))
        .hasMessageContaining("cases.csv");
  }

  @Test
  void policiesNeverChooseAnUnavailableAgent() {
    for (DeferralPolicy p :
        List.of(
            Policies.model(),
            Policies.expert("a"),
            Policies.expert("b"),
            Policies.random(0.5, null, 3),
            Policies.random(1.0, "b", 4))) {
      int[] r = decide(p, AVAILABLE);
      for (int i = 0; i < r.length; i++) {
        assertThat(AVAILABLE.available(i, r[i])).as("%s row %d", p.name(), i).isTrue();
      }
    }
  }

  @Test
  void rowWithNoAvailableAgentIsAnError() {
    Availability none = Availability.of(AGENTS, new boolean[3]);
    // Rows are numbered from 1 in messages.
    assertThatThrownBy(() -> decide(Policies.model(), none))
        .hasMessageContaining("row 1: no agent is available");
  }

  /** n rows where every agent is available, with random costs. */
  static CostMatrix full(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] c = new double[n * 3];
    byte[] k = new byte[n * 3];
    for (int i = 0; i < c.length; i++) {
      k[i] = (byte) (rng.nextBoolean() ? 1 : 0);
      c[i] = 1 - k[i];
    }
    return new CostMatrix(AGENTS, n, c, k);
  }

  /** Every agent available on every row of {@code c}. */
  static Availability all(CostMatrix c) {
    return Availability.all(c.agents(), c.rows());
  }

  @Test
  void randomDefersExactlyTheShareWithASeed() {
    CostMatrix c = full(1000, 1);
    int[] r1 = decide(Policies.random(0.3, null, 42), all(c));
    int[] r2 = decide(Policies.random(0.3, null, 42), all(c));
    int[] r3 = decide(Policies.random(0.3, null, 43), all(c));
    // round(0.3 · 1000) = 300 deferred rows, identical for the same seed.
    assertThat(Arrays.stream(r1).filter(j -> j != 0).count()).isEqualTo(300);
    assertThat(r1).isEqualTo(r2);
    assertThat(r1).isNotEqualTo(r3);
    // Random expert: a and b each ~ Binomial(300, 1/2) = 150 ± 8.7 (sd); allow 5 sd.
    long toA = Arrays.stream(r1).filter(j -> j == 1).count();
    assertThat(toA).isBetween(107L, 193L);
    // A named expert gets every deferred row.
    int[] named = decide(Policies.random(0.3, "b", 42), all(c));
    assertThat(Arrays.stream(named).filter(j -> j == 2).count()).isEqualTo(300);
    assertThat(Arrays.stream(named).filter(j -> j == 1).count()).isZero();
    // Same seed, same deferred rows whatever the target.
    for (int i = 0; i < 1000; i++) {
      assertThat(named[i] != 0).isEqualTo(r1[i] != 0);
    }
  }

  @Test
  void randomShareEndpointsAndValidation() {
    CostMatrix c = full(10, 2);
    assertThat(decide(Policies.random(0.0, null, 1), all(c))).containsOnly(0);
    assertThat(decide(Policies.random(1.0, null, 1), all(c))).doesNotContain(0);
    assertThatThrownBy(() -> Policies.random(1.5, null, 1))
        .hasMessageContaining("must be a probability");
  }

  @Test
  void randomPicksOnlyAvailableExperts() {
    // Row 0 has only a as an expert, row 3 only b: with share 1 they must go there.
    for (long seed = 0; seed < 20; seed++) {
      int[] r = decide(Policies.random(1.0, null, seed), AVAILABLE);
      assertThat(r[0]).isEqualTo(1);
      assertThat(r[3]).isEqualTo(2);
    }
  }

  static DeferralTable withConfidences(double... maxProbabilities) {
    int n = maxProbabilities.length;
    double[] p = new double[2 * n];
    for (int i = 0; i < n; i++) {
      p[2 * i] = maxProbabilities[i];
      p[2 * i + 1] = Double.isNaN(maxProbabilities[i]) ? NAN : 1 - maxProbabilities[i];
    }
    return DeferralTable.builder("v.csv", n)
        .agent("m", new AgentColumns(n, null, null, p, 2, null))
        .build();
  }

  @Test
  void confidenceThresholdDefersBelowTau() {
    CostMatrix c = full(4, 3);
    // max p = 0.9, 0.5, 0.6, unrecorded; τ = 0.6 defers 0.5 (< 0.6) and the unrecorded row;
    // 0.6 is not below 0.6. Default expert: the first, a.
    DeferralTable t = withConfidences(0.9, 0.5, 0.6, NAN);
    Availability av = all(c);
    assertThat(Policies.confidenceThreshold(0.6, null).decide(t, av).agents())
        .containsExactly(0, 1, 0, 1);
    assertThat(Policies.confidenceThreshold(0.6, "b").decide(t, av).agents())
        .containsExactly(0, 2, 0, 2);
    assertThat(Policies.confidenceThreshold(0.0, null).decide(t, av).agents())
        .containsExactly(0, 0, 0, 1);
    assertThat(Policies.confidenceThreshold(1.0, null).decide(t, av).agents())
        .containsExactly(1, 1, 1, 1);
  }

  @Test
  void confidenceThresholdNeedsTheModelsProbabilities() {
    DeferralTable noProbs =
        DeferralTable.builder("v.csv", 4)
            .agent("m", new AgentColumns(4, new int[] {0, 0, 0, 0}, null, null, 0, null))
            .build();
    assertThatThrownBy(
            () -> Policies.confidenceThreshold(0.5, null).decide(noProbs, all(full(4, 1))))
        .hasMessageContaining("v.csv")
        .hasMessageContaining("m.m.p.*");
    // A cases table without any column of the model: the message names the missing agent.
    DeferralTable noModel = cases(4);
    assertThatThrownBy(
            () -> Policies.confidenceThreshold(0.5, null).decide(noModel, all(full(4, 1))))
        .hasMessageContaining("cases.csv")
        .hasMessageContaining("no column for agent 'm'");
    assertThatThrownBy(() -> Policies.confidenceThreshold(1.2, null)).hasMessageContaining("tau");
  }

  @Test
  void parseAcceptsEveryForm() {
    assertThat(Policies.parse("model", TASK).name()).isEqualTo("model");
    assertThat(Policies.parse("expert:b", TASK).name()).isEqualTo("expert:b");
    assertThat(Policies.parse("random:0.25", TASK).name()).isEqualTo("random:0.25");
    assertThat(Policies.parse("random:0.25:a", TASK).name()).isEqualTo("random:0.25:a");
    DeferralPolicy t = Policies.parse("threshold:0.7:b", TASK);
    assertThat(t).isInstanceOf(ConfidenceThreshold.class);
    assertThat(((ConfidenceThreshold) t).tau()).isEqualTo(0.7);
    assertThat(((ConfidenceThreshold) t).expert()).isEqualTo("b");
    assertThat(((ConfidenceThreshold) Policies.parse("threshold:0.7", TASK)).expert()).isNull();
    // The parsed random policy is seeded: same seed, same decisions.
    CostMatrix c = full(50, 9);
    assertThat(decide(Policies.parse("random:0.5", TASK, 7), all(c)))
        .isEqualTo(decide(Policies.random(0.5, null, 7), all(c)));
  }

  @Test
  void parseRejectsBadStringsWithClearMessages() {
    assertThatThrownBy(() -> Policies.parse("", TASK)).hasMessageContaining("empty policy");
    // The oracle reads the outcomes: it is an evaluation reference (metric.Oracle), not a policy.
    assertThatThrownBy(() -> Policies.parse(" oracle ", TASK))
        .hasMessageContaining("evaluation reference")
        .hasMessageContaining("metric.Oracle");
    assertThatThrownBy(() -> Policies.parse("best", TASK))
        .hasMessageContaining("unknown policy 'best'")
        .hasMessageContaining("expert:NAME");
    assertThatThrownBy(() -> Policies.parse("expert", TASK)).hasMessageContaining("wrong number");
    assertThatThrownBy(() -> Policies.parse("expert:", TASK)).hasMessageContaining("empty part");
    assertThatThrownBy(() -> Policies.parse("model:x", TASK)).hasMessageContaining("wrong number");
    assertThatThrownBy(() -> Policies.parse("expert:zed", TASK))
        .hasMessageContaining("'zed' is not an expert")
        .hasMessageContaining("[a, b]");
    assertThatThrownBy(() -> Policies.parse("expert:m", TASK))
        .hasMessageContaining("'m' is not an expert");
    assertThatThrownBy(() -> Policies.parse("random:lots", TASK))
        .hasMessageContaining("SHARE 'lots' is not a number");
    assertThatThrownBy(() -> Policies.parse("random:1.5", TASK))
        .hasMessageContaining("SHARE must be in [0, 1]");
    assertThatThrownBy(() -> Policies.parse("random:NaN", TASK))
        .hasMessageContaining("must be finite");
    assertThatThrownBy(() -> Policies.parse("threshold:-0.1", TASK))
        .hasMessageContaining("TAU must be in [0, 1]");
    assertThatThrownBy(() -> Policies.parse("threshold:0.5:a:b", TASK))
        .hasMessageContaining("wrong number");
    TaskSpec oneStage = TaskSpec.classification(List.of("x", "y"), null, TASK.experts());
    assertThatThrownBy(() -> Policies.parse("threshold:0.5", oneStage))
        .hasMessageContaining("needs a frozen model");
    TaskSpec noExperts = TaskSpec.classification(List.of("x", "y"), "m", List.of());
    assertThatThrownBy(() -> Policies.parse("random:0.5", noExperts))
        .hasMessageContaining("no expert");
  }
}

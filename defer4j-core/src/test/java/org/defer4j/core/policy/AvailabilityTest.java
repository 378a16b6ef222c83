package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/** Availability masks on hand-made 3-row tables (agents m, a, b); expectations in comments. */
class AvailabilityTest {
  private static final List<Agent> EXPERTS = List.of(Agent.expert("a", 0), Agent.expert("b", 0));
  private static final AgentSet AGENTS = AgentSet.of(Agent.model("m"), EXPERTS);
  private static final boolean T = true;
  private static final boolean F = false;

  /** The mask as rows of flags, for readable assertions. */
  private static boolean[][] rows(Availability av) {
    boolean[][] out = new boolean[av.rows()][av.agents().size()];
    for (int i = 0; i < av.rows(); i++) {
      for (int j = 0; j < av.agents().size(); j++) {
        out[i][j] = av.available(i, j);
      }
    }
    return out;
  }

  @Test
  void allAndOf() {
    Availability all = Availability.all(AGENTS, 2);
    assertThat(all.rows()).isEqualTo(2);
    assertThat(rows(all)).isDeepEqualTo(new boolean[][] {{T, T, T}, {T, T, T}});
    assertThat(Availability.all(AGENTS, 0).rows()).isZero();
    boolean[] mask = {T, F, T, F, F, F};
    Availability of = Availability.of(AGENTS, mask);
    mask[1] = true;
    // The mask is copied.
    assertThat(rows(of)).isDeepEqualTo(new boolean[][] {{T, F, T}, {F, F, F}});
    assertThat(of.any(0)).isTrue();
    assertThat(of.any(1)).isFalse();
    assertThat(of.availableNames(0)).containsExactly("m", "b");
    assertThat(of.availableNames(1)).isEmpty();
    assertThat(of.agents()).isSameAs(AGENTS);
    assertThatThrownBy(() -> Availability.of(AGENTS, new boolean[4]))
        .hasMessageContaining("length 4")
        .hasMessageContaining("not a multiple of 3 agents");
    assertThatThrownBy(() -> Availability.all(AGENTS, -1)).hasMessageContaining("rows");
  }

  @Test
  void fromTableReadsTheAvailColumnsAndLeavesOtherAgentsAvailable() {
    DeferralTable t =
        DeferralTable.builder("cases.csv", 3)
            .availability("a", new boolean[] {T, F, T})
            .availability("m", new boolean[] {F, T, T})
            .build();
    // b has no column: available everywhere.
    assertThat(rows(Availability.fromTable(AGENTS, t)))
        .isDeepEqualTo(new boolean[][] {{F, T, T}, {T, F, T}, {T, T, T}});
    DeferralTable none = DeferralTable.builder("cases.csv", 2).build();
    assertThat(rows(Availability.fromTable(AGENTS, none)))
        .isDeepEqualTo(rows(Availability.all(AGENTS, 2)));
    DeferralTable unknown =
        DeferralTable.builder("cases.csv", 1).availability("zed", new boolean[] {T}).build();
    assertThatThrownBy(() -> Availability.fromTable(AGENTS, unknown))
        .hasMessageContaining("avail.zed")
        .hasMessageContaining("'zed' is not an agent");
  }

  /**
   * In evaluation an agent the table records is available where it is observed; a learned model
   * (one-stage) is always available; the avail.* columns restrict further.
   */
  @Test
  void observedFollowsTheRecordedAnswers() {
    int u = AgentColumns.UNOBSERVED;
    DeferralTable t =
        DeferralTable.builder("eval.csv", 3)
            .labels(new int[] {0, 1, 0})
            .agent("m", new AgentColumns(3, new int[] {0, u, 1}, null, null, 0, null))
            .agent("a", new AgentColumns(3, new int[] {u, 1, 1}, null, null, 0, null))
            .agent("b", new AgentColumns(3, null, null, null, 0, new double[] {0.5, 1, Double.NaN}))
            .availability("b", new boolean[] {F, T, T})
            .build();
    TaskSpec twoStage = TaskSpec.classification(List.of("0", "1"), "m", EXPERTS);
    // m unobserved on row 1; a on row 0; b's cost is missing on row 2 and avail.b is false on row
    // 0.
    assertThat(rows(Availability.observed(twoStage, t)))
        .isDeepEqualTo(new boolean[][] {{T, F, F}, {F, T, T}, {T, T, F}});
    // One-stage: the model is learned, so its (absent) columns do not restrict it.
    TaskSpec oneStage = TaskSpec.classification(List.of("0", "1"), null, EXPERTS);
    DeferralTable noModel =
        DeferralTable.builder("eval.csv", 3)
            .labels(new int[] {0, 1, 0})
            .agent("a", t.agent("a"))
            .agent("b", t.agent("b"))
            .build();
    assertThat(rows(Availability.observed(oneStage, noModel)))
        .isDeepEqualTo(new boolean[][] {{T, F, T}, {T, T, T}, {T, T, F}});
  }

  @Test
  void restrictToAndAnd() {
    Availability av = Availability.of(AGENTS, new boolean[] {T, T, F, F, T, T});
    // Only m and b may be asked: a goes everywhere.
    assertThat(rows(av.restrictTo(List.of("b", "m"))))
        .isDeepEqualTo(new boolean[][] {{T, F, F}, {F, F, T}});
    assertThat(rows(av.restrictTo(List.of()))).isDeepEqualTo(new boolean[2][3]);
    // The original is unchanged.
    assertThat(rows(av)).isDeepEqualTo(new boolean[][] {{T, T, F}, {F, T, T}});
    assertThatThrownBy(() -> av.restrictTo(List.of("zed")))
        .hasMessageContaining("--available")
        .hasMessageContaining("'zed' is not an agent");
    Availability other = Availability.of(AGENTS, new boolean[] {F, T, T, T, F, T});
    assertThat(rows(av.and(other))).isDeepEqualTo(new boolean[][] {{F, T, F}, {F, F, T}});
    assertThat(rows(av.and(other))).isDeepEqualTo(rows(other.and(av)));
    assertThatThrownBy(() -> av.and(Availability.all(AGENTS, 3)))
        .hasMessageContaining("availability rows");
    AgentSet two = AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0)));
    assertThatThrownBy(() -> av.and(Availability.all(two, 2)))
        .hasMessageContaining("availability agents");
  }

  @Test
  void selectTakesRowsInTheGivenOrder() {
    Availability av = Availability.of(AGENTS, new boolean[] {T, F, F, F, T, F, F, F, T});
    Availability s = av.select(new int[] {2, 0, 2});
    assertThat(rows(s)).isDeepEqualTo(new boolean[][] {{F, F, T}, {T, F, F}, {F, F, T}});
    assertThat(av.select(new int[0]).rows()).isZero();
    assertThatThrownBy(() -> av.select(new int[] {3})).isInstanceOf(RuntimeException.class);
  }
}

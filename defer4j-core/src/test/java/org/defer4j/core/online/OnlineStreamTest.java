package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/** A stream's costs follow the task's cost model; availability = avail.* and recorded. */
class OnlineStreamTest {
  @Test
  void classificationCostsWithFeesAndAvailability() {
    // classes a, b; frozen model clf; alice (fee 0.2), bob (fee 0). Rows: y = a, b, a.
    TaskSpec spec =
        TaskSpec.classification(
            List.of("a", "b"),
            "clf",
            List.of(Agent.expert("alice", 0.2), Agent.expert("bob", 0.0)));
    DeferralTable t =
        DeferralTable.builder("t", 3)
            .features(List.of("x.f"), new double[] {1, 2, 3})
            .labels(new int[] {0, 1, 0})
            .agent("clf", new AgentColumns(3, new int[] {0, 0, 1}, null, null, 0, null))
            .agent("alice", new AgentColumns(3, new int[] {1, 1, 0}, null, null, 0, null))
            .agent("bob", new AgentColumns(3, new int[] {0, -1, 1}, null, null, 0, null))
            .availability("alice", new boolean[] {true, true, false})
            .build();
    OnlineStream s = OnlineStream.fromTable(t, spec);
    assertThat(s.agents()).containsExactly("clf", "alice", "bob");
    assertThat(s.fees()).containsExactly(0.0, 0.2, 0.0);
    // 0-1 error + fee; NaN where the agent cannot be asked (alice row 2: avail 0; bob row 1:
    // unseen)
    assertThat(s.costs()[0]).containsExactly(0.0, 1.2, 0.0);
    assertThat(s.costs()[1]).containsExactly(1.0, 0.2, Double.NaN);
    assertThat(s.costs()[2]).containsExactly(1.0, Double.NaN, 1.0);
    assertThat(s.available()[1]).containsExactly(true, true, false);
    assertThat(s.available()[2]).containsExactly(true, false, true);
    assertThat(s.residuals()[0]).containsExactly(Double.NaN, Double.NaN, Double.NaN);
    assertThat(s.contexts()[2]).containsExactly(3.0);
    OnlineRound r = s.round(1);
    assertThat(r.availableIndices()).containsExactly(0, 1);
    assertThat(r.fees()).containsExactly(0.0, 0.2, 0.0);
  }

  @Test
  void aStreamNeedsContext() {
    TaskSpec spec = TaskSpec.classification(List.of("a", "b"), null, List.of(Agent.expert("e", 0)));
    DeferralTable t =
        DeferralTable.builder("t.csv", 1)
            .labels(new int[] {0})
            .agent("e", new AgentColumns(1, new int[] {0}, null, null, 0, null))
            .build();
    assertThatThrownBy(() -> OnlineStream.fromTable(t, spec))
        .hasMessage("t.csv: an online stream needs context columns x.<name>");
  }
}

package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Arrival, absence, pruning and return, by name. */
class AgentRegistryTest {
  private static final List<String> NAMES = List.of("a", "b");

  @Test
  void agentsArriveLeaveAndComeBackAfresh() {
    AtomicInteger made = new AtomicInteger();
    AgentRegistry<int[]> reg = new AgentRegistry<>(5, name -> new int[] {made.incrementAndGet()});
    assertThat(reg.startRound(TestStreams.round(0, new double[] {1}, NAMES, true, false)))
        .containsExactly("a");
    assertThat(reg.contains("b")).isFalse();
    assertThat(reg.startRound(TestStreams.round(1, new double[] {1}, NAMES, true, true)))
        .containsExactly("b");
    int[] first = reg.get("b");
    reg.touch("b", 1);
    // away on rounds 2..6: kept while t − 1 ≤ 5
    for (int t = 2; t <= 6; t++) {
      assertThat(reg.startRound(TestStreams.round(t, new double[] {1}, NAMES, true, false)))
          .isEmpty();
      assertThat(reg.get("b")).isSameAs(first);
    }
    reg.startRound(TestStreams.round(7, new double[] {1}, NAMES, true, false));
    assertThat(reg.contains("b")).isFalse();
    assertThat(reg.lastTouched("b")).isEqualTo(-1);
    assertThat(reg.startRound(TestStreams.round(8, new double[] {1}, NAMES, true, true)))
        .containsExactly("b");
    assertThat(reg.get("b")).isNotSameAs(first);
    assertThat(made.get()).isEqualTo(3);
    assertThat(reg.names()).containsExactly("a", "b");
  }

  @Test
  void anAvailableAgentIsNeverPruned() {
    AgentRegistry<int[]> reg = new AgentRegistry<>(1, name -> new int[1]);
    for (int t = 0; t < 10; t++) {
      reg.startRound(TestStreams.round(t, new double[] {1}, NAMES, true, true));
    }
    assertThat(reg.names()).containsExactly("a", "b");
  }

  @Test
  void maxAbsenceMustBePositive() {
    assertThatThrownBy(() -> new AgentRegistry<>(0, n -> 1))
        .hasMessageContaining("max_absence must be ≥ 1");
  }
}

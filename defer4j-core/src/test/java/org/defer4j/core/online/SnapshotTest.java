package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.defer4j.core.policy.Decision;
import org.junit.jupiter.api.Test;

/**
 * Snapshot and restore: a router restored from another's {@link OnlineState} holds the same state
 * and, where it draws nothing at random, makes the same decisions with the same scores (to 1e-12)
 * on the rounds that follow, agents arriving and leaving included.
 */
class SnapshotTest {
  private static final OnlineStream STREAM = SyntheticStreams.arrival(1200, 700, 9);

  private static OnlineRouter make(String method) {
    Map<String, String> set = method.equals("l2d-slds") ? Map.of("init_window", "100") : Map.of();
    return OnlineMethods.create(method, OnlineSettings.of(set), STREAM, FeedbackMode.BANDIT, 3);
  }

  private static void play(OnlineRouter r, int from, int to) {
    for (int t = from; t < to; t++) {
      OnlineRound round = STREAM.round(t);
      Decision d = r.decide(round);
      int j = round.agents().indexOf(d.agent());
      r.update(
          round,
          d,
          List.of(new Outcome(d.agent(), STREAM.costs()[t][j], STREAM.residuals()[t][j])));
    }
  }

  private static void assertSameState(OnlineState a, OnlineState b) {
    assertThat(b.method()).isEqualTo(a.method());
    assertThat(b.rounds()).isEqualTo(a.rounds());
    assertThat(b.shared().keySet()).isEqualTo(a.shared().keySet());
    a.shared().forEach((k, v) -> assertThat(b.shared().get(k)).containsExactly(v));
    assertThat(b.agents().keySet()).containsExactlyElementsOf(a.agents().keySet());
    a.agents()
        .forEach(
            (agent, arrays) ->
                arrays.forEach(
                    (k, v) ->
                        assertThat(b.agents().get(agent).get(k))
                            .as(agent + "." + k)
                            .containsExactly(v)));
  }

  @Test
  void deterministicRoutersContinueExactlyAfterARestore() {
    // incumbent2 leaves at round 400 and returns at 800; the newcomer arrives at 700: the snapshot
    // at round 500 is taken with an absent agent, and both arrivals happen after the restore
    for (String method : List.of("linucb", "shared-linucb", "l2d-slds")) {
      OnlineRouter original = make(method);
      play(original, 1, 500);
      OnlineRouter restored = make(method);
      restored.restore(original.state());
      assertSameState(original.state(), restored.state());
      for (int t = 500; t < 1200; t++) {
        OnlineRound round = STREAM.round(t);
        Decision a = original.decide(round);
        Decision b = restored.decide(round);
        assertThat(b.agent()).as(method + " round " + t).isEqualTo(a.agent());
        for (String agent : round.agents()) {
          if (!Double.isNaN(a.score(agent))) {
            assertThat(b.score(agent)).isCloseTo(a.score(agent), within(1e-12));
          }
        }
        int j = round.agents().indexOf(a.agent());
        List<Outcome> o =
            List.of(new Outcome(a.agent(), STREAM.costs()[t][j], STREAM.residuals()[t][j]));
        original.update(round, a, o);
        restored.update(round, b, o);
      }
    }
  }

  @Test
  void samplingRoutersRestoreTheirLearnedState() {
    for (String method : List.of("lints", "online-l2d", "random")) {
      OnlineRouter original = make(method);
      play(original, 1, 500);
      OnlineRouter restored = make(method);
      restored.restore(original.state());
      assertSameState(original.state(), restored.state());
      play(restored, 500, 600);
      assertThat(restored.state().rounds()).isEqualTo(599);
    }
  }

  @Test
  void aSnapshotOfAnotherMethodIsRefused() {
    OnlineRouter linucb = make("linucb");
    play(linucb, 1, 10);
    assertThatThrownBy(() -> make("l2d-slds").restore(linucb.state()))
        .hasMessage("cannot restore a linucb snapshot into a l2d-slds router");
  }
}

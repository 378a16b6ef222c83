package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.policy.Decision;
import org.junit.jupiter.api.Test;

/** The replay reveals exactly what the feedback mode allows and computes the paper's summary. */
class OnlineReplayTest {
  /** Chooses the last available agent and records every round and outcome it was given. */
  private static final class Spy implements OnlineRouter {
    final List<OnlineRound> rounds = new ArrayList<>();
    final List<List<Outcome>> revealed = new ArrayList<>();
    final List<String> chosen = new ArrayList<>();

    @Override
    public String name() {
      return "spy";
    }

    @Override
    public Decision decide(OnlineRound round) {
      int[] avail = round.availableIndices();
      int j = avail[avail.length - 1];
      chosen.add(round.agents().get(j));
      rounds.add(round);
      return RoundDecisions.of(
          round, j, RoundDecisions.nan(round), RoundDecisions.nan(round), true);
    }

    @Override
    public void update(OnlineRound round, Decision decision, List<Outcome> r) {
      revealed.add(r);
    }

    @Override
    public OnlineState state() {
      return new OnlineState("spy", 0, java.util.Map.of(), java.util.Map.of());
    }

    @Override
    public void restore(OnlineState snapshot) {}
  }

  private static OnlineStream stream() {
    // 4 rounds, agents a, b, c; c unavailable on round 2
    double[][] cost = {{1, 2, 3}, {4, 5, 6}, {7, 8, Double.NaN}, {1, 0.5, 0.25}};
    boolean[][] avail = {
      {true, true, true}, {true, true, true}, {true, true, false}, {true, true, true}
    };
    double[][] resid = new double[4][3];
    double[][] ctx = new double[4][];
    for (int t = 0; t < 4; t++) {
      ctx[t] = new double[] {t};
      for (int k = 0; k < 3; k++) {
        resid[t][k] = Double.isNaN(cost[t][k]) ? Double.NaN : Math.sqrt(cost[t][k]);
      }
    }
    return new OnlineStream(
        List.of("a", "b", "c"),
        new double[3],
        List.of("x"),
        new String[] {"r0", "r1", "r2", "r3"},
        ctx,
        avail,
        cost,
        resid);
  }

  @Test
  void banditFeedbackNeverRevealsAnUnchosenOutcome() {
    Spy spy = new Spy();
    ReplayResult r = OnlineReplay.run(stream(), spy, FeedbackMode.BANDIT, 1, 0);
    assertThat(spy.rounds).hasSize(3);
    for (int i = 0; i < spy.revealed.size(); i++) {
      assertThat(spy.revealed.get(i)).hasSize(1);
      assertThat(spy.revealed.get(i).get(0).agent()).isEqualTo(spy.chosen.get(i));
    }
    assertThat(spy.chosen).containsExactly("c", "b", "c");
    // rounds 1..3: costs 6, 8, 0.25; oracle 4, 7, 0.25
    assertThat(r.meanCost()).isCloseTo((6 + 8 + 0.25) / 3, within(1e-12));
    assertThat(r.oracleMeanCost()).isCloseTo((4 + 7 + 0.25) / 3, within(1e-12));
    assertThat(r.agentAlone()).containsExactly(new double[] {4, 4.5, 3.125}, within(1e-12));
    assertThat(r.agentRounds()).containsExactly(3, 3, 2);
    assertThat(r.bestFixed()).isEqualTo("c");
    assertThat(r.cumulativeRegret()).containsExactly(new double[] {2, 3, 3}, within(1e-12));
  }

  @Test
  void fullFeedbackRevealsEveryAvailableAgentChosenFirst() {
    Spy spy = new Spy();
    OnlineReplay.run(stream(), spy, FeedbackMode.FULL, 0, 0);
    assertThat(spy.revealed.get(2)).extracting(Outcome::agent).containsExactly("b", "a");
    assertThat(spy.revealed.get(0)).extracting(Outcome::agent).containsExactly("c", "a", "b");
    assertThat(spy.revealed.get(0).get(1).cost()).isEqualTo(1.0);
  }

  @Test
  void routersNeverSeeOutcomesInTheRound() {
    // An OnlineRound has no cost or residual field at all: the contract carries context,
    // availability and fees only.
    assertThat(OnlineRound.class.getRecordComponents())
        .extracting(java.lang.reflect.RecordComponent::getName)
        .containsExactly("index", "id", "context", "agents", "available", "fees");
  }
}

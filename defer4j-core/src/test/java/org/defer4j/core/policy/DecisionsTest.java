package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.policy.Decision.Reason;
import org.junit.jupiter.api.Test;

/**
 * Batch decisions on a hand-made 3-row example (agents m, a, b), with the reasons read off the
 * scores and the availability in the comments.
 */
class DecisionsTest {
  private static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));
  private static final double NAN = Double.NaN;

  //           scores (m, a, b)    available   chosen   why
  // row 0:    0.9, 0.2, 0.5       m a b       m        argmax
  // row 1:    0.1, 0.8, 0.6       m . b       b        a unavailable: best-scored available
  // row 2:    0.4, 0.3, 0.7       m a b       m        a threshold rule kept the model
  private static final double[] SCORES = {0.9, 0.2, 0.5, 0.1, 0.8, 0.6, 0.4, 0.3, 0.7};
  private static final double[] EXPECTED = {0.1, 0.8, 0.5, NAN, 0.2, 0.4, 0.6, 0.7, 0.3};
  private static final Availability AVAILABLE =
      Availability.of(
          AGENTS, new boolean[] {true, true, true, true, false, true, true, true, true});

  private static Decisions example() {
    return Decisions.builder(AGENTS, new int[] {0, 2, 0})
        .fallback(new boolean[] {false, true, false})
        .scores(SCORES)
        .expectedCosts(EXPECTED)
        .availability(AVAILABLE)
        .predictedClass(new int[] {1, 0, 1})
        .ids(new String[] {"c1", "c2", "c3"})
        .build();
  }

  @Test
  void getGivesEachAgentItsReason() {
    Decisions d = example();
    Decision r0 = d.get(0);
    assertThat(r0.id()).isEqualTo("c1");
    assertThat(r0.kind()).isEqualTo(Decision.Kind.AGENT);
    assertThat(r0.agent()).isEqualTo("m");
    assertThat(r0.chosen()).containsExactly("m");
    assertThat(r0.agentNames()).containsExactly("m", "a", "b");
    assertThat(r0.reasons()).containsExactly(Reason.CHOSEN, Reason.LOWER_SCORE, Reason.LOWER_SCORE);
    assertThat(r0.fallback()).isFalse();
    assertThat(r0.score("b")).isEqualTo(0.5);
    assertThat(r0.expectedCost("a")).isEqualTo(0.8);
    assertThat(r0.predictedClass()).isEqualTo(1);
    assertThat(r0.predictedValue()).isNaN();
    assertThat(r0.unavailable()).isEmpty();
    // Row 1: a is unavailable (whatever its score), m scores below the chosen b.
    Decision r1 = d.get(1);
    assertThat(r1.agent()).isEqualTo("b");
    assertThat(r1.reasons()).containsExactly(Reason.LOWER_SCORE, Reason.UNAVAILABLE, Reason.CHOSEN);
    assertThat(r1.reason("a")).isEqualTo(Reason.UNAVAILABLE);
    assertThat(r1.unavailable()).containsExactly("a");
    assertThat(r1.fallback()).isTrue();
    assertThat(r1.expectedCost("m")).isNaN();
    // Row 2: b scores above the chosen model, so the rule (a threshold) kept it from b.
    Decision r2 = d.get(2);
    assertThat(r2.reasons()).containsExactly(Reason.CHOSEN, Reason.LOWER_SCORE, Reason.RULE);
    assertThat(r2.toString()).isEqualTo("c3 -> m");
    assertThatThrownBy(() -> r2.score("zed"))
        .hasMessageContaining("'zed' is not an agent of this decision");
  }

  @Test
  void columnsAndDefaults() {
    Decisions d = example();
    assertThat(d.rows()).isEqualTo(3);
    assertThat(d.agentSet()).isSameAs(AGENTS);
    assertThat(d.agents()).containsExactly(0, 2, 0);
    assertThat(d.fallbackCount()).isEqualTo(1);
    assertThat(d.hasScores()).isTrue();
    assertThat(d.score(1, 2)).isEqualTo(0.6);
    assertThat(d.hasExpectedCosts()).isTrue();
    assertThat(d.expectedCost(2, 1)).isEqualTo(0.7);
    assertThat(d.hasModelOutputs()).isTrue();
    assertThat(d.modelOutputs().predictedClasses()).containsExactly(1, 0, 1);
    assertThat(d.id(1)).isEqualTo("c2");
    // Without the optional columns: NaN scores and costs, row numbers from 1 as ids, no model.
    Decisions bare = Decisions.builder(AGENTS, new int[] {1, 0}).build();
    assertThat(bare.hasScores()).isFalse();
    assertThat(bare.score(0, 0)).isNaN();
    assertThat(bare.expectedCost(0, 0)).isNaN();
    assertThat(bare.availability()).isNull();
    assertThat(bare.id(1)).isEqualTo("2");
    assertThat(bare.get(1).id()).isEqualTo("2");
    assertThat(bare.predictedClass(0)).isEqualTo(-1);
    assertThat(bare.predictedValue(0)).isNaN();
    assertThat(bare.modelOutputs()).isNull();
    assertThat(bare.fallbacks()).containsExactly(false, false);
    // Without an agent set there are no names to give a single decision.
    assertThatThrownBy(() -> Decisions.of(new int[] {0}).get(0))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shapesAreChecked() {
    assertThatThrownBy(() -> new Decisions(new int[] {0, 1}, new boolean[1]))
        .hasMessageContaining("fallback flags");
    assertThatThrownBy(() -> Decisions.builder(AGENTS, new int[] {0}).scores(new double[2]).build())
        .hasMessageContaining("scores");
    assertThatThrownBy(() -> Decisions.builder(null, new int[] {0}).scores(new double[3]).build())
        .hasMessageContaining("need the agent set");
    assertThatThrownBy(
            () ->
                Decisions.builder(AGENTS, new int[] {0})
                    .availability(Availability.all(AGENTS, 2))
                    .build())
        .hasMessageContaining("availability rows");
    assertThatThrownBy(() -> Decisions.builder(AGENTS, new int[] {0}).ids(new String[2]).build())
        .hasMessageContaining("ids");
  }

  @Test
  void selectKeepsEveryColumnOfTheChosenRows() {
    Decisions s = example().select(new int[] {2, 1, 2});
    assertThat(s.rows()).isEqualTo(3);
    assertThat(s.agents()).containsExactly(0, 2, 0);
    assertThat(s.fallbacks()).containsExactly(false, true, false);
    assertThat(s.score(1, 1)).isEqualTo(0.8);
    assertThat(s.score(0, 2)).isEqualTo(0.7);
    assertThat(s.expectedCost(1, 0)).isNaN();
    assertThat(s.availability().available(1, 1)).isFalse();
    assertThat(s.availability().available(0, 1)).isTrue();
    assertThat(s.predictedClass(1)).isEqualTo(0);
    assertThat(s.id(0)).isEqualTo("c3");
    assertThat(s.get(1)).isEqualTo(example().get(1));
    assertThat(s.get(0).reasons()).isEqualTo(example().get(2).reasons());
    assertThat(Decisions.builder(AGENTS, new int[] {1}).build().select(new int[0]).rows()).isZero();
  }

  @Test
  void arraysAreCopiedInAndOut() {
    int[] chosen = {0, 2, 0};
    double[] scores = SCORES.clone();
    boolean[] fallback = {false, true, false};
    Decisions d =
        Decisions.builder(AGENTS, chosen)
            .fallback(fallback)
            .scores(scores)
            .availability(AVAILABLE)
            .build();
    chosen[0] = 1;
    scores[0] = -5;
    fallback[0] = true;
    assertThat(d.agent(0)).isZero();
    assertThat(d.score(0, 0)).isEqualTo(0.9);
    assertThat(d.fellBack(0)).isFalse();
    d.agents()[1] = 0;
    d.fallbacks()[1] = false;
    assertThat(d.agent(1)).isEqualTo(2);
    assertThat(d.fellBack(1)).isTrue();
    Decision one = d.get(0);
    one.scores()[0] = 42;
    assertThat(one.score("m")).isEqualTo(0.9);
    // The record copies what it is given.
    double[] s = {1, 2, 3};
    Decision made =
        new Decision(
            "x",
            Decision.Kind.AGENT,
            List.of("a"),
            List.of("m", "a", "b"),
            s,
            new double[3],
            List.of(Reason.LOWER_SCORE, Reason.CHOSEN, Reason.LOWER_SCORE),
            false,
            -1,
            NAN);
    s[0] = 9;
    assertThat(made.score("m")).isEqualTo(1);
    assertThatThrownBy(
            () ->
                new Decision(
                    "x",
                    Decision.Kind.AGENT,
                    List.of(),
                    List.of("m"),
                    new double[1],
                    new double[1],
                    List.of(Reason.CHOSEN),
                    false,
                    -1,
                    NAN))
        .hasMessageContaining("at least one chosen agent");
  }

  @Test
  void equalDecisionsAreEqual() {
    assertThat(example()).isEqualTo(example());
    assertThat(example().hashCode()).isEqualTo(example().hashCode());
    assertThat(example().get(1)).isEqualTo(example().get(1)).hasSameHashCodeAs(example().get(1));
    Decisions other =
        Decisions.builder(AGENTS, new int[] {0, 2, 0})
            .fallback(new boolean[] {false, true, false})
            .scores(SCORES)
            .build();
    assertThat(other).isNotEqualTo(example());
  }

  /**
   * The fallback rule of score-less policies: the preferred agent where it is available, else the
   * first available agent in index order, flagged.
   */
  @Test
  void resolveFallsBackToTheFirstAvailableAgent() {
    Availability av =
        Availability.of(
            AGENTS, new boolean[] {true, true, true, false, true, true, false, false, true});
    Decisions d = Decisions.resolve(new int[] {2, 0, 1}, av);
    // Row 0: b available. Row 1: m unavailable -> a. Row 2: a unavailable -> b.
    assertThat(d.agents()).containsExactly(2, 1, 2);
    assertThat(d.fallbacks()).containsExactly(false, true, true);
    assertThat(d.availability()).isSameAs(av);
    assertThat(d.agentSet()).isSameAs(AGENTS);
    assertThat(Decisions.firstAvailable(av, 2)).isEqualTo(2);
    Availability none =
        Availability.of(AGENTS, new boolean[] {true, true, true, false, false, false});
    assertThatThrownBy(() -> Decisions.resolve(new int[] {0, 0}, none))
        .hasMessageContaining("row 2: no agent is available");
    assertThatThrownBy(() -> Decisions.resolve(new int[] {0}, av))
        .hasMessageContaining("preferred agents");
    assertThatThrownBy(() -> Decisions.resolve(new int[] {0, 3, 0}, av))
        .isInstanceOf(RuntimeException.class);
  }
}

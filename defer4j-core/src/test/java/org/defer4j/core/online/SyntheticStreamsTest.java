package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Behaviour on streams with known laws ({@link SyntheticStreams}): a newly arrived best expert
 * takes the traffic, a regime switch is followed, regret per round falls. Thresholds are stated
 * against the laws: the newcomer's expected cost is 0.13 against the incumbents' 1.09 / 1.78 /
 * 2.65; after the switch the good expert costs 0.18 and the other 2.34.
 */
@Tag("slow")
class SyntheticStreamsTest {
  private static ReplayResult run(
      String method, Map<String, String> set, OnlineStream s, long seed) {
    OnlineRouter r =
        OnlineMethods.create(method, OnlineSettings.of(set), s, FeedbackMode.BANDIT, seed);
    return OnlineReplay.run(s, r, FeedbackMode.BANDIT, 1, seed);
  }

  @Test
  void aNewlyArrivedBestExpertGetsMostTrafficWithin100Rounds() {
    // 3000 rounds, the newcomer arrives at round 1000; over rounds 1100..2999 it must take more
    // than 80 % of the choices for every learning method, and the mean cost there must be below
    // 0.5 (between the newcomer's 0.13 and the best incumbent's 1.09).
    OnlineStream s = SyntheticStreams.arrival(3000, 1000, 11);
    Map<String, Map<String, String>> methods =
        Map.of(
            "linucb", Map.of(),
            "shared-linucb", Map.of(),
            "lints", Map.of(),
            "l2d-slds", Map.of("init", "none", "noise", "0.1"));
    for (Map.Entry<String, Map<String, String>> m : methods.entrySet()) {
      ReplayResult r = run(m.getKey(), m.getValue(), s, 0);
      assertThat(r.share("newcomer", 1100, 3000)).as(m.getKey()).isGreaterThan(0.8);
      assertThat(r.meanCost(1100, 3000)).as(m.getKey()).isLessThan(0.5);
    }
    ReplayResult random = run("random", Map.of(), s, 0);
    assertThat(random.share("newcomer", 1100, 3000)).isLessThan(0.35);
  }

  @Test
  void anAbruptRegimeSwitchIsFollowed() {
    // Switch at round 1000 of 2000. The discounted LinUCB (γ = 0.98) and L2D-SLDS must choose the
    // now-good expert b on more than 80 % of rounds 1200..1999 (and expert a on more than 80 % of
    // rounds before the switch).
    OnlineStream s = SyntheticStreams.regimeSwitch(2000, 1000, 5);
    ReplayResult discounted = run("linucb", Map.of("discount", "0.98"), s, 0);
    ReplayResult slds = run("l2d-slds", Map.of("init", "none", "noise", "0.1"), s, 0);
    assertThat(discounted.share("b", 1200, 2000)).isGreaterThan(0.8);
    assertThat(slds.share("b", 1200, 2000)).isGreaterThan(0.8);
    assertThat(discounted.share("a", 1, 1000)).isGreaterThan(0.8);
    assertThat(slds.share("a", 1, 1000)).isGreaterThan(0.8);
  }

  @Test
  void regretPerRoundFallsOverTime() {
    // Against the best fixed agent in hindsight (cost per round in the stream), the average regret
    // of the second half is below that of the first, for LinUCB and L2D-SLDS, on the arrival
    // stream with the newcomer present from round 1 (so the comparator is always available).
    OnlineStream s = SyntheticStreams.arrival(2000, 0, 3);
    for (String m : new String[] {"linucb", "l2d-slds"}) {
      ReplayResult r = run(m, m.equals("l2d-slds") ? Map.of("init", "none") : Map.of(), s, 0);
      double[] regret = r.cumulativeRegretToBestFixed(s.costs());
      int half = regret.length / 2;
      double first = regret[half - 1] / half;
      double second = (regret[regret.length - 1] - regret[half - 1]) / (regret.length - half);
      assertThat(second).as(m).isLessThan(first);
    }
  }
}

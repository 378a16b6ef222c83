package org.defer4j.core.conformal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.policy.Decision;
import org.defer4j.core.policy.Decisions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conformal expert ensembles (Verma et al. 2023) on synthetic deferred cases: J = 5 experts, expert
 * j right with probability π_j(x) ~ U[0.2, 1], confidences π_j plus N(0, 0.1²) noise. Expected:
 * split-conformal coverage of "every correct expert in the set" ≥ 1 − α in expectation, and E[FNR]
 * ≤ α for the risk-control variant; means over S splits within 3·sd/√S.
 */
class ConformalEnsembleTest {
  private static final int J = 5;

  private record Data(double[] pi, boolean[] correct, int[] answers) {}

  private static Data data(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] pi = new double[n * J];
    boolean[] c = new boolean[n * J];
    int[] answers = new int[n * J];
    for (int i = 0; i < n; i++) {
      int truth = rng.nextInt(3);
      for (int j = 0; j < J; j++) {
        double p = 0.2 + 0.8 * rng.nextDouble();
        c[i * J + j] = rng.nextDouble() < p;
        answers[i * J + j] = c[i * J + j] ? truth : (truth + 1 + rng.nextInt(2)) % 3;
        double noise =
            0.1
                * Math.sqrt(-2 * Math.log(1 - rng.nextDouble()))
                * Math.cos(2 * Math.PI * rng.nextDouble());
        pi[i * J + j] = Math.min(1, Math.max(0, p + noise));
      }
    }
    return new Data(pi, c, answers);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.05, 0.1, 0.2})
  void bothVariantsControlTheirRiskOverRandomSplits(double alpha) {
    int n = 1000;
    Data d = data(n, 7);
    int splits = 100;
    double[] cover = new double[splits];
    double[] fnr = new double[splits];
    double size = 0;
    SplittableRandom root = new SplittableRandom(1);
    for (int k = 0; k < splits; k++) {
      int[] order = shuffled(n, root.split());
      int[] cal = java.util.Arrays.copyOf(order, 800);
      ConformalEnsemble sc = ConformalEnsemble.calibrate(d.pi, d.correct, J, cal, alpha);
      ConformalEnsemble crc =
          ConformalEnsemble.calibrateRiskControl(d.pi, d.correct, J, cal, alpha);
      for (int t = 800; t < n; t++) {
        int i = order[t];
        int[] set = sc.set(d.pi, i);
        cover[k] += ConformalEnsemble.covers(set, d.correct, J, i) ? 1.0 / 200 : 0;
        size += set.length / 200.0 / splits;
        int[] r = crc.set(d.pi, i);
        int right = 0;
        int missed = 0;
        for (int j = 0; j < J; j++) {
          if (d.correct[i * J + j]) {
            right++;
            final int jj = j;
            missed += java.util.Arrays.stream(r).anyMatch(x -> x == jj) ? 0 : 1;
          }
        }
        fnr[k] += right == 0 ? 0 : (double) missed / right / 200;
      }
    }
    assertThat(mean(cover)).isGreaterThanOrEqualTo(1 - alpha - 3 * sd(cover) / Math.sqrt(splits));
    assertThat(mean(fnr)).isLessThanOrEqualTo(alpha + 3 * sd(fnr) / Math.sqrt(splits));
    assertThat(size).isBetween(1.0, (double) J);
  }

  /**
   * The study over splits agrees with the hand-rolled loop above: coverage ≥ 1 − α within 3 se (its
   * sd across splits over √S), mean FNR ≤ α + 0.02 (100 splits of 200 test rows: its se is below
   * 0.01), and the vote of a set that holds every correct expert beats a single expert chosen at
   * random among the set's members on these data.
   */
  @Test
  void studySummarisesBothVariants() {
    int n = 1000;
    Data d = data(n, 8);
    int[] labels = new int[n];
    boolean[] chosen = new boolean[n];
    for (int i = 0; i < n; i++) {
      // The truth is the answer of any correct expert (all correct ones agree).
      labels[i] = -1;
      for (int j = 0; j < J; j++) {
        if (d.correct[i * J + j]) {
          labels[i] = d.answers[i * J + j];
        }
      }
      chosen[i] = d.correct[i * J];
    }
    ConformalEnsembleStudy.Summary s =
        ConformalEnsembleStudy.run(
            new ConformalEnsembleStudy.Cases(d.pi, d.correct, d.answers, labels, chosen, J),
            0.1,
            0.8,
            100,
            3);
    assertThat(s.testRows()).isEqualTo(200);
    assertThat(s.coverage()).isGreaterThanOrEqualTo(0.9 - 3 * s.coverageSd() / 10);
    assertThat(s.riskControlFnr()).isLessThanOrEqualTo(0.1 + 0.02);
    assertThat(s.meanSetSize()).isBetween(1.0, (double) J);
    assertThat(s.voteAccuracy()).isGreaterThan(s.chosenAccuracy());
  }

  @Test
  void setsArePrefixesAnsweredByVote() {
    double[] pi = {0.9, 0.2, 0.6, 0.5};
    boolean[] c = {true, false, true, false};
    ConformalEnsemble e = ConformalEnsemble.calibrate(pi, c, 4, new int[] {0}, 0.5);
    // One calibration row: rank ⌈2 · 0.5⌉ = 1, q̂ = its score 0.9 + 0.6 = 1.5 (up to its lowest
    // correct expert, ranked second).
    assertThat(e.threshold()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(e.set(pi, 0)).containsExactly(0, 2);
    assertThat(ConformalEnsemble.covers(new int[] {0, 2}, c, 4, 0)).isTrue();
    assertThat(ConformalEnsemble.covers(new int[] {0}, c, 4, 0)).isFalse();
    assertThat(ConformalEnsemble.vote(new int[] {0, 2, 3}, new int[] {1, 0, 2, 2}, 4, 0))
        .isEqualTo(2);
    AgentSet agents =
        AgentSet.of(
            Agent.model("m"),
            List.of(
                Agent.expert("a", 0),
                Agent.expert("b", 0),
                Agent.expert("c", 0),
                Agent.expert("d", 0)));
    Decision base = Decisions.builder(agents, new int[] {1}).build().get(0);
    Decision set = ConformalEnsemble.decision(base, new int[] {0, 2});
    assertThat(set.kind()).isEqualTo(Decision.Kind.SET);
    assertThat(set.chosen()).containsExactly("a", "c");
  }

  private static int[] shuffled(int n, SplittableRandom rng) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = o[i];
      o[i] = o[j];
      o[j] = t;
    }
    return o;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double sd(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}

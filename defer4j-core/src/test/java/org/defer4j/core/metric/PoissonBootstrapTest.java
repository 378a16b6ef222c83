package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * The one-pass Poisson bootstrap: its draws follow Poisson(1), its intervals match the classical
 * bootstrap's width, paired differences are narrower than unpaired ones, and the result does not
 * depend on the number of threads.
 */
class PoissonBootstrapTest {

  @Test
  void weightsFollowPoissonOne() {
    // One row, 200 000 resamples: each resample's Σ m is one draw. Frequencies of 0..4 against
    // e^−1/k! with 4.5 binomial standard errors (√(p(1 − p)/R) ≤ 0.0011).
    int r = 200_000;
    double[] sums = PoissonBootstrap.sums(1, null, new double[0][], r, 11L, null, 1);
    int[] freq = new int[16];
    double mean = 0;
    for (int k = 0; k < r; k++) {
      int m = (int) sums[k];
      assertThat((double) m).isEqualTo(sums[k]);
      freq[m]++;
      mean += m;
    }
    double pk = Math.exp(-1);
    for (int k = 0; k <= 4; k++) {
      double se = Math.sqrt(pk * (1 - pk) / r);
      assertThat(freq[k] / (double) r).isCloseTo(pk, within(4.5 * se));
      pk /= k + 1;
    }
    // Mean 1 with standard error 1/√R.
    assertThat(mean / r).isCloseTo(1.0, within(4.5 / Math.sqrt(r)));
  }

  @Test
  void intervalWidthMatchesTheNormalApproximation() {
    // n = 5000 costs, each 1 with probability 0.3: the mean's standard error is √(0.21/5000) =
    // 0.00648, so a 95% interval is about 2·1.96·0.00648 = 0.0254 wide. The Poisson bootstrap
    // (R = 2000) must agree within 10%.
    int n = 5000;
    SplittableRandom rng = new SplittableRandom(2);
    AgentSet agents = AgentSet.of(Agent.model("m"), List.of());
    double[] c = new double[n];
    byte[] k = new byte[n];
    for (int i = 0; i < n; i++) {
      c[i] = rng.nextDouble() < 0.3 ? 1 : 0;
      k[i] = (byte) (1 - c[i]);
    }
    CostMatrix costs = new CostMatrix(agents, n, c, k);
    TaskSpec task = TaskSpec.classification(List.of("0", "1"), "m", List.of());
    EvaluationResult r =
        new Evaluator(new Evaluator.Options(2000, 0.95, 5L, 2))
            .evaluate(
                task,
                DeferralTable.builder("t", n).build(),
                List.of(Evaluator.Entry.baseline("model", Decisions.of(new int[n]), costs)));
    Bootstrap.Interval ci = r.policy("model").costInterval();
    double p = ci.estimate();
    double expected = 2 * 1.959964 * Math.sqrt(p * (1 - p) / n);
    assertThat(ci.upper() - ci.lower()).isCloseTo(expected, within(0.1 * expected));
    assertThat(ci.contains(p)).isTrue();
    assertThat(r.policy("model").accuracyInterval().upper())
        .isCloseTo(1 - ci.lower(), within(1e-12));
  }

  @Test
  void pairedDifferenceContainsTheExactDifferenceAndIsNarrowerThanUnpaired() {
    // Two policies that agree on 95% of 2000 rows: their costs are strongly correlated, so the
    // paired difference varies far less than the difference of independent resamples, whose
    // variance is the sum of the two means' variances.
    int n = 2000;
    SplittableRandom rng = new SplittableRandom(9);
    AgentSet agents = AgentSet.of(Agent.model("m"), List.of(Agent.expert("e", 0.1)));
    double[] c = new double[2 * n];
    byte[] k = new byte[2 * n];
    int[] a = new int[n];
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      int m = rng.nextDouble() < 0.7 ? 1 : 0;
      int e = rng.nextDouble() < 0.8 ? 1 : 0;
      c[2 * i] = 1 - m;
      c[2 * i + 1] = 1 - e + 0.1;
      k[2 * i] = (byte) m;
      k[2 * i + 1] = (byte) e;
      b[i] = rng.nextDouble() < 0.05 ? 1 : 0;
    }
    CostMatrix costs = new CostMatrix(agents, n, c, k);
    TaskSpec task =
        TaskSpec.classification(List.of("0", "1"), "m", List.of(Agent.expert("e", 0.1)));
    int resamples = 1000;
    EvaluationResult r =
        new Evaluator(new Evaluator.Options(resamples, 0.95, 1L, 2))
            .evaluate(
                task,
                DeferralTable.builder("t", n).build(),
                List.of(
                    Evaluator.Entry.baseline("model", Decisions.of(a), costs),
                    Evaluator.Entry.baseline("mostly-model", Decisions.of(b), costs)));
    String best = r.bestBaseline().orElseThrow();
    String other = best.equals("model") ? "mostly-model" : "model";
    double exact = r.policy(other).meanCost() - r.policy(best).meanCost();
    Bootstrap.Interval paired = r.policy(other).costDifference();
    assertThat(paired.estimate()).isCloseTo(exact, within(1e-15));
    assertThat(paired.contains(exact)).isTrue();
    // Unpaired: each policy resampled independently (classical bootstrap, separate draws).
    double[] ca = DeferralMetrics.rowCosts(costs, best.equals("model") ? a : b);
    double[] cb = DeferralMetrics.rowCosts(costs, best.equals("model") ? b : a);
    SplittableRandom u = new SplittableRandom(4);
    double[] diffs = new double[resamples];
    for (int t = 0; t < resamples; t++) {
      double sa = 0;
      double sb = 0;
      for (int i = 0; i < n; i++) {
        sa += ca[u.nextInt(n)];
        sb += cb[u.nextInt(n)];
      }
      diffs[t] = sb / n - sa / n;
    }
    Arrays.sort(diffs);
    double unpairedWidth = Bootstrap.quantile(diffs, 0.975) - Bootstrap.quantile(diffs, 0.025);
    assertThat(paired.upper() - paired.lower()).isLessThan(unpairedWidth / 3);
  }

  @Test
  void resultsAreIdenticalForAnyNumberOfThreads() {
    // 30 000 rows = 4 chunks of 8192 rows, weighted, with a learned policy (margin curve) and the
    // oracle: every number must be identical for 1, 2 and 3 threads.
    int n = 30_000;
    SplittableRandom rng = new SplittableRandom(8);
    TaskSpec task = SixCases.task();
    int a = 4;
    double[] cost = new double[n * a];
    byte[] correct = new byte[n * a];
    double[] scores = new double[n * a];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < a; j++) {
        int k = rng.nextInt(2);
        cost[i * a + j] = 1 - k + 0.1 * j;
        correct[i * a + j] = (byte) k;
        scores[i * a + j] = rng.nextGaussian();
      }
      weights[i] = 0.5 + rng.nextDouble();
    }
    CostMatrix c = new CostMatrix(task.agents(), n, cost, correct);
    Availability all = Availability.all(task.agents(), n);
    int[] chosen = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < a; j++) {
        if (scores[i * a + j] > scores[i * a + best]) {
          best = j;
        }
      }
      chosen[i] = best;
    }
    Decisions d = Decisions.builder(task.agents(), chosen).scores(scores).availability(all).build();
    DeferralTable t = DeferralTable.builder("t", n).weights(weights).build();
    List<Evaluator.Entry> entries =
        List.of(
            Evaluator.Entry.learned("learned", d, LearnedPolicy.margins(d), c, task),
            Evaluator.Entry.baseline("model", Decisions.of(new int[n]), c),
            Evaluator.Entry.oracle(c));
    EvaluationResult one =
        new Evaluator(new Evaluator.Options(100, 0.9, 3L, 1)).evaluate(task, t, entries);
    for (int threads : new int[] {2, 3}) {
      EvaluationResult many =
          new Evaluator(new Evaluator.Options(100, 0.9, 3L, threads)).evaluate(task, t, entries);
      for (PolicyResult p : one.policies()) {
        assertThat(many.policy(p.name())).isEqualTo(p);
      }
    }
    // A different seed gives different intervals (the seed is used).
    EvaluationResult other =
        new Evaluator(new Evaluator.Options(100, 0.9, 4L, 2)).evaluate(task, t, entries);
    assertThat(other.policy("learned").costInterval())
        .isNotEqualTo(one.policy("learned").costInterval());
    assertThat(other.policy("learned").report()).isEqualTo(one.policy("learned").report());
  }
}

package org.defer4j.core.constraint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.defer4j.core.policy.Decision;
import org.junit.jupiter.api.Test;

/** The online capacity rule never exceeds a capacity and stays near the batch optimum. */
class StreamingCapacityTest {

  private static double[] costs(int n, int a, SplittableRandom rng) {
    double[] u = new double[n * a];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < a; j++) {
        // Experts are better on average than the model, so without caps they would be overused.
        u[i * a + j] = rng.nextDouble() - (j == 0 ? 0 : 0.3);
      }
    }
    return u;
  }

  private static int[] shuffle(int n, SplittableRandom rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int k = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[k];
      order[k] = t;
    }
    return order;
  }

  @Test
  void neverExceedsAndStaysNearTheBatchOptimum() {
    SplittableRandom rng = new SplittableRandom(3);
    int a = 3;
    int period = 100;
    int[] cap = {StreamingCapacity.UNLIMITED, 15, 10};
    StreamingCapacity rule = StreamingCapacity.learn(costs(2000, a, rng), 2000, cap, period);
    StreamingCapacity hard = StreamingCapacity.hardCap(cap, period);
    assertTrue(rule.prices()[1] > 0 && rule.prices()[2] > 0, "binding caps get positive prices");
    assertEquals(0, rule.prices()[0]);
    double[] u = costs(1000, a, rng);
    double gapPriced = 0;
    double gapHard = 0;
    ReferenceAssignmentSolver solver = new ReferenceAssignmentSolver();
    for (int o = 0; o < 100; o++) {
      int[] order = shuffle(1000, rng);
      CapacityRouting.StreamRun run = CapacityRouting.stream(rule, u, a, order);
      for (int j = 1; j < a; j++) {
        assertTrue(run.maxLoad()[j] <= cap[j], "order " + o + ": agent " + j + " over capacity");
      }
      int[] batch = CapacityRouting.batchOptimum(solver, u, a, cap, period, order);
      double b = CapacityRouting.meanCost(u, a, batch);
      double s = CapacityRouting.meanCost(u, a, run.chosen());
      assertTrue(s >= b - 1e-12, "the batch optimum is a lower bound");
      gapPriced += (s - b) / 100;
      gapHard +=
          (CapacityRouting.meanCost(u, a, CapacityRouting.stream(hard, u, a, order).chosen()) - b)
              / 100;
    }
    // Measured 0.0220 (priced) vs 0.0980 (hard cap only) per case with this seed, on costs of range
    // 1; the bounds leave room for another generator stream, not for losing the prices' benefit.
    assertTrue(gapPriced < 0.03, "priced gap " + gapPriced);
    assertTrue(gapPriced < 0.5 * gapHard, "priced " + gapPriced + " vs hard cap " + gapHard);
  }

  @Test
  void passesFullAgentsOverWithTheirReason() {
    StreamingCapacity rule = StreamingCapacity.hardCap(new int[] {1, 1, 1}, 3);
    StreamingCapacity.Stream s = rule.open();
    double[] c = {2, 0, 1};
    Decision.Reason[] r = new Decision.Reason[3];
    assertEquals(1, s.decide(c, 0, r));
    assertEquals(2, s.decide(c, 0, r));
    assertEquals(Decision.Reason.OVER_CAPACITY, r[1]);
    assertEquals(Decision.Reason.LOWER_SCORE, r[0]);
    assertEquals(0, s.decide(c, 0, r));
    assertEquals(-1, s.decide(new double[] {Double.NaN, Double.NaN, Double.NaN}, 0, r));
    // A new period: the counters start again.
    assertEquals(1, s.decide(c, 0, r));
  }
}

package org.defer4j.core.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * A two-stage routing problem with a margin, whose clean and adversarial Bayes costs are known and
 * equal, for testing adversarial training of the allocation (survey §7.4, eq. 20).
 *
 * <p>x = (u, v_1..v_{d−1}): u is uniform on [−1, −g] with probability q and on [g, 1] otherwise;
 * the v are independent N(0, 1) noise the costs ignore. The frozen model {@code m} errs (cost 1)
 * iff u &lt; 0; the expert {@code e1} errs (cost 1) iff u &gt; 0 and charges the fee β &lt; 1. The
 * Bayes rule defers iff u &lt; 0, at clean cost q·β; every case lies at ℓ∞ (and ℓ2) distance ≥ g
 * from that boundary, so for a radius γ &lt; g the same rule loses nothing under attack: the
 * adversarial Bayes cost is q·β too. A learned rejector pays for attack-sensitivity on the noise
 * features and for a boundary closer than γ to the data. Each agent is right exactly where the
 * other errs, so the comp-sum surrogate's pointwise optimum is an infinite margin on both sides,
 * which a linear rejector can approach: the hypothesis class holds the robust Bayes rule.
 *
 * @param dimension d ≥ 1
 * @param gap g in (0, 1)
 * @param minority q in (0, 1), the share of cases the expert should take
 * @param fee β in [0, 1)
 */
public record MarginRoutingProblem(int dimension, double gap, double minority, double fee) {
  /** Validates. */
  public MarginRoutingProblem {
    Checks.checkPositive("dimension", dimension);
    if (!(gap > 0 && gap < 1)) {
      throw new IllegalArgumentException("gap must lie in (0, 1), got " + gap);
    }
    if (!(minority > 0 && minority < 1)) {
      throw new IllegalArgumentException("minority share must lie in (0, 1), got " + minority);
    }
    if (!(fee >= 0 && fee < 1)) {
      throw new IllegalArgumentException("fee must lie in [0, 1), got " + fee);
    }
  }

  /** The task: {@code task: costs}, model {@code m}, expert {@code e1} with fee β. */
  public TaskSpec task() {
    return new TaskSpec(
        TaskKind.COSTS,
        List.of(),
        "m",
        List.of(Agent.expert("e1", fee)),
        new CostWeights(0, 0, RegressionLoss.SMOOTH_L1, Double.POSITIVE_INFINITY),
        null);
  }

  /** The clean Bayes cost q·β, also the adversarial Bayes cost for every radius below the gap. */
  public double bayesCost() {
    return minority * fee;
  }

  /** Draws n cases. */
  public DeferralTable sample(int n, SplittableRandom rng) {
    int d = dimension;
    double[] x = new double[n * d];
    double[] model = new double[n];
    double[] expert = new double[n];
    for (int i = 0; i < n; i++) {
      boolean minor = rng.nextDouble() < minority;
      double u = gap + (1 - gap) * rng.nextDouble();
      x[i * d] = minor ? -u : u;
      for (int j = 1; j < d; j++) {
        x[i * d + j] = gaussian(rng);
      }
      model[i] = minor ? 1.0 : 0.0;
      expert[i] = minor ? 0.0 : 1.0;
    }
    List<String> names = new ArrayList<>();
    names.add("u");
    for (int j = 1; j < d; j++) {
      names.add("v" + j);
    }
    return DeferralTable.builder("margin routing", n)
        .features(names, x)
        .agent("m", new AgentColumns(n, null, null, null, 0, model))
        .agent("e1", new AgentColumns(n, null, null, null, 0, expert))
        .build();
  }

  private static double gaussian(SplittableRandom rng) {
    double u = 1.0 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

package org.defer4j.core.online;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.loss.ComplementaryCostSurrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.loss.Target;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.policy.Decision;

/**
 * The online two-stage L2D baseline (METHODS-2 E2): a score per agent, s_j = w_jᵀ [x, 1], trained
 * by one SGD step per round on the complementary-cost surrogate over the available agents E_t
 * ({@link Surrogates#complementaryCost}, ν = 1):
 *
 * <pre>
 *   L = Σ_{j ∈ E_t} τ_j (−log softmax_j(s_{E_t})),   τ_j = Σ_{i ∈ E_t, i ≠ j} μ_i,
 *   μ_i = √ρ_i + β_i  (cost transform "sqrt", the paper's code)  or  ρ_i + β_i  ("identity"),
 * </pre>
 *
 * with ρ the error part of the cost. <b>Full feedback</b> (the paper's baseline): every available
 * agent's μ is revealed, the decision is argmax_{j ∈ E_t} s_j [verified in code: {@code
 * models/l2d_baseline.py}; its score net is an MLP with 8 hidden units, here one linear head per
 * agent so that an agent can arrive with its own head — reconstruction]. <b>Bandit feedback</b>:
 * the agent is drawn from q = (1 − γ) softmax(s) + γ/|E_t| and, with only μ_I revealed, the
 * surrogate is evaluated at the importance-weighted costs μ̂_i = μ_I 1[i = I] / q_I, an unbiased
 * estimate of the full-information loss [reconstruction; γ = 0.05 by default].
 *
 * <p>An agent's head is created at zero the first round it is available; pruned after {@code
 * max_absence} rounds away.
 */
public final class OnlineL2d implements OnlineRouter {
  private final double learningRate;
  private final boolean sqrtCost;
  private final double gamma;
  private final FeedbackMode mode;
  private final int dim;
  private final AgentRegistry<double[]> registry;
  private final ComplementaryCostSurrogate surrogate = Surrogates.complementaryCost(1.0);
  private final long seed;
  private SplittableRandom random;
  private double chosenProbability = 1.0;
  private int rounds;

  /**
   * @param contextDim the context's dimension
   * @param mode which feedback the router will receive (it decides how it explores and learns)
   * @param learningRate the SGD step &gt; 0
   * @param sqrtCost whether μ = √ρ + β (else ρ + β)
   * @param gamma the uniform exploration share in bandit mode, in [0, 1]
   * @param maxAbsence rounds an unavailable agent is kept
   * @param seed the sampler's seed
   */
  public OnlineL2d(
      int contextDim,
      FeedbackMode mode,
      double learningRate,
      boolean sqrtCost,
      double gamma,
      int maxAbsence,
      long seed) {
    if (!(learningRate > 0.0) || !(gamma >= 0.0 && gamma <= 1.0)) {
      throw new IllegalArgumentException(
          "online-l2d needs lr > 0 and 0 ≤ gamma ≤ 1; got lr = "
              + learningRate
              + ", gamma = "
              + gamma);
    }
    this.learningRate = learningRate;
    this.sqrtCost = sqrtCost;
    this.gamma = gamma;
    this.mode = mode;
    this.dim = contextDim + 1;
    this.registry = new AgentRegistry<>(maxAbsence, name -> new double[dim]);
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public String name() {
    return "online-l2d";
  }

  private double score(double[] w, double[] x) {
    double s = w[dim - 1];
    for (int i = 0; i < x.length; i++) {
      s += w[i] * x[i];
    }
    return s;
  }

  @Override
  public Decision decide(OnlineRound round) {
    registry.startRound(round);
    double[] x = round.contextView();
    int[] avail = round.availableIndices();
    double[] s = new double[avail.length];
    double[] scores = RoundDecisions.nan(round);
    for (int a = 0; a < avail.length; a++) {
      s[a] = score(registry.get(round.agents().get(avail[a])), x);
      scores[avail[a]] = s[a];
    }
    int best = 0;
    for (int a = 1; a < avail.length; a++) {
      if (s[a] > s[best]) {
        best = a;
      }
    }
    if (mode == FeedbackMode.FULL) {
      chosenProbability = 1.0;
      return RoundDecisions.of(round, avail[best], scores, RoundDecisions.nan(round), false);
    }
    double[] p = new double[avail.length];
    StableMath.softmax(s, p);
    double u = random.nextDouble();
    int pick = avail.length - 1;
    double acc = 0.0;
    for (int a = 0; a < avail.length; a++) {
      p[a] = (1.0 - gamma) * p[a] + gamma / avail.length;
      acc += p[a];
      if (u < acc) {
        pick = a;
        break;
      }
    }
    chosenProbability = p[pick];
    return RoundDecisions.of(round, avail[pick], scores, RoundDecisions.nan(round), pick != best);
  }

  private double transformed(OnlineRound round, Outcome o) {
    int j = round.agents().indexOf(o.agent());
    double fee = round.fee(j);
    double rho = Math.max(o.cost() - fee, 0.0);
    return (sqrtCost ? Math.sqrt(rho) : rho) + fee;
  }

  @Override
  public void update(OnlineRound round, Decision decision, List<Outcome> revealed) {
    int[] avail = round.availableIndices();
    double[] x = round.contextView();
    double[] s = new double[avail.length];
    double[] costs = new double[avail.length];
    for (int a = 0; a < avail.length; a++) {
      s[a] = score(registry.get(round.agents().get(avail[a])), x);
    }
    if (mode == FeedbackMode.FULL) {
      java.util.Arrays.fill(costs, Double.NaN);
      for (Outcome o : revealed) {
        int j = round.agents().indexOf(o.agent());
        for (int a = 0; a < avail.length; a++) {
          if (avail[a] == j) {
            costs[a] = transformed(round, o);
          }
        }
      }
      for (int a = 0; a < avail.length; a++) {
        if (Double.isNaN(costs[a])) {
          throw new IllegalArgumentException(
              "online-l2d with full feedback needs every available agent's outcome; "
                  + round.agents().get(avail[a])
                  + " is missing on round "
                  + round.index());
        }
      }
    } else {
      Outcome o = revealed.get(0);
      int j = round.agents().indexOf(o.agent());
      for (int a = 0; a < avail.length; a++) {
        costs[a] = avail[a] == j ? transformed(round, o) / chosenProbability : 0.0;
      }
    }
    double[] grad = new double[avail.length];
    surrogate.evaluate(s, Target.ofCosts(costs), grad);
    for (int a = 0; a < avail.length; a++) {
      double[] w = registry.get(round.agents().get(avail[a]));
      double g = learningRate * grad[a];
      for (int i = 0; i < x.length; i++) {
        w[i] -= g * x[i];
      }
      w[dim - 1] -= g;
    }
    for (int j : avail) {
      registry.touch(round.agents().get(j), round.index());
    }
    rounds++;
  }

  /** The agent's head weights [w_x, w_bias], or null when it is not registered. */
  public double[] weights(String agent) {
    double[] w = registry.get(agent);
    return w == null ? null : w.clone();
  }

  @Override
  public OnlineState state() {
    Map<String, Map<String, double[]>> agents = new LinkedHashMap<>();
    registry
        .parts()
        .forEach(
            (name, w) ->
                agents.put(
                    name,
                    Map.of(
                        "weights", w, "last_touched", new double[] {registry.lastTouched(name)})));
    return new OnlineState(name(), rounds, Map.of(), agents);
  }

  @Override
  public void restore(OnlineState snapshot) {
    Snapshots.checkMethod(snapshot, name());
    registry.clear();
    snapshot
        .agents()
        .forEach(
            (agent, a) ->
                registry.put(
                    agent,
                    Snapshots.array(a, agent, "weights", dim),
                    Snapshots.integer(a, agent, "last_touched")));
    rounds = snapshot.rounds();
    random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * rounds);
  }
}

package org.defer4j.core.online;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.policy.Decision;

/**
 * LinUCB with one ridge model per agent (Li et al. 2010), on costs: each agent j has A_j = λI + Σ φ
 * φᵀ and b_j = Σ φ ρ over the rounds where its error part ρ = cost − β_j was revealed; it scores
 *
 * <pre>
 *   lcb_j = θ_jᵀ φ − α √(φᵀ A_j⁻¹ φ) + β_j,   θ_j = A_j⁻¹ b_j,
 * </pre>
 *
 * and the available agent with the lowest lcb is chosen (optimism on a cost). φ(x) = x (the paper's
 * code's feature map, no intercept) or [x, 1] with {@code intercept=1}. Defaults are the Melbourne
 * configuration of Time_Series_L2D ({@code config_melbourne_review_tuned.yaml}: α = 5, λ = 1)
 * [verified in code: {@code models/linucb_baseline.py}].
 *
 * <p><b>Drift</b> ({@code discount} γ &lt; 1): before each update every registered agent's
 * statistics decay, A_j ← γ A_j + (1 − γ) λ I, b_j ← γ b_j, so old rounds weigh γ^age (the
 * weighting of D-LinUCB, Russac et al. 2019; the confidence width here uses the discounted Gram
 * matrix itself, a simplification of D-LinUCB's A⁻¹ Ã A⁻¹) [reconstruction].
 *
 * <p>An agent's model is created (A = λI, b = 0) the first round it is available and pruned after
 * {@code max_absence} rounds without being available.
 */
public final class LinUcb implements OnlineRouter {
  private final double alpha;
  private final double lambda;
  private final double discount;
  private final boolean intercept;
  private final int dim;
  private final AgentRegistry<Ridge> registry;
  private int rounds;

  /** One agent's ridge statistics. */
  static final class Ridge {
    final double[] gram;
    final double[] b;

    Ridge(int d, double lambda) {
      gram = Dense.eye(d, lambda);
      b = new double[d];
    }
  }

  /**
   * @param contextDim the context's dimension
   * @param alpha the confidence multiplier α ≥ 0
   * @param lambda the ridge λ &gt; 0
   * @param discount γ in (0, 1] (1 = no discount)
   * @param intercept whether φ(x) appends a constant 1
   * @param maxAbsence rounds an unavailable agent is kept
   */
  public LinUcb(
      int contextDim,
      double alpha,
      double lambda,
      double discount,
      boolean intercept,
      int maxAbsence) {
    if (!(alpha >= 0.0) || !(lambda > 0.0) || !(discount > 0.0 && discount <= 1.0)) {
      throw new IllegalArgumentException(
          "linucb needs alpha ≥ 0, lambda > 0 and 0 < discount ≤ 1; got alpha = "
              + alpha
              + ", lambda = "
              + lambda
              + ", discount = "
              + discount);
    }
    this.alpha = alpha;
    this.lambda = lambda;
    this.discount = discount;
    this.intercept = intercept;
    this.dim = contextDim + (intercept ? 1 : 0);
    this.registry = new AgentRegistry<>(maxAbsence, name -> new Ridge(dim, lambda));
  }

  @Override
  public String name() {
    return discount < 1.0 ? "linucb-discounted" : "linucb";
  }

  double[] features(OnlineRound round) {
    double[] x = round.contextView();
    if (!intercept) {
      return x;
    }
    double[] phi = java.util.Arrays.copyOf(x, x.length + 1);
    phi[x.length] = 1.0;
    return phi;
  }

  @Override
  public Decision decide(OnlineRound round) {
    registry.startRound(round);
    double[] phi = features(round);
    List<String> names = round.agents();
    double[] scores = RoundDecisions.nan(round);
    double[] expected = RoundDecisions.nan(round);
    int best = -1;
    double bestLcb = Double.POSITIVE_INFINITY;
    for (int j : round.availableIndices()) {
      Ridge r = registry.get(names.get(j));
      double[] l = Dense.cholesky(r.gram, dim);
      double[] theta = Dense.solve(l, dim, r.b);
      double[] v = Dense.forward(l, dim, phi);
      double mean = Dense.dot(theta, phi) + round.fee(j);
      double lcb = mean - alpha * Math.sqrt(Math.max(Dense.dot(v, v), 0.0));
      scores[j] = -lcb;
      expected[j] = mean;
      if (lcb < bestLcb) {
        bestLcb = lcb;
        best = j;
      }
    }
    return RoundDecisions.of(round, best, scores, expected, false);
  }

  @Override
  public void update(OnlineRound round, Decision decision, List<Outcome> revealed) {
    double[] phi = features(round);
    if (discount < 1.0) {
      for (Ridge r : registry.parts().values()) {
        for (int i = 0; i < r.gram.length; i++) {
          r.gram[i] *= discount;
        }
        for (int i = 0; i < dim; i++) {
          r.gram[i * dim + i] += (1.0 - discount) * lambda;
          r.b[i] *= discount;
        }
      }
    }
    for (Outcome o : revealed) {
      Ridge r = registry.get(o.agent());
      if (r == null) {
        continue;
      }
      int j = round.agents().indexOf(o.agent());
      double rho = o.cost() - round.fee(j);
      for (int a = 0; a < dim; a++) {
        for (int b = 0; b < dim; b++) {
          r.gram[a * dim + b] += phi[a] * phi[b];
        }
        r.b[a] += phi[a] * rho;
      }
    }
    for (int j : round.availableIndices()) {
      registry.touch(round.agents().get(j), round.index());
    }
    rounds++;
  }

  /** The agent's ridge estimate θ_j = A_j⁻¹ b_j, or null when it is not registered. */
  public double[] theta(String agent) {
    Ridge r = registry.get(agent);
    return r == null ? null : Dense.solve(Dense.cholesky(r.gram, dim), dim, r.b);
  }

  /** The registry (read-only use: arrival and pruning). */
  public AgentRegistry<?> registry() {
    return registry;
  }

  @Override
  public void restore(OnlineState snapshot) {
    Snapshots.checkMethod(snapshot, name());
    registry.clear();
    snapshot
        .agents()
        .forEach(
            (agent, a) -> {
              Ridge r = new Ridge(dim, lambda);
              System.arraycopy(
                  Snapshots.array(a, agent, "gram", dim * dim), 0, r.gram, 0, dim * dim);
              System.arraycopy(Snapshots.array(a, agent, "b", dim), 0, r.b, 0, dim);
              registry.put(agent, r, Snapshots.integer(a, agent, "last_touched"));
            });
    rounds = snapshot.rounds();
  }

  @Override
  public OnlineState state() {
    Map<String, Map<String, double[]>> agents = new LinkedHashMap<>();
    registry
        .parts()
        .forEach(
            (name, r) ->
                agents.put(
                    name,
                    Map.of(
                        "gram", r.gram,
                        "b", r.b,
                        "last_touched", new double[] {registry.lastTouched(name)})));
    return new OnlineState(name(), rounds, Map.of(), agents);
  }
}

package org.defer4j.core.online;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.policy.Decision;

/**
 * One ridge model shared by all agents over joint (context, agent) features, explored by UCB
 * (shared-feature LinUCB) or by Thompson sampling (linear TS, Agrawal and Goyal 2013). The joint
 * features of agent j are
 *
 * <pre>
 *   f(x, j) = [ φ(x) (shared block) | e_j (the agent's bias) | φ(x) in the agent's block ]
 * </pre>
 *
 * so the shared block carries what all agents have in common and each agent's block its own
 * response; cost ρ = c − β_j ≈ θᵀ f(x, j) with θ ~ N(μ, P), P = (λI + Σ f fᵀ)⁻¹. UCB chooses the
 * lowest μᵀf − α √(fᵀ P f) + β_j; TS draws θ̃ ~ N(μ, s² P) and chooses the lowest θ̃ᵀ f + β_j
 * (drawn exactly, through the joint law of the available agents' scores, N(F μ, s² F P Fᵀ), which
 * is that of θ̃ projected). Defaults are the Melbourne configuration of Time_Series_L2D: UCB α = 3,
 * TS s = 0.75, λ = 1, all three blocks [verified in code: {@code models/shared_linear_bandits.py}].
 *
 * <p>The posterior is kept as (μ, P) and updated by recursive least squares (Sherman–Morrison), so
 * it equals the ridge solution exactly. An agent's block enters with the prior (0, I/λ) the first
 * round it is available; pruning deletes its rows and columns from μ and P, which is exact
 * marginalisation of the Gaussian posterior, so the other agents' predictions do not change.
 */
public final class JointLinearBandit implements OnlineRouter {
  /** How the shared model explores. */
  public enum Exploration {
    /** Lower confidence bound on cost (shared-feature LinUCB). */
    UCB,
    /** Thompson sampling (linear TS). */
    THOMPSON
  }

  private final Exploration exploration;
  private final double alpha;
  private final double posteriorScale;
  private final double lambda;
  private final int d;
  private final boolean shared;
  private final boolean bias;
  private final boolean interactions;
  private final int block;
  private final AgentRegistry<int[]> registry;
  private final long seed;
  private SplittableRandom random;
  private final List<String> order = new ArrayList<>();
  private double[] mean;
  private double[] cov;
  private int dim;
  private int rounds;

  /**
   * @param contextDim d, the context's dimension
   * @param exploration UCB or Thompson
   * @param alpha the UCB multiplier (ignored by Thompson)
   * @param posteriorScale the Thompson scale s (ignored by UCB)
   * @param lambda the ridge λ &gt; 0
   * @param shared whether to include the shared block
   * @param bias whether each agent has a bias
   * @param interactions whether each agent has its own copy of φ
   * @param maxAbsence rounds an unavailable agent is kept
   * @param seed the sampler's seed
   */
  public JointLinearBandit(
      int contextDim,
      Exploration exploration,
      double alpha,
      double posteriorScale,
      double lambda,
      boolean shared,
      boolean bias,
      boolean interactions,
      int maxAbsence,
      long seed) {
    if (!(lambda > 0.0) || !(alpha >= 0.0) || !(posteriorScale > 0.0)) {
      throw new IllegalArgumentException(
          "shared linear bandit needs lambda > 0, alpha ≥ 0, posterior_scale > 0");
    }
    if (!bias && !interactions) {
      throw new IllegalArgumentException(
          "shared linear bandit needs an agent bias or agent interactions, or agents are"
              + " indistinguishable");
    }
    this.exploration = exploration;
    this.alpha = alpha;
    this.posteriorScale = posteriorScale;
    this.lambda = lambda;
    this.d = contextDim;
    this.shared = shared;
    this.bias = bias;
    this.interactions = interactions;
    this.block = (bias ? 1 : 0) + (interactions ? contextDim : 0);
    this.dim = shared ? contextDim : 0;
    this.mean = new double[dim];
    this.cov = Dense.eye(dim, 1.0 / lambda);
    this.registry = new AgentRegistry<>(maxAbsence, name -> new int[] {-1});
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public String name() {
    return exploration == Exploration.UCB ? "shared-linucb" : "lints";
  }

  /** Keeps μ and P in step with the registry: appends arrivals, deletes pruned agents. */
  private void syncBlocks(OnlineRound round) {
    registry.startRound(round);
    List<String> gone = new ArrayList<>();
    for (String name : order) {
      if (!registry.contains(name)) {
        gone.add(name);
      }
    }
    for (String name : gone) {
      removeBlock(order.indexOf(name));
      order.remove(name);
    }
    for (String name : registry.names()) {
      if (!order.contains(name)) {
        appendBlock();
        order.add(name);
      }
    }
  }

  private int offset(int agentPosition) {
    return (shared ? d : 0) + agentPosition * block;
  }

  private void appendBlock() {
    int n = dim + block;
    double[] c = new double[n * n];
    for (int i = 0; i < dim; i++) {
      System.arraycopy(cov, i * dim, c, i * n, dim);
    }
    for (int i = dim; i < n; i++) {
      c[i * n + i] = 1.0 / lambda;
    }
    mean = java.util.Arrays.copyOf(mean, n);
    cov = c;
    dim = n;
  }

  private void removeBlock(int position) {
    int from = offset(position);
    int n = dim - block;
    double[] c = new double[n * n];
    double[] m = new double[n];
    for (int i = 0, ii = 0; i < dim; i++) {
      if (i >= from && i < from + block) {
        continue;
      }
      m[ii] = mean[i];
      for (int j = 0, jj = 0; j < dim; j++) {
        if (j >= from && j < from + block) {
          continue;
        }
        c[ii * n + jj] = cov[i * dim + j];
        jj++;
      }
      ii++;
    }
    mean = m;
    cov = c;
    dim = n;
  }

  /** The nonzero coordinates of f(x, j) and their values. */
  private int[] featureIndex(int position) {
    int nnz = (shared ? d : 0) + block;
    int[] idx = new int[nnz];
    int k = 0;
    if (shared) {
      for (int i = 0; i < d; i++) {
        idx[k++] = i;
      }
    }
    int off = offset(position);
    for (int i = 0; i < block; i++) {
      idx[k++] = off + i;
    }
    return idx;
  }

  private double[] featureValues(double[] x) {
    int nnz = (shared ? d : 0) + block;
    double[] v = new double[nnz];
    int k = 0;
    if (shared) {
      for (int i = 0; i < d; i++) {
        v[k++] = x[i];
      }
    }
    if (bias) {
      v[k++] = 1.0;
    }
    if (interactions) {
      for (int i = 0; i < d; i++) {
        v[k++] = x[i];
      }
    }
    return v;
  }

  /** P f for a sparse f. */
  private double[] covTimes(int[] idx, double[] val) {
    double[] out = new double[dim];
    for (int r = 0; r < dim; r++) {
      double s = 0.0;
      int base = r * dim;
      for (int k = 0; k < idx.length; k++) {
        s += cov[base + idx[k]] * val[k];
      }
      out[r] = s;
    }
    return out;
  }

  private static double sparseDot(double[] dense, int[] idx, double[] val) {
    double s = 0.0;
    for (int k = 0; k < idx.length; k++) {
      s += dense[idx[k]] * val[k];
    }
    return s;
  }

  @Override
  public Decision decide(OnlineRound round) {
    syncBlocks(round);
    double[] x = round.contextView();
    double[] val = featureValues(x);
    int[] avail = round.availableIndices();
    int m = avail.length;
    double[] means = new double[m];
    int[][] idx = new int[m][];
    double[][] pf = new double[m][];
    for (int a = 0; a < m; a++) {
      int j = avail[a];
      idx[a] = featureIndex(order.indexOf(round.agents().get(j)));
      means[a] = sparseDot(mean, idx[a], val) + round.fee(j);
      pf[a] = covTimes(idx[a], val);
    }
    double[] scores = RoundDecisions.nan(round);
    double[] expected = RoundDecisions.nan(round);
    double[] value = new double[m];
    if (exploration == Exploration.UCB) {
      for (int a = 0; a < m; a++) {
        double var = sparseDot(pf[a], idx[a], val);
        value[a] = means[a] - alpha * Math.sqrt(Math.max(var, 0.0));
      }
    } else {
      double s2 = posteriorScale * posteriorScale;
      double[] c = new double[m * m];
      for (int a = 0; a < m; a++) {
        for (int b = 0; b <= a; b++) {
          double v = s2 * sparseDot(pf[a], idx[b], val);
          c[a * m + b] = v;
          c[b * m + a] = v;
        }
      }
      double[] l = Dense.cholesky(c, m);
      double[] z = new double[m];
      for (int a = 0; a < m; a++) {
        z[a] = random.nextGaussian();
      }
      for (int a = 0; a < m; a++) {
        double s = 0.0;
        for (int b = 0; b <= a; b++) {
          s += l[a * m + b] * z[b];
        }
        value[a] = means[a] + s;
      }
    }
    int best = 0;
    for (int a = 0; a < m; a++) {
      scores[avail[a]] = -value[a];
      expected[avail[a]] = means[a];
      if (value[a] < value[best]) {
        best = a;
      }
    }
    return RoundDecisions.of(
        round, avail[best], scores, expected, exploration == Exploration.THOMPSON);
  }

  @Override
  public void update(OnlineRound round, Decision decision, List<Outcome> revealed) {
    double[] val = featureValues(round.contextView());
    for (Outcome o : revealed) {
      int position = order.indexOf(o.agent());
      if (position < 0) {
        continue;
      }
      int j = round.agents().indexOf(o.agent());
      double rho = o.cost() - round.fee(j);
      int[] idx = featureIndex(position);
      double[] v = covTimes(idx, val);
      double s = 1.0 + sparseDot(v, idx, val);
      double innovation = rho - sparseDot(mean, idx, val);
      for (int r = 0; r < dim; r++) {
        mean[r] += v[r] * innovation / s;
      }
      for (int r = 0; r < dim; r++) {
        double vr = v[r] / s;
        int base = r * dim;
        for (int c = 0; c < dim; c++) {
          cov[base + c] -= vr * v[c];
        }
      }
    }
    for (int j : round.availableIndices()) {
      registry.touch(round.agents().get(j), round.index());
    }
    rounds++;
  }

  /** The posterior mean μ (copy; shared block first, then each agent's block in arrival order). */
  public double[] posteriorMean() {
    return mean.clone();
  }

  /** The posterior covariance P (copy, row-major). */
  public double[] posteriorCovariance() {
    return cov.clone();
  }

  /** The registered agents in block order. */
  public List<String> agents() {
    return List.copyOf(order);
  }

  @Override
  public void restore(OnlineState snapshot) {
    Snapshots.checkMethod(snapshot, name());
    registry.clear();
    order.clear();
    List<Map.Entry<String, Map<String, double[]>>> byOffset =
        new ArrayList<>(snapshot.agents().entrySet());
    byOffset.sort(
        (x, y) ->
            Integer.compare(
                Snapshots.integer(x.getValue(), x.getKey(), "offset"),
                Snapshots.integer(y.getValue(), y.getKey(), "offset")));
    for (Map.Entry<String, Map<String, double[]>> e : byOffset) {
      if (Snapshots.integer(e.getValue(), e.getKey(), "offset") != offset(order.size())) {
        throw new IllegalArgumentException(
            "snapshot: agent " + e.getKey() + " has an offset that does not follow the layout");
      }
      order.add(e.getKey());
      registry.put(
          e.getKey(), new int[] {-1}, Snapshots.integer(e.getValue(), e.getKey(), "last_touched"));
    }
    int n = (shared ? d : 0) + order.size() * block;
    mean = Snapshots.array(snapshot.shared(), "shared", "mean", n);
    cov = Snapshots.array(snapshot.shared(), "shared", "cov", n * n);
    dim = n;
    rounds = snapshot.rounds();
    random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * rounds);
  }

  @Override
  public OnlineState state() {
    Map<String, Map<String, double[]>> agents = new LinkedHashMap<>();
    for (int p = 0; p < order.size(); p++) {
      agents.put(
          order.get(p),
          Map.of(
              "offset", new double[] {offset(p)},
              "last_touched", new double[] {registry.lastTouched(order.get(p))}));
    }
    return new OnlineState(name(), rounds, Map.of("mean", mean, "cov", cov), agents);
  }
}

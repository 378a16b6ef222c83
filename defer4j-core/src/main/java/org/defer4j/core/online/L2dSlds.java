package org.defer4j.core.online;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.policy.Decision;

/**
 * L2D-SLDS (Montreuil, Yu, Carlier, Ng, Ooi, arXiv 2601.22538; METHODS-2 E1): a factorised
 * switching linear dynamical system over the experts' residuals, filtered IMM-style, with
 * information-directed exploration and a registry that adds and prunes experts.
 *
 * <p><b>Model</b> [verified in the paper's LaTeX and code]. Expert k's residual e_{t,k} = ŷ_{t,k} −
 * y_t given regime z_t = m is N(φ(x_t)ᵀ α_{t,k}, R_k), with reliability α_{t,k} = B_k g_t +
 * u_{t,k}: a shared factor g_t = A^g_m g_{t−1} + w^g (cov Q^g_m) and an idiosyncratic state u_{t,k}
 * = A^u_m u_{t−1,k} + w^u (cov Q^u_m, shared by experts); φ(x) = x; B_k is zero except B_k[0, 0]
 * (the "intercept load"). Regimes move by Π_t(ℓ, m) = softmax_m(S_{ℓm}(x_t)).
 *
 * <p><b>Filter</b> (one round). Interaction: w⁻_m = Σ_ℓ Π(ℓ, m) w_ℓ, each regime's prior on g and
 * on every registered u_k the moment-matched mixture of the previous posteriors with weights Π(ℓ,
 * m) w_ℓ / w⁻_m; time update through A_m, Q_m. An expert entering on this round starts from its
 * prior N(0, Σ_init) (not propagated, as the code does). Predictive law of e_{t,k} under regime m:
 * mean h_kᵀ μ^g_m + φᵀ μ^u_{k,m}, variance s_{k,m} + σ_{k,m} with s = φᵀ Σ^u φ + R_k and σ = h_kᵀ
 * Σ^g h_k, h_k = B_kᵀ φ. After the queried residual: a joint Kalman update of (g, u_k) per regime,
 * the regime weights by the predictive likelihoods, and cross-covariances dropped (factorised).
 * With full feedback every available expert's residual enters one joint update per regime.
 *
 * <p><b>Action</b> (IDS). Predicted cost C_k = Σ_m w⁻_m (mean² + var) + β_k (squared loss); Δ_k =
 * C_k − min C; IG_k = Σ_m w⁻_m ½ log(1 + σ_{k,m}/s_{k,m}) (information on g, closed form) plus, for
 * "g_z", the mutual information between z and e_k estimated with {@code mcSamples} draws per
 * regime; choose argmin Δ²/IG (+∞ when IG = 0 unless Δ = 0; all +∞ → the myopic choice). With full
 * feedback the choice is myopic. Note: with Δ measured from the myopic choice (the paper's and its
 * code's definition) the myopic agent's ratio is 0, so the rule departs from the myopic choice only
 * between agents tied at Δ = 0; on the Melbourne stream {@code g_z}, {@code g} and {@code greedy}
 * choose identically, and the paper's run is deterministic for that reason.
 *
 * <p><b>Registry.</b> {@link AgentRegistry}: an expert is added the first round it is available and
 * pruned when unavailable and not queried for more than Δ_max rounds (pruning a factorised state is
 * exact marginalisation: nothing else changes). Reconstruction notes: a cost-only task gives no
 * residual, so √(cost − β) is filtered in its place; the noise variances R_k and the prior variance
 * of u may be initialised from a warm-up window by the caller ({@link OnlineMethods}), as the
 * paper's code does from all experts' errors (a full-information look the paper does not mention).
 */
public final class L2dSlds implements OnlineRouter {
  private static final double EPS = 1e-8;

  private final L2dSldsOptions options;
  private final FeedbackMode mode;
  private final int d;
  private final int m;
  private final int dg;
  private final double uPrior;
  private final Map<String, Double> noiseByAgent;
  private final AgentRegistry<Expert> registry;
  private final long seed;
  private SplittableRandom random;
  private final double[][] wq;
  private final double[][] wk;
  private final int attnDim;

  private double[] w;
  private double[][] muG;
  private double[][] covG;
  private int rounds;

  // the predicted (prior) quantities of the round being decided
  private double[] wPred;
  private double[][] muGPred;
  private double[][] covGPred;

  /** One expert's idiosyncratic state per regime, its noise and its predicted state this round. */
  static final class Expert {
    final double[][] mu;
    final double[][] cov;
    final double noise;
    double[][] muPred;
    double[][] covPred;

    Expert(int regimes, int d, double priorVar, double noise) {
      mu = new double[regimes][d];
      cov = new double[regimes][];
      for (int r = 0; r < regimes; r++) {
        cov[r] = Dense.eye(d, priorVar);
      }
      this.noise = noise;
    }
  }

  /**
   * @param contextDim d_φ = the context's dimension (φ(x) = x)
   * @param mode the feedback the router will receive
   * @param options the model's settings
   * @param noiseByAgent R_k for agents known in advance (others get {@code options.noise()})
   * @param seed the seed of the Monte-Carlo draws and of attention weights
   */
  public L2dSlds(
      int contextDim,
      FeedbackMode mode,
      L2dSldsOptions options,
      Map<String, Double> noiseByAgent,
      long seed) {
    if (contextDim < 1) {
      throw new IllegalArgumentException("l2d-slds needs at least one context feature");
    }
    this.options = options;
    this.mode = mode;
    this.d = contextDim;
    this.m = options.regimes();
    this.dg = options.sharedDim();
    this.uPrior = Double.isNaN(options.uPriorVar()) ? 0.1 : options.uPriorVar();
    this.noiseByAgent = Map.copyOf(noiseByAgent);
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.registry =
        new AgentRegistry<>(
            options.maxAbsence(),
            name ->
                new Expert(m, d, uPrior, this.noiseByAgent.getOrDefault(name, options.noise())));
    this.attnDim = d;
    this.wq = new double[m][attnDim * d];
    this.wk = new double[m][attnDim * d];
    if (options.transition().equals("attention")) {
      for (int r = 0; r < m; r++) {
        for (int i = 0; i < attnDim * d; i++) {
          wq[r][i] = 0.1 * random.nextGaussian();
          wk[r][i] = 0.1 * random.nextGaussian();
        }
      }
    }
    w = new double[m];
    java.util.Arrays.fill(w, 1.0 / m);
    muG = new double[m][dg];
    covG = new double[m][];
    for (int r = 0; r < m; r++) {
      covG[r] = Dense.eye(dg, options.gPriorVar());
    }
  }

  @Override
  public String name() {
    return dg == 0 ? "l2d-slds-no-g" : "l2d-slds";
  }

  /** Π(ℓ, m) for the context (rows ℓ sum to 1). */
  private double[][] transition(double[] x) {
    double[][] pi = new double[m][m];
    if (options.transition().equals("uniform")) {
      for (double[] row : pi) {
        java.util.Arrays.fill(row, 1.0 / m);
      }
      return pi;
    }
    double[][] q = new double[m][attnDim];
    double[][] k = new double[m][attnDim];
    for (int r = 0; r < m; r++) {
      for (int a = 0; a < attnDim; a++) {
        double sq = 0.0;
        double sk = 0.0;
        for (int i = 0; i < d; i++) {
          sq += wq[r][a * d + i] * x[i];
          sk += wk[r][a * d + i] * x[i];
        }
        q[r][a] = sq;
        k[r][a] = sk;
      }
    }
    double scale = Math.sqrt(attnDim);
    for (int l = 0; l < m; l++) {
      double[] s = new double[m];
      for (int r = 0; r < m; r++) {
        s[r] = Dense.dot(q[l], k[r]) / scale;
      }
      StableMath.softmax(s, pi[l]);
    }
    return pi;
  }

  /** Moment-matched mixtures of per-regime Gaussians, then the time update through (a, q). */
  private void mixAndPredict(
      double[][] mix,
      double[][] mu,
      double[][] cov,
      int n,
      double[] a,
      double[] q,
      double[][] muOut,
      double[][] covOut) {
    for (int j = 0; j < m; j++) {
      double[] mj = new double[n];
      for (int i = 0; i < m; i++) {
        for (int c = 0; c < n; c++) {
          mj[c] += mix[i][j] * mu[i][c];
        }
      }
      double[] cj = new double[n * n];
      for (int i = 0; i < m; i++) {
        double wij = mix[i][j];
        if (wij == 0.0) {
          continue;
        }
        for (int r = 0; r < n; r++) {
          double dr = mu[i][r] - mj[r];
          for (int c = 0; c < n; c++) {
            cj[r * n + c] += wij * (cov[i][r * n + c] + dr * (mu[i][c] - mj[c]));
          }
        }
      }
      double a2 = a[j] * a[j];
      for (int c = 0; c < n; c++) {
        mj[c] *= a[j];
      }
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          cj[r * n + c] = 0.5 * a2 * (cj[r * n + c] + cj[c * n + r]);
        }
      }
      for (int r = 0; r < n; r++) {
        cj[r * n + r] += q[j] + EPS;
      }
      muOut[j] = mj;
      covOut[j] = cj;
    }
  }

  /** h_k = B_kᵀ φ: the load of φ_0 on g_1, zero elsewhere. */
  private double[] loadings(double[] phi) {
    double[] h = new double[dg];
    if (dg > 0) {
      h[0] = options.loading() * phi[0];
    }
    return h;
  }

  @Override
  public Decision decide(OnlineRound round) {
    List<String> entering = registry.startRound(round);
    double[] x = round.contextView();
    double[][] pi = transition(x);
    wPred = new double[m];
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < m; i++) {
        wPred[j] += pi[i][j] * w[i];
      }
      wPred[j] = Math.max(wPred[j], EPS);
    }
    normalise(wPred);
    double[][] mix = new double[m][m];
    for (int j = 0; j < m; j++) {
      double s = 0.0;
      for (int i = 0; i < m; i++) {
        mix[i][j] = pi[i][j] * w[i];
        s += mix[i][j];
      }
      for (int i = 0; i < m; i++) {
        mix[i][j] = s <= EPS ? 1.0 / m : mix[i][j] / s;
      }
    }
    muGPred = new double[m][];
    covGPred = new double[m][];
    mixAndPredict(mix, muG, covG, dg, options.aG(), options.qG(), muGPred, covGPred);
    for (Map.Entry<String, Expert> e : registry.parts().entrySet()) {
      Expert ex = e.getValue();
      ex.muPred = new double[m][];
      ex.covPred = new double[m][];
      if (entering.contains(e.getKey())) {
        for (int r = 0; r < m; r++) {
          ex.muPred[r] = ex.mu[r].clone();
          ex.covPred[r] = ex.cov[r].clone();
        }
      } else {
        mixAndPredict(mix, ex.mu, ex.cov, d, options.aU(), options.qU(), ex.muPred, ex.covPred);
      }
    }

    double[] h = loadings(x);
    int[] avail = round.availableIndices();
    double[] cost = new double[avail.length];
    double[] infoG = new double[avail.length];
    double[][] meanModes = new double[avail.length][m];
    double[][] varModes = new double[avail.length][m];
    for (int a = 0; a < avail.length; a++) {
      Expert ex = registry.get(round.agents().get(avail[a]));
      double c = 0.0;
      double ig = 0.0;
      for (int r = 0; r < m; r++) {
        double b = Dense.dot(x, ex.muPred[r]);
        double s = Math.max(Dense.quadratic(ex.covPred[r], d, x) + ex.noise, EPS);
        double mean = b;
        double signal = 0.0;
        if (dg > 0) {
          mean += Dense.dot(h, muGPred[r]);
          signal = Math.max(Dense.quadratic(covGPred[r], dg, h), 0.0);
        }
        double var = Math.max(signal + s, EPS);
        meanModes[a][r] = mean;
        varModes[a][r] = var;
        c += wPred[r] * (var + mean * mean);
        ig += wPred[r] * 0.5 * Math.log1p(signal / s);
      }
      cost[a] = c + round.fee(avail[a]);
      infoG[a] = ig;
    }
    int best = 0;
    for (int a = 1; a < avail.length; a++) {
      if (cost[a] < cost[best]) {
        best = a;
      }
    }
    int pick = best;
    if (mode == FeedbackMode.BANDIT && !options.exploration().equals("greedy")) {
      double[] info = infoG.clone();
      if (options.exploration().equals("g_z")) {
        for (int a = 0; a < avail.length; a++) {
          info[a] += regimeInformation(meanModes[a], varModes[a]);
        }
      }
      pick = informationDirected(cost, info, best);
    }
    double[] scores = RoundDecisions.nan(round);
    double[] expected = RoundDecisions.nan(round);
    for (int a = 0; a < avail.length; a++) {
      scores[avail[a]] = -cost[a];
      expected[avail[a]] = cost[a];
    }
    return RoundDecisions.of(round, avail[pick], scores, expected, pick != best);
  }

  /** argmin Δ²/IG, +∞ where IG ≤ ε unless Δ ≤ ε; the myopic choice when every ratio is +∞. */
  static int informationDirected(double[] cost, double[] info, int myopic) {
    double min = cost[myopic];
    int pick = -1;
    double bestRatio = Double.POSITIVE_INFINITY;
    for (int a = 0; a < cost.length; a++) {
      double delta = cost[a] - min;
      double ratio;
      if (info[a] <= EPS) {
        ratio = Math.abs(delta) <= EPS ? 0.0 : Double.POSITIVE_INFINITY;
      } else {
        ratio = Math.min(delta * delta / info[a], 1e12);
      }
      if (ratio < bestRatio) {
        bestRatio = ratio;
        pick = a;
      }
    }
    return pick < 0 ? myopic : pick;
  }

  /** I(z; e_k): Σ_m w_m E_{e ~ N_m}[log N_m(e) − log Σ_ℓ w_ℓ N_ℓ(e)], by Monte Carlo. */
  private double regimeInformation(double[] mean, double[] var) {
    int n = options.mcSamples();
    if (m <= 1 || n == 0) {
      return 0.0;
    }
    double[] logW = new double[m];
    for (int r = 0; r < m; r++) {
      logW[r] = Math.log(Math.max(wPred[r], EPS));
    }
    double ig = 0.0;
    double[] terms = new double[m];
    for (int r = 0; r < m; r++) {
      if (wPred[r] <= 0.0) {
        continue;
      }
      double sd = Math.sqrt(var[r]);
      double acc = 0.0;
      for (int s = 0; s < n; s++) {
        double e = mean[r] + sd * random.nextGaussian();
        for (int l = 0; l < m; l++) {
          terms[l] = logW[l] + logNormal(e, mean[l], var[l]);
        }
        acc += logNormal(e, mean[r], var[r]) - StableMath.logSumExp(terms);
      }
      ig += wPred[r] * acc / n;
    }
    return Math.max(ig, 0.0);
  }

  private static double logNormal(double x, double mean, double var) {
    double v = Math.max(var, EPS);
    double z = x - mean;
    return -0.5 * (Math.log(2.0 * Math.PI * v) + z * z / v);
  }

  private static void normalise(double[] p) {
    double s = 0.0;
    for (double v : p) {
      s += v;
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = s > 0.0 ? p[i] / s : 1.0 / p.length;
    }
  }

  private static double residual(OnlineRound round, Outcome o) {
    if (!Double.isNaN(o.residual())) {
      return o.residual();
    }
    int j = round.agents().indexOf(o.agent());
    return Math.sqrt(Math.max(o.cost() - round.fee(j), 0.0));
  }

  @Override
  public void update(OnlineRound round, Decision decision, List<Outcome> revealed) {
    double[] x = round.contextView();
    double[] h = loadings(x);
    List<Outcome> used = mode == FeedbackMode.FULL ? revealed : List.of(revealed.get(0));
    int q = used.size();
    Expert[] experts = new Expert[q];
    double[] obs = new double[q];
    for (int i = 0; i < q; i++) {
      experts[i] = registry.get(used.get(i).agent());
      obs[i] = residual(round, used.get(i));
    }
    int n = dg + q * d;
    double[] logLike = new double[m];
    for (int r = 0; r < m; r++) {
      // the joint prior of (g, u_1..u_q) under regime r: block diagonal
      double[] mean = new double[n];
      double[] cov = new double[n * n];
      System.arraycopy(muGPred[r], 0, mean, 0, dg);
      for (int a = 0; a < dg; a++) {
        System.arraycopy(covGPred[r], a * dg, cov, a * n, dg);
      }
      for (int i = 0; i < q; i++) {
        int off = dg + i * d;
        System.arraycopy(experts[i].muPred[r], 0, mean, off, d);
        for (int a = 0; a < d; a++) {
          System.arraycopy(experts[i].covPred[r], a * d, cov, (off + a) * n + off, d);
        }
      }
      // sequential scalar updates: exact for independent observation noise
      double ll = 0.0;
      double[] hv = new double[n];
      for (int i = 0; i < q; i++) {
        java.util.Arrays.fill(hv, 0.0);
        System.arraycopy(h, 0, hv, 0, dg);
        System.arraycopy(x, 0, hv, dg + i * d, d);
        double[] ph = Dense.times(cov, n, hv);
        double predMean = Dense.dot(hv, mean);
        double s = Math.max(Dense.dot(hv, ph) + experts[i].noise, EPS);
        double innovation = obs[i] - predMean;
        ll += logNormal(obs[i], predMean, s);
        for (int a = 0; a < n; a++) {
          mean[a] += ph[a] * innovation / s;
        }
        for (int a = 0; a < n; a++) {
          double ka = ph[a] / s;
          for (int b = 0; b < n; b++) {
            cov[a * n + b] -= ka * ph[b];
          }
        }
      }
      logLike[r] = ll;
      // factorise: keep the blocks, drop the cross-covariances
      double[] mg = new double[dg];
      double[] cg = new double[dg * dg];
      System.arraycopy(mean, 0, mg, 0, dg);
      for (int a = 0; a < dg; a++) {
        for (int b = 0; b < dg; b++) {
          cg[a * dg + b] = 0.5 * (cov[a * n + b] + cov[b * n + a]) + (a == b ? EPS : 0.0);
        }
      }
      muGPred[r] = mg;
      covGPred[r] = cg;
      for (int i = 0; i < q; i++) {
        int off = dg + i * d;
        double[] mu = new double[d];
        double[] cu = new double[d * d];
        System.arraycopy(mean, off, mu, 0, d);
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            cu[a * d + b] =
                0.5 * (cov[(off + a) * n + off + b] + cov[(off + b) * n + off + a])
                    + (a == b ? EPS : 0.0);
          }
        }
        experts[i].muPred[r] = mu;
        experts[i].covPred[r] = cu;
      }
    }
    double[] logPost = new double[m];
    double max = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < m; r++) {
      logPost[r] = logLike[r] + Math.log(Math.max(wPred[r], EPS));
      max = Math.max(max, logPost[r]);
    }
    double[] post = new double[m];
    for (int r = 0; r < m; r++) {
      post[r] = Math.exp(logPost[r] - max);
    }
    normalise(post);
    w = post;
    muG = muGPred;
    covG = covGPred;
    for (Expert ex : registry.parts().values()) {
      for (int r = 0; r < m; r++) {
        System.arraycopy(ex.muPred[r], 0, ex.mu[r], 0, d);
        System.arraycopy(ex.covPred[r], 0, ex.cov[r], 0, d * d);
      }
    }
    for (Outcome o : used) {
      registry.touch(o.agent(), round.index());
    }
    rounds++;
  }

  /** The regime posterior w (copy). */
  public double[] regimeWeights() {
    return w.clone();
  }

  /** The registry (read-only use). */
  public AgentRegistry<?> registry() {
    return registry;
  }

  /** The settings. */
  public L2dSldsOptions options() {
    return options;
  }

  @Override
  public void restore(OnlineState snapshot) {
    Snapshots.checkMethod(snapshot, name());
    Map<String, double[]> sh = snapshot.shared();
    double[] weights = Snapshots.array(sh, "shared", "w", m);
    double[][] mg = new double[m][];
    double[][] cg = new double[m][];
    for (int r = 0; r < m; r++) {
      mg[r] = Snapshots.array(sh, "shared", "g_mean." + r, dg);
      cg[r] = Snapshots.array(sh, "shared", "g_cov." + r, dg * dg);
    }
    registry.clear();
    snapshot
        .agents()
        .forEach(
            (agent, a) -> {
              Expert ex = new Expert(m, d, uPrior, Snapshots.array(a, agent, "noise", 1)[0]);
              for (int r = 0; r < m; r++) {
                ex.mu[r] = Snapshots.array(a, agent, "u_mean." + r, d);
                ex.cov[r] = Snapshots.array(a, agent, "u_cov." + r, d * d);
              }
              registry.put(agent, ex, Snapshots.integer(a, agent, "last_queried"));
            });
    w = weights;
    muG = mg;
    covG = cg;
    rounds = snapshot.rounds();
    random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * rounds);
  }

  @Override
  public OnlineState state() {
    Map<String, double[]> shared = new LinkedHashMap<>();
    shared.put("w", w);
    for (int r = 0; r < m; r++) {
      shared.put("g_mean." + r, muG[r]);
      shared.put("g_cov." + r, covG[r]);
    }
    Map<String, Map<String, double[]>> agents = new LinkedHashMap<>();
    registry
        .parts()
        .forEach(
            (name, ex) -> {
              Map<String, double[]> a = new LinkedHashMap<>();
              a.put("noise", new double[] {ex.noise});
              a.put("last_queried", new double[] {registry.lastTouched(name)});
              for (int r = 0; r < m; r++) {
                a.put("u_mean." + r, ex.mu[r]);
                a.put("u_cov." + r, ex.cov[r]);
              }
              agents.put(name, a);
            });
    return new OnlineState(name(), rounds, shared, agents);
  }
}

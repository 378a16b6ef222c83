package org.defer4j.core.online;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of online routers, each built from {@code key=value} settings whose defaults are
 * the paper's code's (Time_Series_L2D, {@code config/config_melbourne_review_tuned.yaml}).
 *
 * <table>
 *   <caption>Methods and their settings</caption>
 *   <tr><th>method</th><th>settings (default)</th></tr>
 *   <tr><td>{@code l2d-slds}</td><td>regimes (2), shared_dim (1; 0 = without g_t), a_g
 *       (0.98,0.97), q_g (0.08,0.10), a_u (0.98,0.97), q_u (0.05,0.06), noise (0.05), g_prior
 *       (1), loading (1), exploration (g_z | g | greedy), mc_samples (12), transition (uniform |
 *       attention), delta_max (2000), init (empirical | none), init_window (730), u_scale
 *       (1)</td></tr>
 *   <tr><td>{@code linucb}</td><td>alpha (5), lambda (1), discount (1 = none), intercept (0),
 *       max_absence (2000)</td></tr>
 *   <tr><td>{@code shared-linucb}</td><td>alpha (3), lambda (1), shared (1), bias (1),
 *       interactions (1), max_absence (2000)</td></tr>
 *   <tr><td>{@code lints}</td><td>posterior_scale (0.75), lambda (1), shared, bias,
 *       interactions (1), max_absence (2000)</td></tr>
 *   <tr><td>{@code online-l2d}</td><td>lr (0.01), cost_transform (sqrt | identity), gamma
 *       (0.05), max_absence (2000)</td></tr>
 *   <tr><td>{@code random}</td><td>none</td></tr>
 * </table>
 *
 * <p>{@code l2d-slds init=empirical} is the paper's code: each expert's noise variance R_k is its
 * mean squared residual over rounds 1..{@code init_window} where it is available — every expert's,
 * a full-information look at the start of the stream — and an entering expert's prior variance is
 * u_scale · mean_k R_k / mean_t |x_t|² over the same window. {@code init=none} is strictly partial
 * feedback: R_k = {@code noise} and the prior variance u_scale · noise / mean_t |x_t|² (contexts
 * only).
 */
public final class OnlineMethods {
  /** The method names, in the order the CLI lists them. */
  public static final List<String> NAMES =
      List.of("l2d-slds", "linucb", "shared-linucb", "lints", "online-l2d", "random");

  private OnlineMethods() {}

  /**
   * Builds a router for a stream.
   *
   * @param method one of {@link #NAMES}
   * @param settings the method's options (every key must be one it reads)
   * @param stream the stream (its context dimension; for {@code l2d-slds init=empirical}, its
   *     warm-up outcomes)
   * @param mode the feedback the router will receive
   * @param seed the router's seed
   * @throws IllegalArgumentException for an unknown method, an unknown key or a bad value
   */
  public static OnlineRouter create(
      String method, OnlineSettings settings, OnlineStream stream, FeedbackMode mode, long seed) {
    int d = stream.contextDim();
    OnlineRouter router =
        switch (method) {
          case "linucb" ->
              new LinUcb(
                  d,
                  settings.number("alpha", 5.0),
                  settings.number("lambda", 1.0),
                  settings.number("discount", 1.0),
                  flag(settings, "intercept", 0),
                  settings.integer("max_absence", 2000));
          case "shared-linucb", "lints" -> joint(method, settings, d, seed);
          case "online-l2d" ->
              new OnlineL2d(
                  d,
                  mode,
                  settings.number("lr", 0.01),
                  settings.choice("cost_transform", "sqrt", "sqrt", "identity").equals("sqrt"),
                  settings.number("gamma", 0.05),
                  settings.integer("max_absence", 2000),
                  seed);
          case "l2d-slds" -> slds(settings, stream, mode, seed);
          case "random" -> new RandomRouter(seed);
          default ->
              throw new IllegalArgumentException(
                  "unknown method '" + method + "'; expected one of " + String.join(", ", NAMES));
        };
    settings.finish(method);
    return router;
  }

  private static boolean flag(OnlineSettings s, String key, int fallback) {
    int v = s.integer(key, fallback);
    if (v != 0 && v != 1) {
      throw new IllegalArgumentException("--set " + key + "=" + v + ": expected 0 or 1");
    }
    return v == 1;
  }

  private static OnlineRouter joint(String method, OnlineSettings s, int d, long seed) {
    boolean ucb = method.equals("shared-linucb");
    return new JointLinearBandit(
        d,
        ucb ? JointLinearBandit.Exploration.UCB : JointLinearBandit.Exploration.THOMPSON,
        ucb ? s.number("alpha", 3.0) : 0.0,
        ucb ? 1.0 : s.number("posterior_scale", 0.75),
        s.number("lambda", 1.0),
        flag(s, "shared", 1),
        flag(s, "bias", 1),
        flag(s, "interactions", 1),
        s.integer("max_absence", 2000),
        seed);
  }

  private static OnlineRouter slds(
      OnlineSettings s, OnlineStream stream, FeedbackMode mode, long seed) {
    L2dSldsOptions base = L2dSldsOptions.melbourne();
    int regimes = s.integer("regimes", base.regimes());
    int sharedDim = s.integer("shared_dim", base.sharedDim());
    double[] aG = s.numbers("a_g", base.aG());
    double[] qG = s.numbers("q_g", base.qG());
    double[] aU = s.numbers("a_u", base.aU());
    double[] qU = s.numbers("q_u", base.qU());
    double noise = s.number("noise", base.noise());
    double gPrior = s.number("g_prior", base.gPriorVar());
    double loading = s.number("loading", base.loading());
    String exploration = s.choice("exploration", base.exploration(), "g_z", "g", "greedy");
    int mc = s.integer("mc_samples", base.mcSamples());
    String transition = s.choice("transition", base.transition(), "uniform", "attention");
    int deltaMax = s.integer("delta_max", base.maxAbsence());
    String init = s.choice("init", "empirical", "empirical", "none");
    int window = s.integer("init_window", 730);
    double uScale = s.number("u_scale", 1.0);
    if (window < 1) {
      throw new IllegalArgumentException("--set init_window=" + window + ": must be ≥ 1");
    }
    Map<String, Double> noiseByAgent = new HashMap<>();
    double rMean = noise;
    if (init.equals("empirical")) {
      noiseByAgent = empiricalNoise(stream, window);
      double sum = 0.0;
      for (double r : noiseByAgent.values()) {
        sum += r;
      }
      rMean = noiseByAgent.isEmpty() ? noise : sum / noiseByAgent.size();
    }
    double uPrior = Math.max(uScale * rMean / meanSquaredNorm(stream, window), 1e-8);
    L2dSldsOptions options =
        new L2dSldsOptions(
            regimes,
            sharedDim,
            aG,
            qG,
            aU,
            qU,
            noise,
            gPrior,
            uPrior,
            loading,
            deltaMax,
            exploration,
            mc,
            transition);
    return new L2dSlds(stream.contextDim(), mode, options, noiseByAgent, seed);
  }

  /**
   * Each agent's mean squared residual over rounds 1..window where it is available (√(cost − β)
   * standing in for the residual when there is none); agents never available there get the pooled
   * mean; floored at 1e-4. This reads every agent's outcomes: a full-information look.
   */
  public static Map<String, Double> empiricalNoise(OnlineStream stream, int window) {
    int a = stream.agents().size();
    double[] sum = new double[a];
    int[] count = new int[a];
    int end = Math.min(window, stream.rounds() - 1);
    for (int t = 1; t <= end; t++) {
      for (int k = 0; k < a; k++) {
        if (stream.available()[t][k]) {
          double r = stream.residuals()[t][k];
          double sq =
              Double.isNaN(r) ? Math.max(stream.costs()[t][k] - stream.fees()[k], 0.0) : r * r;
          sum[k] += sq;
          count[k]++;
        }
      }
    }
    double pooledSum = 0.0;
    int pooledCount = 0;
    for (int k = 0; k < a; k++) {
      pooledSum += sum[k];
      pooledCount += count[k];
    }
    double pooled = pooledCount == 0 ? 1.0 : pooledSum / pooledCount;
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (int k = 0; k < a; k++) {
      double v = count[k] == 0 ? pooled : sum[k] / count[k];
      out.put(stream.agents().get(k), Math.max(v, 1e-4));
    }
    return out;
  }

  /** mean_t |x_t|² over rounds 1..window (contexts only). */
  static double meanSquaredNorm(OnlineStream stream, int window) {
    int end = Math.min(window, stream.rounds() - 1);
    double total = 0.0;
    int count = 0;
    for (int t = 1; t <= end; t++) {
      double[] x = stream.contexts()[t];
      double s = 0.0;
      for (double v : x) {
        s += v * v;
      }
      total += s;
      count++;
    }
    return count == 0 ? 1.0 : Math.max(total / count, 1e-8);
  }
}

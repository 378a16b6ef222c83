package org.defer4j.core.online;

import java.util.Arrays;

/**
 * The settings of {@link L2dSlds}. Defaults ({@link #melbourne}) are the configuration behind the
 * paper's Melbourne figures, Time_Series_L2D {@code config/config_melbourne_review_tuned.yaml}: M =
 * 2 regimes, d_g = 1, A_g = (0.98, 0.97), Q_g = (0.08, 0.10), A_u = (0.98, 0.97) I, Q_u = (0.05,
 * 0.06) I, R = 0.05 before any initialisation, Δ_max = 2000, exploration "g_z" with 12 Monte-Carlo
 * samples, transition "uniform", B_k loading 1 on φ_0 [verified in code].
 *
 * @param regimes M ≥ 1
 * @param sharedDim d_g ≥ 0 (0 = no shared factor, the paper's "w/o g_t" ablation)
 * @param aG per regime, the shared factor's dynamics A^g_m = a·I
 * @param qG per regime, its process noise Q^g_m = q·I
 * @param aU per regime, the idiosyncratic dynamics A^u_m = a·I
 * @param qU per regime, the idiosyncratic process noise Q^u_m = q·I
 * @param noise R, the observation noise variance of an agent without an estimate
 * @param gPriorVar the shared factor's prior variance (g_0 ~ N(0, v I))
 * @param uPriorVar an entering agent's prior variance (u ~ N(0, v I)); NaN = 0.1, the code's
 *     default, unless an initialisation sets it
 * @param loading B_k[0, 0] (the load of φ_0 on g_1; the rest of B_k is 0)
 * @param maxAbsence Δ_max in rounds
 * @param exploration {@code g_z} (IDS with the information on g and z), {@code g} (on g only) or
 *     {@code greedy} (the myopic choice)
 * @param mcSamples Monte-Carlo samples per regime for the information on z
 * @param transition {@code uniform} (Π = 1/M, what transition_init "uniform" gives with EM off) or
 *     {@code attention} (S = Q_θ(x) K_θ(x)ᵀ/√d, weights drawn N(0, 0.1²) from the seed)
 */
public record L2dSldsOptions(
    int regimes,
    int sharedDim,
    double[] aG,
    double[] qG,
    double[] aU,
    double[] qU,
    double noise,
    double gPriorVar,
    double uPriorVar,
    double loading,
    int maxAbsence,
    String exploration,
    int mcSamples,
    String transition) {

  /** Validates and copies. */
  public L2dSldsOptions {
    if (regimes < 1 || sharedDim < 0) {
      throw new IllegalArgumentException("l2d-slds needs M ≥ 1 and d_g ≥ 0");
    }
    aG = perRegime("A_g", aG, regimes);
    qG = perRegime("Q_g", qG, regimes);
    aU = perRegime("A_u", aU, regimes);
    qU = perRegime("Q_u", qU, regimes);
    if (!(noise > 0.0) || !(gPriorVar > 0.0) || !(uPriorVar > 0.0 || Double.isNaN(uPriorVar))) {
      throw new IllegalArgumentException("l2d-slds needs R > 0 and prior variances > 0");
    }
    if (!exploration.equals("g_z") && !exploration.equals("g") && !exploration.equals("greedy")) {
      throw new IllegalArgumentException(
          "l2d-slds exploration must be g_z, g or greedy, got " + exploration);
    }
    if (!transition.equals("uniform") && !transition.equals("attention")) {
      throw new IllegalArgumentException(
          "l2d-slds transition must be uniform or attention, got " + transition);
    }
    if (mcSamples < 0 || maxAbsence < 1) {
      throw new IllegalArgumentException("l2d-slds needs mc_samples ≥ 0 and delta_max ≥ 1");
    }
  }

  private static double[] perRegime(String what, double[] v, int m) {
    if (v.length == 1 && m > 1) {
      double[] out = new double[m];
      Arrays.fill(out, v[0]);
      return out;
    }
    if (v.length != m) {
      throw new IllegalArgumentException(
          what + " needs one value per regime (" + m + "), got " + v.length);
    }
    return v.clone();
  }

  /** The paper's Melbourne configuration (see the class comment). */
  public static L2dSldsOptions melbourne() {
    return new L2dSldsOptions(
        2,
        1,
        new double[] {0.98, 0.97},
        new double[] {0.08, 0.10},
        new double[] {0.98, 0.97},
        new double[] {0.05, 0.06},
        0.05,
        1.0,
        Double.NaN,
        1.0,
        2000,
        "g_z",
        12,
        "uniform");
  }

  @Override
  public double[] aG() {
    return aG.clone();
  }

  @Override
  public double[] qG() {
    return qG.clone();
  }

  @Override
  public double[] aU() {
    return aU.clone();
  }

  @Override
  public double[] qU() {
    return qU.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L2dSldsOptions p
        && regimes == p.regimes
        && sharedDim == p.sharedDim
        && Arrays.equals(aG, p.aG)
        && Arrays.equals(qG, p.qG)
        && Arrays.equals(aU, p.aU)
        && Arrays.equals(qU, p.qU)
        && Double.compare(noise, p.noise) == 0
        && Double.compare(gPriorVar, p.gPriorVar) == 0
        && Double.compare(uPriorVar, p.uPriorVar) == 0
        && Double.compare(loading, p.loading) == 0
        && maxAbsence == p.maxAbsence
        && exploration.equals(p.exploration)
        && mcSamples == p.mcSamples
        && transition.equals(p.transition);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(regimes, sharedDim, noise, exploration, transition, mcSamples);
  }

  @Override
  public String toString() {
    return "L2dSldsOptions[M="
        + regimes
        + ", d_g="
        + sharedDim
        + ", A_g="
        + Arrays.toString(aG)
        + ", Q_g="
        + Arrays.toString(qG)
        + ", A_u="
        + Arrays.toString(aU)
        + ", Q_u="
        + Arrays.toString(qU)
        + ", R="
        + noise
        + ", exploration="
        + exploration
        + "]";
  }
}

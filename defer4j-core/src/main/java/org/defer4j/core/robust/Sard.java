package org.defer4j.core.robust;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.loss.ComplementaryCostSurrogate;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.train.BatchLoss;
import org.defer4j.core.train.LossExtension;

/**
 * <b>A reconstruction of SARD</b> (Smooth Adversarial Regularized Deferral, Montreuil et al., ICML
 * 2025, arXiv 2502.01027), named {@code sard-r} because the paper's exact regulariser could not be
 * read: METHODS-2 R-B3, built from the survey's description (§7.4) and the smooth adversarial
 * comp-sum losses of Awasthi, Mao, Mohri &amp; Zhong (AISTATS 2023). Adversarial training of the
 * rejector (two-stage) or of the whole scorer (one-stage), any number of experts, minimising
 *
 * <pre>
 *   (1/N) Σ_i [ Σ_j τ_j(z_i)·sup_{x̃ ∈ B_p(x_i, γ)} Φ^u(s(x̃)/ρ, j)
 *               + ν·w_i·sup_{x' ∈ B_p(x_i, γ)} ‖s(x') − s(x_i)‖₂ ] + (λ/2)‖W‖²
 * </pre>
 *
 * <ul>
 *   <li>The first term is the adversarial surrogate of R-B3 step 2. For the two-stage
 *       complementary-cost comp-sum surrogate {@code 2s-comp:u} (eq. 16 / 19) it takes one supremum
 *       per agent, Σ_j τ_j(z_i)·sup_{x̃ ∈ B} Φ^u(s(x̃)/ρ, j) — the upper bound of eq. 20 through
 *       Σ_j τ_j·sup 1[r(x̃) ≠ j] — and ρ &gt; 0 scales the scores (the ρ-margin). For any other
 *       surrogate (one-stage layouts) it takes one supremum of the whole row loss L(s(x̃)/ρ; z_i)
 *       (Madry et al.'s adversarial training), which lets a surrogate whose weights tolerate a
 *       flipped worst case settle for one, so it is the weaker defence.
 *   <li>The second term is R-B3 step 3's smoothness term (the comp-sum loss is Lipschitz in the
 *       scores, so it bounds the loss's change inside the ball), added as a regulariser with weight
 *       ν ≥ 0 (ν = 0: the adversarial surrogate alone) and per-row weight w_i = 1 ({@link
 *       Weighting#UNIT}) or w_i = Σ_j τ_j = (m − 1)·Σ_j c_j over the m agents whose cost the row
 *       records ({@link Weighting#COST}); which one the paper uses is unknown. Its gradient flows
 *       through both s(x') and s(x) (TRADES-like, an ℓ2 score change instead of a KL divergence).
 * </ul>
 *
 * Both maximisers come from T steps of projected gradient ascent of size 2.5·γ/T from a uniform
 * random start, the last iterate kept; x̃ and x' are held fixed in the parameter gradient
 * (Danskin). The paper's guarantees (Bayes and (R, G)-consistency) are not claimed for this
 * reconstruction; the tests check the property they imply on a problem with a known robust optimum
 * ({@code MarginRoutingProblem}).
 *
 * @param radius γ ≥ 0, on the standardised scorer inputs
 * @param norm the ball's norm
 * @param nu ν ≥ 0 (0: the surrogate alone, on s/ρ)
 * @param rho ρ &gt; 0
 * @param steps PGD steps of the inner supremum ≥ 1
 * @param weighting w_i
 * @param seed seed of the inner attack's random starts
 */
public record Sard(
    double radius, Norm norm, double nu, double rho, int steps, Weighting weighting, long seed)
    implements LossExtension {

  /** The method prefix: {@value}. */
  public static final String NAME = "sard-r";

  /** The per-row weight w_i of the smoothness term. */
  public enum Weighting {
    /** w_i = 1. */
    UNIT,
    /** w_i = Σ_j τ_j(z_i), the row's total complementary cost. */
    COST;

    /** Parses {@code unit} or {@code cost}. */
    public static Weighting parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "unit" -> UNIT;
        case "cost" -> COST;
        default ->
            throw new IllegalArgumentException("SARD weighting '" + s + "' is not unit or cost");
      };
    }
  }

  /** Validates. */
  public Sard {
    Checks.checkFinite("SARD radius", radius);
    if (radius < 0) {
      throw new IllegalArgumentException("SARD radius must be >= 0, got " + radius);
    }
    if (norm == null || weighting == null) {
      throw new IllegalArgumentException("SARD needs a norm and a weighting");
    }
    Checks.checkFinite("SARD nu", nu);
    if (nu < 0) {
      throw new IllegalArgumentException("SARD nu must be >= 0, got " + nu);
    }
    if (!(rho > 0 && Double.isFinite(rho))) {
      throw new IllegalArgumentException("SARD rho must be > 0, got " + rho);
    }
    Checks.checkPositive("SARD steps", steps);
  }

  /** γ in ℓ∞, ν = 0, ρ = 1, 5 PGD steps, unit weights, seed 0. */
  public static Sard defaults(double radius) {
    return new Sard(radius, Norm.LINF, 0.0, 1.0, 5, Weighting.UNIT, 0L);
  }

  /** This configuration with another ν. */
  public Sard withNu(double v) {
    return new Sard(radius, norm, v, rho, steps, weighting, seed);
  }

  /** This configuration with another norm. */
  public Sard withNorm(Norm p) {
    return new Sard(radius, p, nu, rho, steps, weighting, seed);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("sard_radius", Double.toString(radius));
    m.put("sard_norm", norm.spec());
    m.put("sard_nu", Double.toString(nu));
    m.put("sard_rho", Double.toString(rho));
    m.put("sard_steps", Integer.toString(steps));
    m.put("sard_weighting", weighting.name().toLowerCase(Locale.ROOT));
    return m;
  }

  @Override
  public BatchLoss extend(
      Surrogate surrogate, BatchLoss loss, Scorer scorer, double[] inputs, CostMatrix costs) {
    double[] w = new double[costs.rows()];
    for (int i = 0; i < w.length; i++) {
      if (weighting == Weighting.UNIT) {
        w[i] = 1.0;
        continue;
      }
      double sum = 0;
      int m = 0;
      for (int j = 0; j < costs.agentCount(); j++) {
        double c = costs.cost(i, j);
        if (!Double.isNaN(c)) {
          sum += c;
          m++;
        }
      }
      w[i] = Math.max(0, m - 1) * sum;
    }
    if (surrogate instanceof ComplementaryCostSurrogate comp) {
      return new SardLoss(this, loss, comp.nu(), costs, scorer, inputs, w);
    }
    return new SardLoss(this, loss, Double.NaN, null, scorer, inputs, w);
  }
}

package org.defer4j.core.loss;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.defer4j.core.task.RegressionLoss;

/**
 * The catalogue of surrogate losses: one static factory per method, and {@link #byName(String)} for
 * the names that configuration files and scripts use. {@link #catalogue()} lists every name with a
 * one-line description.
 *
 * <p>Names (numbers are plain decimals; LINK is {@code log}, {@code mae}, {@code inv} or {@code
 * q:Q}, see {@link Psi}):
 *
 * <pre>
 *   one-stage  ce  ce:ALPHA  cost-sensitive  cost-sensitive:LINK  ova  asym-softmax
 *              realizable  realizable:ALPHA  psi:LINK  lsf  ce-rejector  pr  pr:exp  moe
 *              decoupled  decoupled:LAMBDA  regression  regression:LOSS  regression:LOSS:clip:C
 *              topk  topk:NU
 *   two-stage  2s-sb  2s-pr  2s-comp:NU  2s-psi:LINK  plugin
 * </pre>
 *
 * <p>{@code triage} is a training procedure, not a loss; it is not here. {@code plugin} is a
 * generic plug-in cost regression (masked squared error per agent), in the spirit of Narasimhan et
 * al. 2022 but not their post-hoc estimator. {@code lsf} is a reconstruction, {@code ce-rejector}
 * is experimental; every {@link Entry} says which parts are published and which are defer4j's.
 * {@code dce} was removed ({@link #byName} names the replacement).
 */
public final class Surrogates {
  private Surrogates() {}

  /** Where a catalogue loss comes from. */
  public enum Provenance {
    /** The loss is the cited paper's (or its authors' code's) formula. */
    PUBLISHED,
    /**
     * defer4j's reading of a paper whose equation could not be read: not to be quoted as the
     * paper's loss.
     */
    RECONSTRUCTION,
    /** A construction of defer4j's own (or a generic one), not a paper's loss. */
    EXTENSION,
    /** defer4j's own, with a tested property but no track record yet. */
    EXPERIMENTAL;

    /** The lower-case label printed by {@code methods}. */
    public String label() {
      return switch (this) {
        case PUBLISHED -> "published";
        case RECONSTRUCTION -> "reconstruction";
        case EXTENSION -> "defer4j extension";
        case EXPERIMENTAL -> "defer4j, experimental";
      };
    }
  }

  /**
   * One catalogue line.
   *
   * @param name the name or name pattern accepted by {@link #byName(String)}
   * @param description what it is, with its source, in one line
   * @param layout its score layout
   * @param paper where it comes from (paper, equation, or "defer4j")
   * @param formula the loss, in plain text (p = softmax over the K + J one-stage scores unless said
   *     otherwise; e_j expert j's correctness, c_j its cost, phi(z) = log(1 + e^-z))
   * @param setting one-stage or two-stage, and the experts it takes
   * @param property what is known about it (consistency and the conditions), including known
   *     failures
   * @param provenance published, reconstruction, extension or experimental
   * @param origin the provenance in words, naming the parts that are defer4j's own
   */
  public record Entry(
      String name,
      String description,
      ScoreLayout layout,
      String paper,
      String formula,
      String setting,
      String property,
      Provenance provenance,
      String origin) {}

  /**
   * Names that were in the catalogue and are no longer, with what to use instead: {@link
   * #byName(String)} refuses them with this text.
   */
  private static final java.util.Map<String, String> REMOVED =
      java.util.Map.of(
          "dce",
          "surrogate 'dce' was removed: it was defer4j's reconstruction of Wei et al. 2024's"
              + " dependent cross-entropy and is not Bayes-consistent as a joint loss (a wrong top"
              + " class can lower it); use 'ce-rejector' (experimental, consistent, the same"
              + " model-vs-expert dependence idea) or 'ce'. Saved policies trained with dce still"
              + " load and route as before.");

  private static final String ONE_ANY = "one-stage, one or more experts";
  private static final String ONE_SINGLE = "one-stage, single expert";
  private static final String TWO_ANY = "two-stage (frozen model), one or more experts";

  private static final List<Entry> CATALOGUE =
      List.of(
          new Entry(
              "ce",
              "softmax cross-entropy L_CE (Mozannar & Sontag 2020), multi-expert eq. 7 (Verma et al."
                  + " 2023)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Mozannar & Sontag 2020 (J = 1); Verma, Barrejon & Nalisnick 2023, survey eq. 7 (J >"
                  + " 1)",
              "-log p_y - sum_j e_j log p_perp_j",
              ONE_ANY,
              "Bayes-consistent under argmax for any expert correctness; p_perp_j / sum_k p_k"
                  + " estimates P(expert j right), unbounded above",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "ce:ALPHA",
              "L_CE^alpha, class term weighted alpha in [0,1] when an expert is right (Mozannar &"
                  + " Sontag 2020; the J > 1 weight is defer4j's)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Mozannar & Sontag 2020",
              "-(1 - (1 - alpha) max_j e_j) log p_y - sum_j e_j log p_perp_j",
              ONE_ANY,
              "consistent only at alpha = 1; alpha < 1 is the paper's practical variant, no"
                  + " consistency claim",
              Provenance.PUBLISHED,
              "published for J = 1; for J > 1 the weight uses the best expert's e_j, a defer4j"
                  + " extension (the Multi_L2D code uses expert 0's)"),
          new Entry(
              "cost-sensitive",
              "general cost-sensitive form eq. 4: Psi(p_y) + sum_j (1 - c_j) Psi(p_perp_j), Psi = -log"
                  + " (Charusaie et al. 2022; Mao et al. 2024)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Charusaie et al. 2022 (J = 1); Mao, Mohri & Zhong 2024 (J > 1); survey eq. 4",
              "-log p_y - sum_j (1 - c_j) log p_perp_j",
              ONE_ANY + "; costs in [0, 1]",
              "Bayes-consistent for costs in [0, 1]: the minimiser is p proportional to the"
                  + " expected weights",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "cost-sensitive:LINK",
              "eq. 4 with another comp-sum link (log, mae, inv, q:Q)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Charusaie et al. 2022; Mao, Mohri & Zhong 2024; survey eq. 4",
              "Psi(p_y) + sum_j (1 - c_j) Psi(p_perp_j), Psi = -log, 1 - u, 1/u - 1 or (1 - u^q)/q",
              ONE_ANY + "; costs in [0, 1]",
              "Bayes-consistent for costs in [0, 1]: minimiser p ~ w^(1/(1-q)) (q < 1) or the"
                  + " best vertex (mae), so argmax is the Bayes rule",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "ova",
              "one-vs-all logistic surrogate, calibrated sigma(s_perp) (Verma & Nalisnick 2022;"
                  + " Verma et al. 2023)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Verma & Nalisnick 2022 (J = 1); Verma, Barrejon & Nalisnick 2023 (J > 1)",
              "phi(s_y) + sum_{k != y} phi(-s_k) + sum_j [e_j phi(s_perp_j) + (1 - e_j)"
                  + " phi(-s_perp_j)]",
              ONE_ANY,
              "Bayes-consistent; sigma(s_perp_j) is a calibrated estimate of P(expert j right)"
                  + " in (0, 1)",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "asym-softmax",
              "asymmetric softmax, bounded psi_perp (Cao et al. 2023; several experts are"
                  + " defer4j's)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Cao, Mozannar, Feng, Wei & An 2023",
              "-log psi_y - sum_j [e_j log psi_perp_j + (1 - e_j) log(1 - psi_perp_j)], psi_perp_j"
                  + " = e^s_perp_j / (e^s_perp_j + sum_k e^s_k - max_k e^s_k)",
              ONE_ANY + "; K >= 2",
              "Bayes-consistent with a bounded, calibrated estimate of P(expert right) (the"
                  + " paper's claim, J = 1); argmax of the raw scores is its rule",
              Provenance.PUBLISHED,
              "published for J = 1; the same construction per expert for J > 1 is a defer4j"
                  + " extension"),
          new Entry(
              "realizable",
              "realizable surrogate -log(p_y + sum_j e_j p_perp_j) (Mozannar et al. 2023); not"
                  + " Bayes-consistent under argmax; J > 1 and soft e are defer4j's",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Mozannar, Lang, Wei, Sattigeri, Das & Sontag 2023 (L_RS)",
              "-E[log(p_y + sum_j m_j p_perp_j)], m_j ~ Bernoulli(e_j) independently (= the"
                  + " paper's loss for 0-1 e)",
              ONE_ANY,
              "realizable H-consistent (the paper); NOT Bayes-consistent under argmax, with"
                  + " stochastic experts (excess 0.05 on a two-cell problem) nor with"
                  + " deterministic ones (flat minimiser set: K = 2, eta = (0.6, 0.4), expert"
                  + " always says 0, gradient descent predicts class 1); use psi:mae",
              Provenance.PUBLISHED,
              "published for J = 1 and 0-1 correctness; J > 1 (fails when experts agree) and the"
                  + " expectation over soft e are defer4j extensions"),
          new Entry(
              "realizable:ALPHA",
              "realizable surrogate mixed with (1 - alpha) classifier cross-entropy (authors' code)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "clinicalml/human_ai_deferral code of Mozannar et al. 2023",
              "alpha L_RS + (1 - alpha) (-log softmax_K(s)_y)",
              ONE_ANY,
              "alpha < 1 removes the deterministic-expert tie (the class term fixes the class"
                  + " ratio) but not the stochastic-expert failure; no consistency claim",
              Provenance.PUBLISHED,
              "published (authors' code) for J = 1; J > 1 as for realizable, a defer4j"
                  + " extension"),
          new Entry(
              "psi:LINK",
              "Psi-family eq. 6 / eq. 8 (Mao et al. 2024, 2025); LINK = log, mae, inv or q:Q; only"
                  + " mae is Bayes-consistent under argmax; log/inv/q<0 unbounded below when"
                  + " sum_j (1 - c_j) > 1",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Mao, Mohri & Zhong 2024 (eq. 6, J = 1) and 2025 (eq. 8, J > 1)",
              "(sum_j c_j + 1 - J) Psi(p_y) + sum_j (1 - c_j) Psi(p_y + p_perp_j)",
              ONE_ANY + "; costs in [0, 1]",
              "only psi:mae is Bayes-consistent under argmax (its risk is linear in p; Bayes"
                  + " vertex for any costs in [0, 1]); log and q in (0, 1) fail with stochastic and"
                  + " with deterministic experts; log, inv and q < 0 are unbounded below whenever"
                  + " sum_j (1 - c_j) > 1 (two right experts, or fractional costs such as c ="
                  + " (0.4, 0.4))",
              Provenance.PUBLISHED,
              "published (survey eqs. 6 and 8 letter for letter)"),
          new Entry(
              "lsf",
              "RECONSTRUCTION of a label-smoothing-free cross-entropy for non-zero fees (after Liu"
                  + " et al. 2024; not their equation); has spurious stationary points",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "after Liu, Cao, Zhang, Feng & An 2024 (the paper's equation was not read)",
              "M = max(1, max_j c_j); -log p_y - sum_j (M - c_j) log p_perp_j - (M - 1) log p_yhat,"
                  + " yhat = argmax_k s_k",
              ONE_ANY + "; any costs >= 0",
              "global conditional minimiser is the Bayes rule in every cell tested, but there are"
                  + " spurious stationary points with a wrong top class (about 4 random cells in"
                  + " 10), so gradient training can lock in a wrong class; equals ce for J = 1 and"
                  + " c <= 1",
              Provenance.RECONSTRUCTION,
              "defer4j's reconstruction from the survey's description of Liu et al. 2024, not"
                  + " their loss"),
          new Entry(
              "ce-rejector",
              "EXPERIMENTAL (defer4j's own): class cross-entropy + one deferral logit per expert"
                  + " trained on model-wrong vs expert cost; replaces dce",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "defer4j (replaces the dce reconstruction of Wei, Cao & Feng 2024)",
              "-log softmax_K(s)_y + sum_j [1[yhat != y] phi(d_j) + c_j phi(-d_j)], yhat ="
                  + " argmax_k s_k; defer to argmax_j d_j iff it is > 0",
              ONE_ANY + "; any costs >= 0",
              "Bayes-consistent for any costs >= 0 (derivation in the javadoc; tested at"
                  + " conditional-risk minimisers with class-dependent experts, fees and J = 3)",
              Provenance.EXPERIMENTAL,
              "defer4j's own, experimental"),
          new Entry(
              "pr",
              "one-stage predictor-rejector eq. 5, MAE predictor loss, logistic margin, single"
                  + " expert",
              ScoreLayout.CLASSES_AND_REJECTOR,
              "survey eq. 5; Mao, Mohri & Zhong 2024 (joint predictor-rejector analysis)",
              "(1 - softmax(h)_y) Phi(-r) + c Phi(r), Phi logistic; predict iff r > 0",
              ONE_SINGLE + "; any cost >= 0",
              "given h, the rejector minimiser predicts iff E[c] > 1 - max eta (Bayes); MAE"
                  + " predictor loss as joint training requires",
              Provenance.PUBLISHED,
              "published (survey eq. 5)"),
          new Entry(
              "pr:exp",
              "predictor-rejector eq. 5 with the exponential margin",
              ScoreLayout.CLASSES_AND_REJECTOR,
              "survey eq. 5; Mao, Mohri & Zhong 2024",
              "(1 - softmax(h)_y) e^r + c e^-r; predict iff r > 0",
              ONE_SINGLE + "; any cost >= 0",
              "as pr (rejector minimiser r = log(E c / loss) / 2)",
              Provenance.PUBLISHED,
              "published (survey eq. 5)"),
          new Entry(
              "moe",
              "mixture-of-experts baseline (Madras et al. 2018), gate softmax(0, s_perp); not"
                  + " consistent",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Madras, Pitassi & Zemel 2018 (baseline of Mozannar & Sontag 2020)",
              "pi_0 (-log softmax_K(s)_y) + sum_j pi_j c_j, pi = softmax(0, s_perp_1..J)",
              ONE_ANY + "; any costs >= 0",
              "not Bayes-consistent (defers iff E[c] < H(eta) instead of 1 - max eta); kept as a"
                  + " baseline",
              Provenance.PUBLISHED,
              "published for J = 1; the shared gate for J > 1 is a defer4j extension"),
          new Entry(
              "decoupled",
              "decoupled softmax classifier + per-expert sigmoid, weight lambda/J, lambda = 1"
                  + " (Montreuil et al. 2026, arXiv 2604.09414)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Montreuil, Carlier, Ng & Ooi 2026, arXiv 2604.09414 (abstract read, body not)",
              "-log softmax_K(s)_y + (lambda/J) sum_j [u_j phi(s_perp_j) + (1 - u_j)"
                  + " phi(-s_perp_j)], u_j = e_j or 1 - c_j",
              ONE_ANY,
              "class and expert blocks do not interact; sigma(s_perp_j) estimates P(expert j"
                  + " right); rule: best class posterior vs best expert estimate",
              Provenance.PUBLISHED,
              "published (matches the abstract; the paper's body was not read)"),
          new Entry(
              "decoupled:LAMBDA",
              "decoupled surrogate with total expert weight LAMBDA > 0",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Montreuil, Carlier, Ng & Ooi 2026",
              "as decoupled with lambda = LAMBDA",
              ONE_ANY,
              "as decoupled",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "regression",
              "regression with multi-expert deferral eq. 14 (Mao et al. 2024), squared loss",
              ScoreLayout.PREDICTION_AND_AGENTS,
              "Mao, Mohri & Zhong 2024, Regression with multi-expert deferral; survey eq. 14",
              "[sum_j c_j] l(r,0) + sum_j [L(h,t) + sum_{k != j} c_k] l(r,j) - (J - 1) L(h,t), l"
                  + " = -log softmax",
              "one-stage regression, one or more experts; any costs >= 0",
              "exact rewriting of the target loss; consistency for bounded L (the paper)",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "regression:LOSS",
              "eq. 14 with LOSS = squared, absolute or smooth_l1; add :clip:C to bound it",
              ScoreLayout.PREDICTION_AND_AGENTS,
              "Mao, Mohri & Zhong 2024; survey eq. 14",
              "eq. 14 with L = LOSS, optionally min(L, C)",
              "one-stage regression, one or more experts; any costs >= 0",
              "as regression; the paper assumes a bounded loss (use :clip:C)",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "2s-sb",
              "two-stage score-based surrogate eq. 10 (Mao et al. 2023); scores[0] = model"
                  + " confidence",
              ScoreLayout.AGENTS,
              "Mao, DeSalvo, Mohri & Zhong 2023; survey eqs. 9-10",
              "sum_{j=0..J} (1 - c_j) (-log softmax(s)_j), s_0 = the frozen model's confidence",
              TWO_ANY + "; costs in [0, 1]",
              "minimiser ranks agents by expected cost, so argmax is argmin_j E[c_j] (costs in"
                  + " [0, 1], a property of the formula; costs above 1 are refused: use 2s-comp:NU"
                  + " or plugin)",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "2s-pr",
              "two-stage predictor-rejector surrogate eq. 11 (Mao et al. 2023); J rejector scores",
              ScoreLayout.EXPERT_REJECTORS,
              "Mao, DeSalvo, Mohri & Zhong 2023; survey eq. 11",
              "sum_{j=0..J} (1 - c_j) (-log softmax(0, -r_1..-r_J)_j)",
              TWO_ANY + "; costs in [0, 1]",
              "as 2s-sb: argmin_j E[c_j] (costs in [0, 1]; for larger costs use 2s-comp:NU)",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "2s-comp:NU",
              "complementary-cost comp-sum sum_j tau_j Phi^nu(j), nu >= 0 (eq. 16; 0 = sum-exp,"
                  + " 1 = log-softmax, 2 = MAE)",
              ScoreLayout.AGENTS,
              "survey eq. 16; Montreuil et al. 2025 Lemma 4.3; comp-sum family of Mao, Mohri &"
                  + " Zhong 2023",
              "sum_j tau_j Phi^nu(p_j), tau_j = sum_{i != j} c_i",
              TWO_ANY + "; any bounded costs",
              "argmax of the minimiser is argmin_j E[c_j] for every nu >= 0 and any bounded"
                  + " costs",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "2s-psi:LINK",
              "realizable two-stage family eq. 12 (Mao et al. 2025); LINK = mae, log, inv or q:Q;"
                  + " only mae is safe for general costs",
              ScoreLayout.AGENTS,
              "Mao, Mohri & Zhong 2025; survey eq. 12",
              "sum_j (sum_{i != j} c_i - A + 2) Psi(p_j), the model one of the A agents",
              TWO_ANY,
              "mae is Bayes for any costs (risk linear in p); the other links need non-negative"
                  + " weights, sum_{i != j} c_i >= A - 2 for all j, and are unbounded below"
                  + " otherwise (log, inv, q < 0)",
              Provenance.PUBLISHED,
              "published"),
          new Entry(
              "topk",
              "k-independent top-k surrogate eq. 19 over the K classes and J experts, entity costs"
                  + " eq. 17, trained once for every k (Montreuil et al. 2025); on a two-stage task"
                  + " it is 2s-comp:1",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Montreuil, Carlier, Ng & Ooi 2025, arXiv 2505.10160; survey eqs. 17-19",
              "sum_e tau_e (-log p_e) over the K + J entities, tau_e = sum_{e' != e} c~_e'",
              ONE_ANY + "; any costs >= 0",
              "minimiser orders entities by expected cost, so the top k scores are the Bayes"
                  + " top-k set for every k (tested); the paper's conditions were not read",
              Provenance.PUBLISHED,
              "published (the comp-sum member nu = 1 is defer4j's reading)"),
          new Entry(
              "topk:NU",
              "eq. 19 with the comp-sum member NU >= 0 (the paper's member could not be read)",
              ScoreLayout.CLASSES_AND_EXPERTS,
              "Montreuil, Carlier, Ng & Ooi 2025",
              "sum_e tau_e Phi^nu(p_e)",
              ONE_ANY + "; any costs >= 0",
              "as topk for the comp-sum family",
              Provenance.PUBLISHED,
              "published family; the member choice is defer4j's"),
          new Entry(
              "plugin",
              "generic plug-in cost regression: squared-error s_j ~ -c_j per agent, route argmin"
                  + " of the estimates (in the spirit of Narasimhan et al. 2022, not their"
                  + " estimator)",
              ScoreLayout.AGENTS,
              "generic plug-in rule (seed paper Lemma 4.2); in the spirit of Narasimhan et al."
                  + " 2022, whose post-hoc estimator it is not",
              "1/2 sum_{j available} (s_j + c_j)^2",
              TWO_ANY + "; any costs >= 0",
              "minimiser s_j = -E[c_j | x], so the argmax route is the two-stage Bayes rule with"
                  + " the estimates plugged in",
              Provenance.EXTENSION,
              "a generic construction, not a paper's loss"));

  /** Every catalogue name or pattern with a one-line description, in catalogue order. */
  public static List<Entry> catalogue() {
    return CATALOGUE;
  }

  /** {@code ce}: L_CE with α = 1 (multi-expert survey eq. 7). */
  public static CrossEntropySurrogate crossEntropy() {
    return new CrossEntropySurrogate(1.0);
  }

  /** {@code ce:ALPHA}: L_CE^α, α ∈ [0, 1]. */
  public static CrossEntropySurrogate crossEntropy(double alpha) {
    return new CrossEntropySurrogate(alpha);
  }

  /** {@code cost-sensitive}: survey eq. 4 with the logistic link. */
  public static CostSensitiveSurrogate costSensitive() {
    return new CostSensitiveSurrogate(Psi.LOG);
  }

  /** {@code cost-sensitive:LINK}: survey eq. 4 with a comp-sum link. */
  public static CostSensitiveSurrogate costSensitive(Psi psi) {
    return new CostSensitiveSurrogate(psi);
  }

  /** {@code ova}: one-vs-all. */
  public static OneVsAllSurrogate oneVsAll() {
    return new OneVsAllSurrogate();
  }

  /** {@code asym-softmax}: asymmetric softmax. */
  public static AsymmetricSoftmaxSurrogate asymmetricSoftmax() {
    return new AsymmetricSoftmaxSurrogate();
  }

  /** {@code realizable}: the realizable surrogate (α = 1). */
  public static RealizableSurrogate realizable() {
    return new RealizableSurrogate(1.0);
  }

  /** {@code realizable:ALPHA}: mixed with (1 − α) classifier cross-entropy. */
  public static RealizableSurrogate realizable(double alpha) {
    return new RealizableSurrogate(alpha);
  }

  /** {@code psi:LINK}: the Ψ-family, survey eqs. 6 and 8. */
  public static PsiSurrogate psi(Psi psi) {
    return new PsiSurrogate(psi);
  }

  /** {@code lsf}: label-smoothing-free cross-entropy. */
  public static LabelSmoothingFreeSurrogate labelSmoothingFree() {
    return new LabelSmoothingFreeSurrogate();
  }

  /** {@code ce-rejector}: class cross-entropy and per-expert deferral logits (experimental). */
  public static CrossEntropyRejectorSurrogate crossEntropyRejector() {
    return new CrossEntropyRejectorSurrogate();
  }

  /** {@code pr}: one-stage predictor–rejector with the logistic margin. */
  public static PredictorRejectorSurrogate predictorRejector() {
    return new PredictorRejectorSurrogate(PredictorRejectorSurrogate.Margin.LOGISTIC);
  }

  /** {@code pr} / {@code pr:exp}: one-stage predictor–rejector with the given margin. */
  public static PredictorRejectorSurrogate predictorRejector(
      PredictorRejectorSurrogate.Margin margin) {
    return new PredictorRejectorSurrogate(margin);
  }

  /** {@code moe}: mixture of experts (Madras et al. 2018). */
  public static MixtureOfExpertsSurrogate mixtureOfExperts() {
    return new MixtureOfExpertsSurrogate();
  }

  /** {@code decoupled}: decoupled surrogate with λ = 1. */
  public static DecoupledSurrogate decoupled() {
    return new DecoupledSurrogate(1.0);
  }

  /** {@code decoupled:LAMBDA}: decoupled surrogate with total expert weight λ &gt; 0. */
  public static DecoupledSurrogate decoupled(double lambda) {
    return new DecoupledSurrogate(lambda);
  }

  /** {@code regression:LOSS}: regression with deferral (survey eq. 14), unclipped. */
  public static RegressionDeferralSurrogate regression(RegressionLoss loss) {
    return new RegressionDeferralSurrogate(loss, Double.POSITIVE_INFINITY);
  }

  /** {@code regression:LOSS:clip:C}: regression with deferral, L clipped at {@code clip}. */
  public static RegressionDeferralSurrogate regression(RegressionLoss loss, double clip) {
    return new RegressionDeferralSurrogate(loss, clip);
  }

  /** {@code 2s-sb}: two-stage score-based (survey eq. 10). */
  public static TwoStageSurrogate twoStageScoreBased() {
    return new TwoStageSurrogate(false);
  }

  /** {@code 2s-pr}: two-stage predictor–rejector (survey eq. 11). */
  public static TwoStageSurrogate twoStagePredictorRejector() {
    return new TwoStageSurrogate(true);
  }

  /** {@code 2s-comp:NU}: complementary-cost comp-sum (survey eq. 16), ν ≥ 0. */
  public static ComplementaryCostSurrogate complementaryCost(double nu) {
    return new ComplementaryCostSurrogate(nu);
  }

  /** {@code 2s-psi:LINK}: realizable two-stage family (survey eq. 12). */
  public static TwoStagePsiSurrogate twoStagePsi(Psi psi) {
    return new TwoStagePsiSurrogate(psi);
  }

  /** {@code topk}: the k-independent top-k surrogate (survey eq. 19), comp-sum ν = 1. */
  public static TopKSurrogate topK() {
    return new TopKSurrogate(1.0);
  }

  /** {@code topk:NU}: the top-k surrogate with the comp-sum member ν ≥ 0. */
  public static TopKSurrogate topK(double nu) {
    return new TopKSurrogate(nu);
  }

  /** {@code plugin}: generic per-agent squared-error cost regression. */
  public static PluginSurrogate plugin() {
    return new PluginSurrogate();
  }

  /**
   * The surrogate of a catalogue name, e.g. {@code ce}, {@code psi:mae}, {@code 2s-comp:0.5}.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the valid ones) or a
   *     bad parameter
   */
  public static Surrogate byName(String name) {
    if (name == null) {
      throw unknown("null");
    }
    String s = name.trim();
    int colon = s.indexOf(':');
    String head = colon < 0 ? s : s.substring(0, colon);
    String arg = colon < 0 ? null : s.substring(colon + 1);
    switch (head) {
      case "ce":
        return arg == null ? crossEntropy() : crossEntropy(parseNumber("ce alpha", arg));
      case "cost-sensitive":
        return arg == null ? costSensitive() : costSensitive(Psi.parse(arg));
      case "ova":
        return noArg(head, arg, oneVsAll());
      case "asym-softmax":
        return noArg(head, arg, asymmetricSoftmax());
      case "realizable":
        return arg == null ? realizable() : realizable(parseNumber("realizable alpha", arg));
      case "psi":
        return psi(Psi.parse(required(head, arg, "LINK")));
      case "lsf":
        return noArg(head, arg, labelSmoothingFree());
      case "ce-rejector":
        return noArg(head, arg, crossEntropyRejector());
      case "pr":
        if (arg == null) {
          return predictorRejector();
        }
        if (arg.equals("exp")) {
          return predictorRejector(PredictorRejectorSurrogate.Margin.EXPONENTIAL);
        }
        throw new IllegalArgumentException(
            "pr margin '" + arg + "' is not 'exp'; use pr or pr:exp");
      case "moe":
        return noArg(head, arg, mixtureOfExperts());
      case "decoupled":
        return arg == null ? decoupled() : decoupled(parseNumber("decoupled lambda", arg));
      case "regression":
        return parseRegression(arg);
      case "2s-sb":
        return noArg(head, arg, twoStageScoreBased());
      case "2s-pr":
        return noArg(head, arg, twoStagePredictorRejector());
      case "2s-comp":
        return complementaryCost(parseNumber("2s-comp nu", required(head, arg, "NU")));
      case "2s-psi":
        return twoStagePsi(Psi.parse(required(head, arg, "LINK")));
      case "topk":
        return arg == null ? topK() : topK(parseNumber("topk nu", arg));
      case "plugin":
        return noArg(head, arg, plugin());
      default:
        String removed = REMOVED.get(head);
        if (removed != null) {
          throw new IllegalArgumentException(removed);
        }
        throw unknown(name);
    }
  }

  private static Surrogate parseRegression(String arg) {
    if (arg == null) {
      return regression(RegressionLoss.SQUARED);
    }
    String[] parts = arg.split(":", -1);
    RegressionLoss loss = RegressionLoss.parse(parts[0]);
    if (parts.length == 1) {
      return regression(loss);
    }
    if (parts.length == 3 && parts[1].equals("clip")) {
      return regression(loss, parseNumber("regression clip", parts[2]));
    }
    throw new IllegalArgumentException(
        "regression options '" + arg + "' are not LOSS or LOSS:clip:C, e.g. absolute:clip:5");
  }

  private static Surrogate noArg(String head, String arg, Surrogate s) {
    if (arg != null) {
      throw new IllegalArgumentException(
          head + " takes no parameter, got '" + head + ":" + arg + "'");
    }
    return s;
  }

  private static String required(String head, String arg, String what) {
    if (arg == null || arg.isEmpty()) {
      throw new IllegalArgumentException(head + " needs a parameter: " + head + ":" + what);
    }
    return arg;
  }

  private static IllegalArgumentException unknown(String name) {
    String valid = CATALOGUE.stream().map(Entry::name).collect(Collectors.joining(", "));
    return new IllegalArgumentException("unknown surrogate '" + name + "'; valid names: " + valid);
  }

  /** Plain decimal without trailing zeros: 0.5 → "0.5", 1.0 → "1". */
  static String formatNumber(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /**
   * Parses a finite decimal.
   *
   * @throws IllegalArgumentException naming {@code what} and the text
   */
  static double parseNumber(String what, String text) {
    try {
      double v = Double.parseDouble(text);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the parameter's name
    }
    throw new IllegalArgumentException(
        String.format(Locale.ROOT, "%s must be a finite number, got '%s'", what, text));
  }
}

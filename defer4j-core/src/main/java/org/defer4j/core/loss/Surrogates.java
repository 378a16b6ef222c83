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
 *              realizable  realizable:ALPHA  psi:LINK  lsf  dce  pr  pr:exp  moe
 *              decoupled  decoupled:LAMBDA  regression  regression:LOSS  regression:LOSS:clip:C
 *              topk  topk:NU
 *   two-stage  2s-sb  2s-pr  2s-comp:NU  2s-psi:LINK  plugin
 * </pre>
 *
 * <p>{@code triage} is a training procedure, not a loss; it is not here. {@code plugin} is the
 * plug-in post-hoc estimator written as a masked squared-error regression of each agent's cost.
 */
public final class Surrogates {
  private Surrogates() {}

  /**
   * One catalogue line.
   *
   * @param name the name or name pattern accepted by {@link #byName(String)}
   * @param description what it is, with its source
   * @param layout its score layout
   */
  public record Entry(String name, String description, ScoreLayout layout) {}

  private static final List<Entry> CATALOGUE =
      List.of(
          new Entry(
              "ce",
              "softmax cross-entropy L_CE (Mozannar & Sontag 2020), multi-expert eq. 7 (Verma et al."
                  + " 2023)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "ce:ALPHA",
              "L_CE^alpha, class term weighted alpha in [0,1] when an expert is right (Mozannar &"
                  + " Sontag 2020)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "cost-sensitive",
              "general cost-sensitive form eq. 4: Psi(p_y) + sum_j (1 - c_j) Psi(p_perp_j), Psi = -log"
                  + " (Charusaie et al. 2022; Mao et al. 2024)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "cost-sensitive:LINK",
              "eq. 4 with another comp-sum link (log, mae, inv, q:Q)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "ova",
              "one-vs-all logistic surrogate, calibrated sigma(s_perp) (Verma & Nalisnick 2022;"
                  + " Verma et al. 2023)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "asym-softmax",
              "asymmetric softmax, bounded psi_perp (Cao et al. 2023)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "realizable",
              "realizable surrogate -log(p_y + sum_j e_j p_perp_j) (Mozannar et al. 2023)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "realizable:ALPHA",
              "realizable surrogate mixed with (1 - alpha) classifier cross-entropy (authors' code)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "psi:LINK",
              "Psi-family eq. 6 / eq. 8 (Mao et al. 2024, 2025); LINK = log, mae, inv or q:Q;"
                  + " unbounded below for log/inv when two experts are right",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "lsf",
              "label-smoothing-free cross-entropy for non-zero fees (after Liu et al. 2024;"
                  + " reconstruction)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "dce",
              "dependent cross-entropy, single expert (after Wei et al. 2024; reconstruction)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "pr",
              "one-stage predictor-rejector eq. 5, MAE predictor loss, logistic margin, single"
                  + " expert",
              ScoreLayout.CLASSES_AND_REJECTOR),
          new Entry(
              "pr:exp",
              "predictor-rejector eq. 5 with the exponential margin",
              ScoreLayout.CLASSES_AND_REJECTOR),
          new Entry(
              "moe",
              "mixture-of-experts baseline (Madras et al. 2018), gate softmax(0, s_perp)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "decoupled",
              "decoupled softmax classifier + per-expert sigmoid, weight lambda/J, lambda = 1"
                  + " (Montreuil et al. 2026, arXiv 2604.09414)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "decoupled:LAMBDA",
              "decoupled surrogate with total expert weight LAMBDA > 0",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "regression",
              "regression with multi-expert deferral eq. 14 (Mao et al. 2024), squared loss",
              ScoreLayout.PREDICTION_AND_AGENTS),
          new Entry(
              "regression:LOSS",
              "eq. 14 with LOSS = squared, absolute or smooth_l1; add :clip:C to bound it",
              ScoreLayout.PREDICTION_AND_AGENTS),
          new Entry(
              "2s-sb",
              "two-stage score-based surrogate eq. 10 (Mao et al. 2023); scores[0] = model"
                  + " confidence",
              ScoreLayout.AGENTS),
          new Entry(
              "2s-pr",
              "two-stage predictor-rejector surrogate eq. 11 (Mao et al. 2023); J rejector scores",
              ScoreLayout.EXPERT_REJECTORS),
          new Entry(
              "2s-comp:NU",
              "complementary-cost comp-sum sum_j tau_j Phi^nu(j), nu >= 0 (eq. 16; 0 = sum-exp,"
                  + " 1 = log-softmax, 2 = MAE)",
              ScoreLayout.AGENTS),
          new Entry(
              "2s-psi:LINK",
              "realizable two-stage family eq. 12 (Mao et al. 2025); LINK = mae, log, inv or q:Q",
              ScoreLayout.AGENTS),
          new Entry(
              "topk",
              "k-independent top-k surrogate eq. 19 over the K classes and J experts, entity costs"
                  + " eq. 17, trained once for every k (Montreuil et al. 2025); on a two-stage task"
                  + " it is 2s-comp:1",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "topk:NU",
              "eq. 19 with the comp-sum member NU >= 0 (the paper's member could not be read)",
              ScoreLayout.CLASSES_AND_EXPERTS),
          new Entry(
              "plugin",
              "plug-in post-hoc estimator: squared-error regression s_j ~ -c_j per agent, route"
                  + " argmin of the estimates (Narasimhan et al. 2022)",
              ScoreLayout.AGENTS));

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

  /** {@code dce}: dependent cross-entropy. */
  public static DependentCrossEntropySurrogate dependentCrossEntropy() {
    return new DependentCrossEntropySurrogate();
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

  /** {@code plugin}: per-agent squared-error cost regression (Narasimhan et al. 2022). */
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
      case "dce":
        return noArg(head, arg, dependentCrossEntropy());
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

package org.defer4j.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.DeferralMetrics;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Policies;

/**
 * What a careful user would want to know about a trained policy before trusting it: four checks on
 * the fitted policy, its training table and its validation table, each returned as a {@link
 * Finding} with the numbers behind it (the CLI's {@code train} prints them as warnings).
 *
 * <ul>
 *   <li>{@link Kind#WORSE_THAN_SINGLE_AGENT}: the policy's validation system cost is above that of
 *       the cheapest single agent (the model alone — one-stage: the policy's own classifier — or
 *       one expert alone, the fallback rule filling the cases it did not see).
 *   <li>{@link Kind#STOPPED_EARLY}: early stopping ended a minibatch fit and the kept parameters
 *       are those of one of its first {@link Thresholds#earlyEpochs()} epochs, when the fit was
 *       allowed at least four times as many; the message names the likely cause (unscaled inputs, a
 *       large or a small learning rate).
 *   <li>{@link Kind#ONE_AGENT}: at least {@link Thresholds#concentration()} of the validation cases
 *       go to one agent while another agent alone is cheaper there.
 *   <li>{@link Kind#TOO_FEW_ROWS}: fewer than {@link Thresholds#rowsPerParameter()} training rows
 *       per scorer parameter.
 * </ul>
 *
 * The first three need a validation table; without one only the last is checked.
 */
public final class TrainingDiagnostics {
  private TrainingDiagnostics() {}

  /** What a finding is about. */
  public enum Kind {
    /** Validation cost above the cheapest single agent's. */
    WORSE_THAN_SINGLE_AGENT,
    /** The kept epoch is one of the first few. */
    STOPPED_EARLY,
    /** (Almost) every validation case goes to one agent while another is cheaper. */
    ONE_AGENT,
    /** Few training rows per parameter. */
    TOO_FEW_ROWS
  }

  /**
   * One finding.
   *
   * @param kind what it is about
   * @param message one line with the numbers behind it
   */
  public record Finding(Kind kind, String message) {}

  /**
   * When the checks fire.
   *
   * @param concentration share of validation cases to one agent at or above which {@link
   *     Kind#ONE_AGENT} is checked, in (0, 1]
   * @param earlyEpochs a kept epoch at or below this counts as stopped early
   * @param rowsPerParameter fewer training rows per scorer parameter than this warn
   */
  public record Thresholds(double concentration, int earlyEpochs, double rowsPerParameter) {
    /** Validates. */
    public Thresholds {
      if (!(concentration > 0 && concentration <= 1)) {
        throw new IllegalArgumentException(
            "concentration threshold must be in (0, 1], got " + concentration);
      }
      if (earlyEpochs < 1) {
        throw new IllegalArgumentException("early epochs must be >= 1, got " + earlyEpochs);
      }
      if (!(rowsPerParameter >= 0) || Double.isInfinite(rowsPerParameter)) {
        throw new IllegalArgumentException(
            "rows per parameter must be finite and >= 0, got " + rowsPerParameter);
      }
    }

    /** 95 % to one agent, kept epoch 1 or 2, 2 rows per parameter. */
    public static Thresholds defaults() {
      return new Thresholds(0.95, 2, 2.0);
    }
  }

  /** The checks with {@link Thresholds#defaults()}. */
  public static List<Finding> check(
      LearnedPolicy policy, DeferralTable train, DeferralTable validation) {
    return check(policy, train, validation, Thresholds.defaults());
  }

  /**
   * Runs the checks.
   *
   * @param policy a policy trained on {@code train} (its committee, if any, is ignored); it decides
   *     the validation cases among the agents that answered them, as {@link Evaluation} does
   * @param train its training table
   * @param validation its validation table, or null
   * @param t when the checks fire
   * @return the findings, in the order of {@link Kind}; empty when none fires
   */
  public static List<Finding> check(
      LearnedPolicy policy, DeferralTable train, DeferralTable validation, Thresholds t) {
    List<Finding> out = new ArrayList<>();
    LearnedPolicy p = policy.withCommittee(null);
    if (validation != null) {
      Decisions learned = p.decide(validation, Availability.observed(p.task(), validation));
      CostMatrix costs = Evaluation.costs(p.task(), validation, learned);
      DeferralReport own = DeferralMetrics.evaluate(costs, learned, validation);
      Map<String, Double> alone = singleAgentCosts(p, validation, costs);
      String bestName = null;
      double best = Double.POSITIVE_INFINITY;
      for (Map.Entry<String, Double> e : alone.entrySet()) {
        if (e.getValue() < best) {
          best = e.getValue();
          bestName = e.getKey();
        }
      }
      if (bestName != null && own.meanCost() > best + 1e-12) {
        out.add(
            new Finding(
                Kind.WORSE_THAN_SINGLE_AGENT,
                String.format(
                    Locale.ROOT,
                    "validation cost %.4f is worse than %s alone (%.4f); try train --tune, a"
                        + " larger --lr or more --epochs",
                    own.meanCost(),
                    label(p, bestName),
                    best)));
      }
      earlyStop(p, train, t).ifPresent(out::add);
      for (Map.Entry<String, Double> share : own.allocation().entrySet()) {
        if (share.getValue() >= t.concentration()) {
          Double mine = alone.get(share.getKey());
          for (Map.Entry<String, Double> other : alone.entrySet()) {
            if (!other.getKey().equals(share.getKey())
                && mine != null
                && other.getValue() < mine - 1e-12) {
              out.add(
                  new Finding(
                      Kind.ONE_AGENT,
                      String.format(
                          Locale.ROOT,
                          "the policy sends %.1f %% of the validation cases to %s (>= %.0f %%)"
                              + " although %s alone is cheaper there (%.4f against %.4f)",
                          100 * share.getValue(),
                          label(p, share.getKey()),
                          100 * t.concentration(),
                          label(p, other.getKey()),
                          other.getValue(),
                          mine)));
              break;
            }
          }
        }
      }
    }
    int params = p.scorer().parameterCount();
    double ratio = (double) train.rows() / params;
    if (ratio < t.rowsPerParameter()) {
      out.add(
          new Finding(
              Kind.TOO_FEW_ROWS,
              String.format(
                  Locale.ROOT,
                  "%d training rows for %d scorer parameters (%.2f rows per parameter, below %s);"
                      + " expect overfitting: add rows, a larger --l2, or fewer features or"
                      + " experts",
                  train.rows(),
                  params,
                  ratio,
                  trim(t.rowsPerParameter()))));
    }
    return out;
  }

  /**
   * Each single agent's validation cost: the model alone (one-stage: the policy's classifier) and
   * each expert alone, the cases where the expert did not answer going to the first available agent
   * (the fallback rule of {@link Decisions}).
   *
   * @return agent name → mean system cost, in agent order
   */
  public static Map<String, Double> singleAgentCosts(LearnedPolicy policy, DeferralTable table) {
    LearnedPolicy p = policy.withCommittee(null);
    Decisions d = p.decide(table, Availability.observed(p.task(), table));
    return singleAgentCosts(p, table, Evaluation.costs(p.task(), table, d));
  }

  private static Map<String, Double> singleAgentCosts(
      LearnedPolicy p, DeferralTable table, CostMatrix costs) {
    Availability av = Availability.observed(p.task(), table);
    Map<String, Double> out = new LinkedHashMap<>();
    String[] names = p.task().agents().names();
    for (int a = 0; a < names.length; a++) {
      Decisions d = (a == 0 ? Policies.model() : Policies.expert(names[a])).decide(table, av);
      out.put(names[a], DeferralMetrics.evaluate(costs, d, table).meanCost());
    }
    return out;
  }

  private static java.util.Optional<Finding> earlyStop(
      LearnedPolicy p, DeferralTable train, Thresholds t) {
    var prov = p.provenance();
    String algorithm = prov.algorithm();
    String maxText = prov.options().get("max_epochs");
    if (maxText == null || algorithm.equals("lbfgs") || prov.bestEpoch() < 1) {
      return java.util.Optional.empty();
    }
    int max = Integer.parseInt(maxText);
    if (prov.bestEpoch() > t.earlyEpochs() || max < 4 * t.earlyEpochs() || prov.epochs() >= max) {
      return java.util.Optional.empty();
    }
    String cause;
    String lrText = prov.options().get("learning_rate");
    double lr = lrText == null ? Double.NaN : Double.parseDouble(lrText);
    double spread = rawScaleSpread(p, train);
    if (spread > 100) {
      cause =
          String.format(
              Locale.ROOT,
              "the inputs are not standardised and their standard deviations differ by a factor"
                  + " of %.0f; drop --no-standardize",
              spread);
    } else if (lr >= 0.03) {
      cause = "the learning rate " + trim(lr) + " may be too high; try a smaller --lr";
    } else if (lr <= 1e-3) {
      cause =
          "the learning rate "
              + trim(lr)
              + " may be too small to improve within the patience; try a larger --lr or"
              + " --patience";
    } else {
      cause = "the validation cost stopped improving at once: try --tune, or a larger --l2";
    }
    return java.util.Optional.of(
        new Finding(
            Kind.STOPPED_EARLY,
            String.format(
                Locale.ROOT,
                "training kept epoch %d of %d run (at most %d): %s",
                prov.bestEpoch(),
                prov.epochs(),
                max,
                cause)));
  }

  /**
   * The ratio of the largest to the smallest standard deviation of the training inputs when the
   * policy does not standardise them (1 when it does, or with fewer than two varying inputs).
   */
  static double rawScaleSpread(LearnedPolicy p, DeferralTable train) {
    if (p.features().standardization() != null || train.featureCount() == 0) {
      return 1;
    }
    int d = train.featureCount();
    int n = train.rows();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += train.feature(i, j);
      }
      mean /= n;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        double z = train.feature(i, j) - mean;
        ss += z * z;
      }
      double sd = Math.sqrt(ss / n);
      if (sd > 1e-12 && Double.isFinite(sd)) {
        lo = Math.min(lo, sd);
        hi = Math.max(hi, sd);
      }
    }
    return hi > 0 && lo < Double.POSITIVE_INFINITY ? hi / lo : 1;
  }

  private static String label(LearnedPolicy p, String agent) {
    String model = p.task().agents().model().name();
    if (!agent.equals(model)) {
      return "expert " + agent;
    }
    return model.equals(org.defer4j.core.agent.AgentSet.LEARNED_MODEL)
        ? "the model"
        : "the model " + model;
  }

  private static String trim(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}

package org.defer4j.core.policy;

import java.util.Arrays;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;

/**
 * Chow's confidence threshold around a frozen model: keep a case with the model when the model's
 * largest class probability {@code m(x) = max_k m.<model>.p.k} is at least τ, and defer it
 * otherwise:
 *
 * <pre>
 *   r(x) = expert   if m(x) &lt; τ   (or m(x) is not recorded on the row)
 *          model    otherwise
 * </pre>
 *
 * The expert is the named one, or by default the first expert (agent 1). A row whose confidence is
 * not recorded (the model did not see it) is deferred, since the model is unavailable there anyway.
 * A row with m(x) = 1 is never deferred, whatever τ ∈ [0, 1].
 *
 * <p>τ should be chosen with {@link #tune} on a <em>validation</em> table, never on the table the
 * policy is evaluated on: choosing τ on the test rows would report an optimistically biased cost
 * (model selection on the test set).
 *
 * <p>Reference: C. K. Chow, "On optimum recognition error and reject tradeoff", IEEE Trans.
 * Information Theory, 1970; the L2D survey lists it as the confidence baseline.
 */
public final class ConfidenceThreshold extends PreferencePolicy {
  private final double tau;
  private final String expert;

  /**
   * @param tau the threshold τ ∈ [0, 1]
   * @param expert the expert to defer to, or {@code null} for the first expert
   * @throws IllegalArgumentException when τ is not in [0, 1]
   */
  public ConfidenceThreshold(double tau, String expert) {
    Checks.checkProbability("confidence threshold tau", tau);
    this.tau = tau;
    this.expert = expert;
  }

  /** The threshold τ. */
  public double tau() {
    return tau;
  }

  /** The named expert, or {@code null} when the policy defers to the first expert. */
  public String expert() {
    return expert;
  }

  @Override
  public String name() {
    String t = "threshold:" + tau;
    return expert == null ? t : t + ":" + expert;
  }

  @Override
  int[] preferred(DeferralTable cases, Availability availability) {
    double[] conf = confidences(cases, availability.agents());
    int target = target(availability.agents(), expert);
    int[] pref = new int[conf.length];
    for (int i = 0; i < conf.length; i++) {
      pref[i] = defers(conf[i], tau) ? target : 0;
    }
    return pref;
  }

  private static boolean defers(double confidence, double tau) {
    return Double.isNaN(confidence) || confidence < tau;
  }

  /**
   * Chooses τ on a validation table: the τ that minimises the mean (weighted, when the table has
   * weights) system cost of the thresholded policy on that table, fallbacks included. Candidates
   * are 0 (defer nothing that has a confidence), the midpoints between consecutive distinct
   * confidences, and 1 (defer every row with m(x) &lt; 1); ties go to the smallest τ, which defers
   * least.
   *
   * <p>Pass a validation split here, never the test split the policy will be evaluated on.
   *
   * @param validation the validation table, with the frozen model's probabilities
   * @param validationCosts the validation table's cost matrix
   * @param expertOrNull the expert to defer to, or {@code null} for the first expert
   * @return the tuned policy
   * @throws IllegalArgumentException when the table lacks the model's probabilities, the task has
   *     no expert, the rows differ, or a row has no available agent
   */
  public static ConfidenceThreshold tune(
      DeferralTable validation, CostMatrix validationCosts, String expertOrNull) {
    org.defer4j.core.Checks.checkDimension(
        "rows of table " + validation.source(), validationCosts.rows(), validation.rows());
    double[] conf = confidences(validation, validationCosts.agents());
    int target = target(validationCosts.agents(), expertOrNull);
    int n = conf.length;
    double[] keep = new double[n];
    double[] defer = new double[n];
    double base = 0;
    int finite = 0;
    for (int i = 0; i < n; i++) {
      double w = weight(validation, i);
      keep[i] = w * resolvedCost(validationCosts, i, 0);
      defer[i] = w * resolvedCost(validationCosts, i, target);
      if (Double.isNaN(conf[i])) {
        base += defer[i];
      } else {
        base += keep[i];
        finite++;
      }
    }
    Integer[] order = new Integer[finite];
    int f = 0;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(conf[i])) {
        order[f++] = i;
      }
    }
    Arrays.sort(order, (a, b) -> Double.compare(conf[a], conf[b]));
    double bestTau = 0.0;
    double bestCost = base;
    double total = base;
    int k = 0;
    while (k < finite) {
      double v = conf[order[k]];
      while (k < finite && conf[order[k]] == v) {
        total += defer[order[k]] - keep[order[k]];
        k++;
      }
      double tau;
      if (k < finite) {
        tau = 0.5 * (v + conf[order[k]]);
      } else if (v < 1.0) {
        tau = 1.0;
      } else {
        break;
      }
      if (total < bestCost) {
        bestCost = total;
        bestTau = tau;
      }
    }
    return new ConfidenceThreshold(bestTau, expertOrNull);
  }

  private static double weight(DeferralTable table, int i) {
    return Checks.checkNonNegative("weight of row " + i, table.weight(i));
  }

  private static double resolvedCost(CostMatrix costs, int i, int preferred) {
    int j = costs.available(i, preferred) ? preferred : Decisions.firstAvailable(costs, i);
    return costs.cost(i, j);
  }

  private static int target(AgentSet agents, String expert) {
    if (expert != null) {
      return expertIndex(agents, expert);
    }
    if (agents.expertCount() == 0) {
      throw new IllegalArgumentException(
          "a confidence threshold needs an expert to defer to; the task declares none");
    }
    return 1;
  }

  /** The frozen model's largest class probability per row (NaN where not recorded). */
  static double[] confidences(DeferralTable table, AgentSet agents) {
    if (table == null) {
      throw new IllegalArgumentException(
          "a confidence threshold reads the model's probabilities from the table; got no table");
    }
    String model = agents.model().name();
    if (!table.agents().containsKey(model)) {
      throw new IllegalArgumentException(
          table.source()
              + ": a confidence threshold needs the frozen model's probabilities m."
              + model
              + ".p.*, but the table has no column for agent '"
              + model
              + "'");
    }
    AgentColumns cols = table.agent(model);
    if (!cols.hasProbabilities()) {
      throw new IllegalArgumentException(
          table.source()
              + ": a confidence threshold needs the frozen model's probabilities m."
              + model
              + ".p.*; the table has none");
    }
    double[] conf = new double[table.rows()];
    for (int i = 0; i < conf.length; i++) {
      conf[i] = cols.maxProbability(i);
    }
    return conf;
  }
}

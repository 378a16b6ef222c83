package org.defer4j.core.metric;

import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;

/**
 * The coverage curves of an {@link Evaluator}: a learned policy's own margin sweep, and the oracle
 * and random references over all available agents. Every curve keeps the rows the model cannot take
 * deferred and the rows no expert can take kept, so coverage is the share the model really answers
 * (from the share of rows without an available expert to the share with the model available).
 */
final class CoverageCurves {
  private CoverageCurves() {}

  /** The oracle and random curves of one cost matrix. */
  record Reference(AccuracyCoverageCurve oracle, AccuracyCoverageCurve random) {}

  /**
   * The margin curve of a learned policy: the cases with the largest margins are deferred first,
   * each to the policy's best-scored expert among those available (to the policy and in the costs;
   * lowest index on ties), the others kept by the model.
   *
   * @param w row weights or null for unit weights
   * @throws IllegalArgumentException when the decisions carry no scores, or a row has neither the
   *     model nor an expert available
   */
  static AccuracyCoverageCurve margin(
      String entry, CostMatrix costs, Decisions d, double[] margins, double[] w) {
    if (!d.hasScores()) {
      throw new IllegalArgumentException(
          "entry '"
              + entry
              + "': a margin curve defers each case to the policy's best-scored expert, so its"
              + " decisions must carry the agent scores");
    }
    int n = costs.rows();
    int a = costs.agentCount();
    Availability av = d.availability();
    String label = "entry '" + entry + "'";
    double[] keepCost = new double[n];
    double[] deferCost = new double[n];
    byte[] keepCorrect = new byte[n];
    byte[] deferCorrect = new byte[n];
    byte[] state = new byte[n];
    for (int i = 0; i < n; i++) {
      int best = -1;
      double bestScore = 0;
      for (int j = 1; j < a; j++) {
        if (costs.available(i, j) && (av == null || av.available(i, j))) {
          double s = d.score(i, j);
          if (best < 0 || s > bestScore) {
            best = j;
            bestScore = s;
          }
        }
      }
      boolean keep = costs.available(i, 0) && (av == null || av.available(i, 0));
      state[i] = state(label, i, keep, best >= 0);
      if (keep) {
        keepCost[i] = costs.cost(i, 0);
        keepCorrect[i] = costs.correct(i, 0);
      }
      if (best >= 0) {
        deferCost[i] = costs.cost(i, best);
        deferCorrect[i] = costs.correct(i, best);
      }
    }
    return AccuracyCoverageCurve.sweep(
        n, w, keepCost, keepCorrect, deferCost, deferCorrect, state, margins);
  }

  /**
   * The oracle curve (keep with the model the cases where keeping costs least relative to the
   * cheapest available expert, send the rest to that expert) and the expected random curve (defer a
   * uniformly random share of the cases, to the experts in proportion to the oracle's expert
   * allocation), both on one cost matrix.
   */
  static Reference reference(CostMatrix costs, double[] w) {
    int n = costs.rows();
    int a = costs.agentCount();
    double[] keepCost = new double[n];
    double[] deferCost = new double[n];
    byte[] keepCorrect = new byte[n];
    byte[] deferCorrect = new byte[n];
    byte[] state = new byte[n];
    double[] advantage = new double[n];
    double[] oracleShare = new double[a];
    for (int i = 0; i < n; i++) {
      double wi = w == null ? 1.0 : w[i];
      int best = -1;
      for (int j = 1; j < a; j++) {
        if (costs.available(i, j) && (best < 0 || costs.cost(i, j) < costs.cost(i, best))) {
          best = j;
        }
      }
      boolean keep = costs.available(i, 0);
      state[i] = state("the oracle curve", i, keep, best >= 0);
      if (keep) {
        keepCost[i] = costs.cost(i, 0);
        keepCorrect[i] = costs.correct(i, 0);
      }
      if (best >= 0) {
        deferCost[i] = costs.cost(i, best);
        deferCorrect[i] = costs.correct(i, best);
        // The oracle (cheapest agent, the model on ties) defers iff an expert is strictly cheaper.
        if (!keep || deferCost[i] < keepCost[i]) {
          oracleShare[best] += wi;
        }
      }
      advantage[i] = keep && best >= 0 ? keepCost[i] - deferCost[i] : 0.0;
    }
    AccuracyCoverageCurve oracle =
        AccuracyCoverageCurve.sweep(
            n, w, keepCost, keepCorrect, deferCost, deferCorrect, state, advantage);
    return new Reference(oracle, random(costs, w, state, oracleShare));
  }

  /**
   * The expected curve of random deferral: each case that can go either way is deferred with
   * probability s, to expert j with probability π_j restricted to the experts available on the row
   * and renormalised (uniform over them when the oracle never used any of them); π is the oracle's
   * expert allocation (uniform when the oracle defers nothing). Cases the model cannot take are
   * deferred the same way at every s. Its expected accuracy and cost are linear in s, so the curve
   * is the segment between s = 1 and s = 0.
   */
  private static AccuracyCoverageCurve random(
      CostMatrix costs, double[] w, byte[] state, double[] oracleShare) {
    int n = costs.rows();
    int a = costs.agentCount();
    double[] pi = oracleShare.clone();
    double sum = 0;
    for (int j = 1; j < a; j++) {
      sum += pi[j];
    }
    if (!(sum > 0)) {
      for (int j = 1; j < a; j++) {
        pi[j] = 1;
      }
    }
    double total = 0;
    double fixedKept = 0;
    double movableWeight = 0;
    // Sums over the fixed rows, then the movable rows' parts when deferred (d) and kept (k).
    double fixedCost = 0;
    double fixedCorrect = 0;
    boolean fixedUnknown = false;
    double dCost = 0;
    double dCorrect = 0;
    boolean dUnknown = false;
    double kCost = 0;
    double kCorrect = 0;
    boolean kUnknown = false;
    boolean fixedDeferred = false;
    boolean anyMovable = false;
    for (int i = 0; i < n; i++) {
      double wi = w == null ? 1.0 : w[i];
      total += wi;
      byte s = state[i];
      if (s == AccuracyCoverageCurve.KEPT) {
        fixedKept += wi;
        fixedCost += wi * costs.cost(i, 0);
        byte k = costs.correct(i, 0);
        if (k == CostMatrix.UNKNOWN) {
          fixedUnknown = true;
        } else {
          fixedCorrect += wi * k;
        }
        continue;
      }
      double norm = 0;
      int availableExperts = 0;
      for (int j = 1; j < a; j++) {
        if (costs.available(i, j)) {
          norm += pi[j];
          availableExperts++;
        }
      }
      double c = 0;
      double k = 0;
      boolean unknown = false;
      for (int j = 1; j < a; j++) {
        if (!costs.available(i, j)) {
          continue;
        }
        double p = norm > 0 ? pi[j] / norm : 1.0 / availableExperts;
        if (p == 0) {
          continue;
        }
        c += p * costs.cost(i, j);
        byte kj = costs.correct(i, j);
        if (kj == CostMatrix.UNKNOWN) {
          unknown = true;
        } else {
          k += p * kj;
        }
      }
      if (s == AccuracyCoverageCurve.DEFERRED) {
        fixedDeferred = true;
        fixedCost += wi * c;
        fixedCorrect += wi * k;
        fixedUnknown |= unknown;
        continue;
      }
      anyMovable = true;
      movableWeight += wi;
      dCost += wi * c;
      dCorrect += wi * k;
      dUnknown |= unknown;
      kCost += wi * costs.cost(i, 0);
      byte k0 = costs.correct(i, 0);
      if (k0 == CostMatrix.UNKNOWN) {
        kUnknown = true;
      } else {
        kCorrect += wi * k0;
      }
    }
    if (!(total > 0)) {
      return AccuracyCoverageCurve.ofPoints(
          new double[] {Double.NaN}, new double[] {Double.NaN}, new double[] {Double.NaN});
    }
    double c0 = fixedKept / total;
    double accDeferred = fixedUnknown || dUnknown ? Double.NaN : (fixedCorrect + dCorrect) / total;
    double costDeferred = (fixedCost + dCost) / total;
    if (!anyMovable) {
      return AccuracyCoverageCurve.ofPoints(
          new double[] {c0}, new double[] {accDeferred}, new double[] {costDeferred});
    }
    double c1 = fixedDeferred ? (fixedKept + movableWeight) / total : 1.0;
    double accKept = fixedUnknown || kUnknown ? Double.NaN : (fixedCorrect + kCorrect) / total;
    double costKept = (fixedCost + kCost) / total;
    return AccuracyCoverageCurve.ofPoints(
        new double[] {c0, c1},
        new double[] {accDeferred, accKept},
        new double[] {costDeferred, costKept});
  }

  private static byte state(String entry, int row, boolean keep, boolean defer) {
    if (keep && defer) {
      return AccuracyCoverageCurve.MOVABLE;
    }
    if (keep) {
      return AccuracyCoverageCurve.KEPT;
    }
    if (defer) {
      return AccuracyCoverageCurve.DEFERRED;
    }
    throw new IllegalArgumentException(
        entry
            + ": row "
            + (row + 1)
            + ": neither the model nor an expert is available, so no curve can place it");
  }
}

package org.defer4j.ortools;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import org.defer4j.core.Checks;
import org.defer4j.core.constraint.LinearDeferralMilp;

/**
 * {@link LinearDeferralMilp} on OR-Tools' {@code MPSolver} with SCIP (bundled in OR-Tools 9.12),
 * one thread, so a run is reproducible. The program is exactly the one the interface states; the
 * time limit is SCIP's wall-clock limit, and the gap is computed from SCIP's objective and best
 * bound.
 */
public final class ScipDeferralMilp implements LinearDeferralMilp {

  /** The solver; loads OR-Tools' native library on first use. */
  public ScipDeferralMilp() {
    NativeLibrary.load();
  }

  @Override
  public String name() {
    return "ortools-scip";
  }

  @Override
  public Solution solve(
      double[] x,
      int n,
      int d,
      int[] label,
      int classes,
      double[] weight,
      double modelErrorCost,
      double modelFee,
      double[] expertCost,
      Options options) {
    Checks.checkDimension("inputs", x.length, n * d);
    Checks.checkDimension("labels", label.length, n);
    Checks.checkDimension("weights", weight.length, n);
    Checks.checkDimension("expert costs", expertCost.length, n);
    if (classes < 2) {
      throw new IllegalArgumentException("the MILP needs at least 2 classes, got " + classes);
    }
    boolean binary = classes == 2;
    int heads = binary ? 1 : classes;
    double c = options.bound();
    double gamma = options.margin();
    double bigH = (binary ? 2 * c : 4 * c) + gamma;
    double bigR = 2 * c + gamma;
    MPSolver solver = MPSolver.createSolver("SCIP");
    if (solver == null) {
      throw new IllegalStateException("OR-Tools was built without SCIP");
    }
    try {
      solver.setNumThreads(1);
      solver.setTimeLimit(Math.max(1L, Math.round(options.timeLimitSeconds() * 1000)));
      MPObjective objective = solver.objective();
      objective.setMinimization();
      MPVariable[][] h = new MPVariable[heads][d + 1];
      MPVariable[] r = new MPVariable[d + 1];
      for (int k = 0; k < heads; k++) {
        for (int j = 0; j <= d; j++) {
          h[k][j] = solver.makeNumVar(-c, c, "h" + k + "_" + j);
        }
      }
      for (int j = 0; j <= d; j++) {
        r[j] = solver.makeNumVar(-c, c, "r" + j);
      }
      if (options.l1() > 0) {
        for (int k = 0; k < heads; k++) {
          for (int j = 1; j <= d; j++) {
            absolute(solver, objective, h[k][j], options.l1(), c);
          }
        }
        for (int j = 1; j <= d; j++) {
          absolute(solver, objective, r[j], options.l1(), c);
        }
      }
      MPVariable[] defer = new MPVariable[n];
      MPConstraint coverage = null;
      if (options.maxDeferralShare() < 1.0) {
        coverage =
            solver.makeConstraint(0, Math.floor(options.maxDeferralShare() * n + 1e-9), "coverage");
      }
      double offset = 0;
      for (int i = 0; i < n; i++) {
        int y = label[i];
        if (y < 0 || y >= classes) {
          throw new IllegalArgumentException(
              "row " + (i + 1) + ": class index " + y + " is not in 0.." + (classes - 1));
        }
        double w = weight[i];
        MPVariable psi = solver.makeBoolVar("psi" + i);
        MPVariable ri = solver.makeBoolVar("defer" + i);
        defer[i] = ri;
        MPVariable phi = solver.makeNumVar(0, 1, "phi" + i);
        // φ_i ≥ ψ_i − r_i
        MPConstraint kept = solver.makeConstraint(0, MPSolver.infinity());
        kept.setCoefficient(phi, 1);
        kept.setCoefficient(psi, -1);
        kept.setCoefficient(ri, 1);
        objective.setCoefficient(phi, w * modelErrorCost);
        // β_0 (1 − r_i) + c_i r_i
        offset += w * modelFee;
        if (Double.isNaN(expertCost[i])) {
          ri.setUb(0);
        } else {
          objective.setCoefficient(ri, w * (expertCost[i] - modelFee));
        }
        if (binary) {
          // M ψ_i + y_i H·x̃_i ≥ γ
          double sign = y == 1 ? 1 : -1;
          MPConstraint m = solver.makeConstraint(gamma, MPSolver.infinity());
          m.setCoefficient(psi, bigH);
          dot(m, h[0], x, i, d, sign);
        } else {
          for (int l = 0; l < classes; l++) {
            if (l == y) {
              continue;
            }
            // M ψ_i + (H_y − H_l)·x̃_i ≥ γ
            MPConstraint m = solver.makeConstraint(gamma, MPSolver.infinity());
            m.setCoefficient(psi, bigH);
            dot(m, h[y], x, i, d, 1);
            dot(m, h[l], x, i, d, -1);
          }
        }
        // r = 1 ⇒ R·x̃ ≥ γ:  R·x̃ − (K + γ) r ≥ −K  (K = bigR)
        MPConstraint lo = solver.makeConstraint(-bigR, MPSolver.infinity());
        dot(lo, r, x, i, d, 1);
        lo.setCoefficient(ri, -(bigR + gamma));
        // r = 0 ⇒ R·x̃ ≤ −γ:  R·x̃ − (K + γ) r ≤ −γ
        MPConstraint hi = solver.makeConstraint(-MPSolver.infinity(), -gamma);
        dot(hi, r, x, i, d, 1);
        hi.setCoefficient(ri, -(bigR + gamma));
        if (coverage != null) {
          coverage.setCoefficient(ri, 1);
        }
      }
      objective.setOffset(offset);
      MPSolver.ResultStatus status = solver.solve();
      if (status != MPSolver.ResultStatus.OPTIMAL && status != MPSolver.ResultStatus.FEASIBLE) {
        throw new IllegalArgumentException(
            "the MILP found no feasible solution within "
                + options.timeLimitSeconds()
                + " s (SCIP status "
                + status
                + "); raise the time limit or loosen the coverage constraint");
      }
      double[] hv = new double[heads * (d + 1)];
      for (int k = 0; k < heads; k++) {
        for (int j = 0; j <= d; j++) {
          hv[k * (d + 1) + j] = h[k][j].solutionValue();
        }
      }
      double[] rv = new double[d + 1];
      for (int j = 0; j <= d; j++) {
        rv[j] = r[j].solutionValue();
      }
      int deferred = 0;
      for (MPVariable v : defer) {
        deferred += v.solutionValue() > 0.5 ? 1 : 0;
      }
      double value = objective.value();
      double bound = objective.bestBound();
      boolean optimal = status == MPSolver.ResultStatus.OPTIMAL;
      double gap = optimal ? 0.0 : Math.max(0.0, value - bound) / Math.max(Math.abs(value), 1e-10);
      return new Solution(
          hv, rv, status.name(), optimal, value, bound, gap, deferred, solver.wallTime() / 1000.0);
    } finally {
      solver.delete();
    }
  }

  /** Adds coef · w·x̃_i (x̃ = (1, x_i)) to a row. */
  private static void dot(MPConstraint m, MPVariable[] w, double[] x, int i, int d, double coef) {
    m.setCoefficient(w[0], m.getCoefficient(w[0]) + coef);
    for (int j = 0; j < d; j++) {
      double v = x[i * d + j];
      if (v != 0) {
        m.setCoefficient(w[j + 1], m.getCoefficient(w[j + 1]) + coef * v);
      }
    }
  }

  /** λ t with t ≥ |v|. */
  private static void absolute(
      MPSolver solver, MPObjective objective, MPVariable v, double lambda, double c) {
    MPVariable t = solver.makeNumVar(0, c, "abs_" + v.name());
    MPConstraint plus = solver.makeConstraint(0, MPSolver.infinity());
    plus.setCoefficient(t, 1);
    plus.setCoefficient(v, -1);
    MPConstraint minus = solver.makeConstraint(0, MPSolver.infinity());
    minus.setCoefficient(t, 1);
    minus.setCoefficient(v, 1);
    objective.setCoefficient(t, lambda);
  }
}

package org.defer4j.core.constraint;

/**
 * Assigns a batch of cases to agents at least total expected cost subject to per-agent capacities
 * (capacity-aware batch assignment, DeCCaF, Alves et al. 2024; METHODS-2 §D2). Core defines the
 * problem; solvers implement it (a dependency-free reference here in core, OR-Tools' min-cost flow
 * in {@code defer4j-ortools}).
 *
 * <pre>
 *   minimise Σ_i Σ_j c_ij x_ij   s.t.  Σ_j x_ij = 1 (every case once),  x_ij ∈ {0, 1},
 *             Σ_i x_ij ≤ cap_j   ({@link Mode#AT_MOST})   or   = cap_j   ({@link Mode#EXACT}),
 *             x_ij = 0 where c_ij is NaN (agent j may not take case i).
 * </pre>
 */
public interface AssignmentSolver {
  /** How capacities bind. */
  enum Mode {
    /** Each agent takes at most its capacity. */
    AT_MOST,
    /** Each agent takes exactly its capacity (the capacities must sum to n), as DeCCaF does. */
    EXACT
  }

  /**
   * The solver's name in reports, e.g. {@code reference} or {@code ortools-min-cost-flow}.
   *
   * @return a short name
   */
  String name();

  /**
   * Solves one batch.
   *
   * @param costs n × A expected costs, row-major; NaN where the agent may not take the case
   * @param n the number of cases
   * @param capacity A capacities ≥ 0; {@link Integer#MAX_VALUE} for an agent without a limit
   * @param mode how the capacities bind
   * @return the agent of every case
   * @throws IllegalArgumentException on a shape mismatch, a negative capacity or an infeasible
   *     problem (the message says why: too little capacity, a case no agent may take, exact
   *     capacities that do not sum to n)
   */
  int[] solve(double[] costs, int n, int[] capacity, Mode mode);
}

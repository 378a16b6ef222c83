/**
 * Exact solvers on OR-Tools for problems that {@code defer4j-core} defines: capacity-aware batch
 * assignment as a min-cost flow ({@link org.defer4j.ortools.MinCostFlowAssignment}) and the
 * mixed-integer program for linear learning to defer (Mozannar et al. 2023). The native library is
 * loaded on first use.
 */
package org.defer4j.ortools;

package org.defer4j.core.constraint;

import org.defer4j.core.Checks;

/**
 * The exact mixed-integer program for linear learning to defer (Mozannar, Lang, Wei, Sattigeri, Das
 * and Sontag 2023, "Who should predict? Exact algorithms for learning to defer to humans", AISTATS;
 * {@code clinicalml/human_ai_deferral methods/milpdefer.py}; METHODS-2 §D3): the jointly optimal
 * linear classifier H and linear rejector R for the empirical 0-1 deferral loss. Core defines the
 * problem; a MIP solver implements it ({@code defer4j-ortools}: OR-Tools with SCIP).
 *
 * <p>Inputs x̃_i = (1, x_i) with max_i ‖x_i‖₁ ≤ 1 (the caller normalises); ψ_i ∈ {0,1} (the
 * classifier errs), r_i ∈ {0,1} (defer), φ_i ≥ 0, weights w_i ≥ 0 summing to 1, margin γ, box |H|,
 * |R| ≤ C, big-M M = 2C + γ (binary) or 4C + γ (multiclass), since |H·x̃| ≤ 2C:
 *
 * <pre>
 *   min Σ_i w_i (a_0 φ_i + β_0 (1 − r_i) + c_i r_i) + λ (‖H‖₁ + ‖R‖₁)     (biases not penalised)
 *   φ_i ≥ ψ_i − r_i                                (the classifier's error counts when kept)
 *   binary, y_i ∈ {−1,+1}:  M ψ_i ≥ γ − y_i H·x̃_i
 *   multiclass:             M ψ_i ≥ γ − (H_{y_i} − H_l)·x̃_i   for every l ≠ y_i
 *   r_i = 1 ⇒ R·x̃_i ≥ γ,  r_i = 0 ⇒ R·x̃_i ≤ −γ    (two big-M rows)
 *   Σ_i r_i ≤ ⌊b N⌋                                 (optional coverage row: defer at most a share b)
 * </pre>
 *
 * a_0 is the model's cost of an error, β_0 its fee, c_i the expert's realised cost on row i (the
 * paper's 0-1 loss is a_0 = 1, β_0 = 0, c_i = 1[h_i ≠ y_i]); rows the expert did not answer are
 * never deferred. ψ_i = 0 exactly when every wrong class is beaten by γ: this is the paper's
 * multiclass program with its sum over the <em>wrong</em> classes only (the public code sums over
 * all classes, letting the true class's free indicator count — METHODS-2 notes the defect), written
 * without the per-class indicators. The learned rule: defer iff R·x̃ &gt; 0, else sign(H·x̃) or
 * argmax_l H_l·x̃; the margin makes the program's r_i and ψ_i the rule's own on the training rows.
 */
public interface LinearDeferralMilp {

  /**
   * @param timeLimitSeconds the solver's wall-clock limit (&gt; 0); the best solution found is
   *     returned with its optimality gap when it runs out
   * @param l1 λ ≥ 0, the L1 penalty on the weights (not the biases)
   * @param maxDeferralShare b ∈ [0, 1]: at most ⌊b N⌋ rows deferred (1 = no coverage row)
   * @param margin γ &gt; 0
   * @param bound C &gt; 0, the box on every weight and bias
   */
  record Options(
      double timeLimitSeconds, double l1, double maxDeferralShare, double margin, double bound) {
    /** Validates. */
    public Options {
      if (!(timeLimitSeconds > 0) || Double.isInfinite(timeLimitSeconds)) {
        throw new IllegalArgumentException(
            "the MILP time limit must be a positive number of seconds, got " + timeLimitSeconds);
      }
      Checks.checkNonNegative("L1 penalty", l1);
      Checks.checkProbability("maximum deferral share", maxDeferralShare);
      if (!(margin > 0) || !(bound > 0) || Double.isInfinite(bound)) {
        throw new IllegalArgumentException(
            "margin and bound must be positive, got " + margin + " and " + bound);
      }
    }

    /** 10 s, no L1, no coverage row, γ = 1e-4, C = 1 (METHODS-2 §D3 suggests γ ~ 1e-4). */
    public static Options defaults() {
      return new Options(10.0, 0.0, 1.0, 1e-4, 1.0);
    }

    /** With another time limit. */
    public Options withTimeLimit(double seconds) {
      return new Options(seconds, l1, maxDeferralShare, margin, bound);
    }

    /** With another L1 penalty. */
    public Options withL1(double lambda) {
      return new Options(timeLimitSeconds, lambda, maxDeferralShare, margin, bound);
    }

    /** With a coverage row: at most a share b of the rows deferred. */
    public Options withMaxDeferralShare(double b) {
      return new Options(timeLimitSeconds, l1, b, margin, bound);
    }
  }

  /**
   * What the solver found.
   *
   * @param classifier binary: d + 1 values (bias first); multiclass: K rows of d + 1 (bias first)
   * @param rejector d + 1 values (bias first)
   * @param status the solver's status, e.g. {@code OPTIMAL} or {@code FEASIBLE}
   * @param optimal whether optimality was proved (gap 0 up to the solver's tolerance)
   * @param objective the objective of the solution returned
   * @param bestBound the solver's lower bound on the optimum
   * @param gap (objective − bestBound) / max(|objective|, 1e-10), ≥ 0
   * @param deferred rows with r_i = 1
   * @param seconds wall-clock time of the solve
   */
  record Solution(
      double[] classifier,
      double[] rejector,
      String status,
      boolean optimal,
      double objective,
      double bestBound,
      double gap,
      int deferred,
      double seconds) {
    /** Copies the arrays. */
    public Solution {
      classifier = classifier.clone();
      rejector = rejector.clone();
    }

    @Override
    public double[] classifier() {
      return classifier.clone();
    }

    @Override
    public double[] rejector() {
      return rejector.clone();
    }
  }

  /** The solver's name in provenance, e.g. {@code ortools-scip}. */
  String name();

  /**
   * Solves the program.
   *
   * @param x n × d inputs, row-major, max_i ‖x_i‖₁ ≤ 1 (the bias column is added here)
   * @param label the class of each row in 0..classes−1
   * @param classes K ≥ 2
   * @param weight w_i ≥ 0 per row (summing to 1)
   * @param modelErrorCost a_0 ≥ 0
   * @param modelFee β_0 ≥ 0
   * @param expertCost c_i per row; NaN where the expert may not be asked
   * @return the solution
   * @throws IllegalArgumentException on a shape mismatch or when no feasible solution was found
   *     within the time limit
   */
  Solution solve(
      double[] x,
      int n,
      int d,
      int[] label,
      int classes,
      double[] weight,
      double modelErrorCost,
      double modelFee,
      double[] expertCost,
      Options options);
}

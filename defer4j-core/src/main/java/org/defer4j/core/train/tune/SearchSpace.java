package org.defer4j.core.train.tune;

import java.util.List;

/**
 * Where the tuner draws its trials from. Each trial draws, independently: the learning rate
 * log-uniformly on [{@code minLearningRate}, {@code maxLearningRate}]; the L2 penalty, 0 with
 * probability {@code zeroL2Share} and otherwise log-uniform on [{@code minL2}, {@code maxL2}]; one
 * of the {@code budgets} (epochs and patience) uniformly; one of the {@code widths} for an MLP
 * scorer; and, in about half the trials, the method's own parameter from its {@link
 * MethodParameter} range when {@code methodParameter} is set and the method has one.
 *
 * @param minLearningRate smallest learning rate, &gt; 0
 * @param maxLearningRate largest learning rate, ≥ the smallest
 * @param zeroL2Share probability of no L2 penalty, in [0, 1]
 * @param minL2 smallest non-zero L2, &gt; 0
 * @param maxL2 largest L2, ≥ the smallest
 * @param budgets {epochs, patience} pairs (copied), at least one
 * @param widths hidden widths for an MLP scorer (copied), at least one
 * @param methodParameter whether to tune the method's parameter
 */
public record SearchSpace(
    double minLearningRate,
    double maxLearningRate,
    double zeroL2Share,
    double minL2,
    double maxL2,
    List<int[]> budgets,
    List<Integer> widths,
    boolean methodParameter) {

  /** Validates and copies. */
  public SearchSpace {
    if (!(minLearningRate > 0) || !(maxLearningRate >= minLearningRate)) {
      throw new IllegalArgumentException(
          "learning rate range must satisfy 0 < min <= max, got ["
              + minLearningRate
              + ", "
              + maxLearningRate
              + "]");
    }
    if (!(zeroL2Share >= 0 && zeroL2Share <= 1)) {
      throw new IllegalArgumentException("zero-L2 share must be in [0, 1], got " + zeroL2Share);
    }
    if (!(minL2 > 0) || !(maxL2 >= minL2)) {
      throw new IllegalArgumentException(
          "L2 range must satisfy 0 < min <= max, got [" + minL2 + ", " + maxL2 + "]");
    }
    if (budgets.isEmpty() || widths.isEmpty()) {
      throw new IllegalArgumentException("the search needs at least one budget and one width");
    }
    for (int[] b : budgets) {
      if (b.length != 2 || b[0] < 1 || b[1] < 0) {
        throw new IllegalArgumentException("a budget is {epochs >= 1, patience >= 0}");
      }
    }
    budgets = budgets.stream().map(int[]::clone).toList();
    widths = List.copyOf(widths);
  }

  /**
   * Learning rate in [3e-4, 0.1], no L2 in a third of the trials and otherwise L2 in [1e-6, 1e-2],
   * budgets 30/5, 100/10 and 300/20 epochs/patience, widths 16 to 256, the method's parameter
   * tuned: the range of the defaults study in docs/results.md, widened by a factor of about three
   * on each side.
   */
  public static SearchSpace defaults() {
    return new SearchSpace(
        3e-4,
        0.1,
        1.0 / 3,
        1e-6,
        1e-2,
        List.of(new int[] {30, 5}, new int[] {100, 10}, new int[] {300, 20}),
        List.of(16, 32, 64, 128, 256),
        true);
  }

  /** A copy that does or does not tune the method's parameter. */
  public SearchSpace withMethodParameter(boolean tune) {
    return new SearchSpace(
        minLearningRate, maxLearningRate, zeroL2Share, minL2, maxL2, budgets, widths, tune);
  }
}

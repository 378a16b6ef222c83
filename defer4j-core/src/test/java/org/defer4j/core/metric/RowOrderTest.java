package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The radix row order equals a stable comparison sort of boxed indices.
 *
 * <p>Equivalent mutants (PIT, docs/quality.md), reviewed and accepted: RowOrder:71 ({@code d <
 * RADIX} → {@code d <= RADIX}, and negated) and :76 ({@code c[d] != 0} negated) only change the
 * detection of a pass whose digit is the same for every key. Such a pass, when not skipped, is a
 * stable counting sort on a constant digit, which leaves the order as it is, so the result is the
 * same (only slower); and the loop always stops at a non-zero count before d reaches RADIX.
 */
class RowOrderTest {
  @Test
  void matchesAStableComparisonSort() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + rng.nextInt(3000);
      double[] keys = new double[n];
      for (int i = 0; i < n; i++) {
        keys[i] =
            switch (rng.nextInt(6)) {
              case 0 -> rng.nextInt(5) - 2; // many ties
              case 1 -> -rng.nextDouble() * 1e300;
              case 2 -> rng.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
              case 3 -> rng.nextBoolean() ? 0.0 : -0.0;
              case 4 -> Double.MIN_VALUE * rng.nextInt(3);
              default -> rng.nextGaussian();
            };
      }
      Integer[] boxed = IntStream.range(0, n).boxed().toArray(Integer[]::new);
      // Double.compare puts −0.0 before 0.0; the row order treats them as one key, as == does.
      Arrays.sort(boxed, Comparator.comparingDouble(i -> keys[i] + 0.0));
      int[] expected = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
      assertThat(RowOrder.ascending(keys)).containsExactly(expected);
    }
  }

  @Test
  void sortsASubsetOfRows() {
    double[] keys = {5, 1, 4, 1, 3};
    assertThat(RowOrder.ascending(keys, new int[] {4, 3, 2, 1, 0}, 4)).containsExactly(3, 1, 4, 2);
    assertThat(RowOrder.ascending(new double[0])).isEmpty();
  }
}

package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Test;

/**
 * The contract every surrogate honours, written once: each surrogate's test class implements this
 * interface and supplies the subject (and, where the surrogate differs, the few switches below).
 *
 * <p>Tolerances: the gradient check compares the analytic gradient g with the central difference d
 * = (L(s + h e_i) − L(s − h e_i)) / 2h, h = 1e-6 · max(1, |s_i|), and requires |g − d| ≤ {@link
 * #atol()} · max(1, |L|) + {@link #rtol()} · |d| (defaults 1e-6 and 1e-5: the central difference
 * has error O(h²) plus rounding O(ε |L| / h) ≈ 1e-10 |L|). Other identities (zero sums, masking)
 * hold to 1e-12 relative.
 */
interface SurrogateContract {
  /** The surrogate under test. */
  Surrogate subject();

  /** The most experts the subject supports. */
  default int maxExperts() {
    return 3;
  }

  /** The largest cost the random cases draw (the subject's domain). */
  default double maxCost() {
    return 1.0;
  }

  /** Seed of the random cases. */
  default long seed() {
    return 20240601L;
  }

  /** Seeded random cases: single and multi-expert, with and without unobserved experts. */
  default List<Case> cases() {
    return Cases.random(subject().layout(), seed(), 60, maxExperts(), maxCost(), 2.0);
  }

  default double rtol() {
    return 1e-5;
  }

  default double atol() {
    return 1e-6;
  }

  /**
   * Whether the loss stays finite at scores of ±1e3 (false for links with q &lt; 0, exp margin).
   */
  default boolean finiteAtExtremes() {
    return true;
  }

  /** Whether a masked expert gives exactly the loss of the problem without that expert. */
  default boolean maskedEqualsReduced() {
    return true;
  }

  /**
   * Blocks of score indices over which the loss is shift-invariant (softmax blocks), so that the
   * gradient sums to zero there; none by default.
   */
  default int[][] zeroSumBlocks(Case c) {
    return new int[0][];
  }

  @Test
  default void gradientMatchesCentralDifferences() {
    Surrogate s = subject();
    for (Case c : cases()) {
      double[] g = new double[c.scores().length];
      double loss = s.evaluate(c.scores(), c.target(), g);
      double[] x = c.scores().clone();
      double scale = Math.max(1.0, Math.abs(loss));
      for (int i = 0; i < x.length; i++) {
        double h = 1e-6 * Math.max(1.0, Math.abs(x[i]));
        double keep = x[i];
        x[i] = keep + h;
        double up = s.value(x, c.target());
        x[i] = keep - h;
        double down = s.value(x, c.target());
        x[i] = keep;
        double fd = (up - down) / (2 * h);
        assertThat(Math.abs(g[i] - fd))
            .as("%s d/ds[%d] analytic %s vs central difference %s at %s", s.name(), i, g[i], fd, c)
            .isLessThanOrEqualTo(atol() * scale + rtol() * Math.abs(fd));
      }
    }
  }

  @Test
  default void finiteAtExtremeScores() {
    Surrogate s = subject();
    SplittableRandom rnd = new SplittableRandom(seed() + 1);
    for (Case base : cases()) {
      for (double magnitude : new double[] {1e3, -1e3, 300}) {
        Case c = Cases.extreme(base, Math.abs(magnitude), rnd);
        if (magnitude < 0) {
          double[] same = new double[c.scores().length];
          Arrays.fill(same, magnitude);
          c = new Case(same, c.target(), c.classes(), c.experts());
        }
        double[] g = new double[c.scores().length];
        if (finiteAtExtremes() || Math.abs(magnitude) <= 300) {
          double loss = s.evaluate(c.scores(), c.target(), g);
          assertThat(loss).as("%s loss at %s", s.name(), c).isFinite();
          for (double gi : g) {
            assertThat(gi).as("%s gradient at %s", s.name(), c).isFinite();
          }
        } else {
          // Either finite, or a clear ArithmeticException that leaves gradOut zero.
          try {
            double loss = s.evaluate(c.scores(), c.target(), g);
            assertThat(loss).isFinite();
            for (double gi : g) {
              assertThat(gi).isFinite();
            }
          } catch (ArithmeticException e) {
            assertThat(e).hasMessageContaining(s.name());
            assertThat(g).containsOnly(0.0);
          }
        }
      }
    }
  }

  @Test
  default void doesNotModifyInputs() {
    Surrogate s = subject();
    for (Case c : cases()) {
      double[] scores = c.scores().clone();
      Target before =
          new Target(
              c.target().label(), c.target().correct(), c.target().costs(), c.target().value());
      s.evaluate(scores, c.target(), new double[scores.length]);
      assertThat(scores).containsExactly(c.scores());
      assertThat(c.target()).isEqualTo(before);
    }
  }

  @Test
  default void overwritesGradOut() {
    Surrogate s = subject();
    for (Case c : cases()) {
      double[] clean = new double[c.scores().length];
      double[] dirty = new double[c.scores().length];
      Arrays.fill(dirty, 123.0);
      double a = s.evaluate(c.scores(), c.target(), clean);
      double b = s.evaluate(c.scores(), c.target(), dirty);
      assertThat(b).isEqualTo(a);
      assertThat(dirty).containsExactly(clean);
    }
  }

  @Test
  default void gradientSumsToZeroOverSoftmaxBlocks() {
    Surrogate s = subject();
    for (Case c : cases()) {
      double[] g = new double[c.scores().length];
      double loss = s.evaluate(c.scores(), c.target(), g);
      for (int[] block : zeroSumBlocks(c)) {
        double sum = 0.0;
        double mag = 0.0;
        for (int i : block) {
          sum += g[i];
          mag += Math.abs(g[i]);
        }
        assertThat(Math.abs(sum))
            .as("%s gradient sum over %s at %s", s.name(), Arrays.toString(block), c)
            .isLessThanOrEqualTo(1e-12 * Math.max(1.0, Math.max(mag, Math.abs(loss))));
      }
    }
  }

  @Test
  default void maskedExpertGetsNoGradientAndDoesNotMoveTheLoss() {
    Surrogate s = subject();
    int checked = 0;
    for (Case c : cases()) {
      for (int j = 1; j <= c.experts(); j++) {
        int idx = Cases.expertScoreIndex(s.layout(), c.classes(), j);
        if (idx < 0 || !isMasked(c.target(), j)) {
          continue;
        }
        double[] g = new double[c.scores().length];
        double loss = s.evaluate(c.scores(), c.target(), g);
        assertThat(g[idx]).as("gradient of masked expert %d at %s", j, c).isZero();
        double[] moved = c.scores().clone();
        moved[idx] += 7.5;
        assertThat(s.value(moved, c.target())).isEqualTo(loss);
        checked++;
      }
    }
    if (maxExperts() > 0 && s.layout() != ScoreLayout.CLASSES_AND_REJECTOR) {
      assertThat(checked).as("cases with a masked expert").isPositive();
    }
  }

  @Test
  default void maskedExpertEqualsProblemWithoutIt() {
    if (!maskedEqualsReduced()) {
      return;
    }
    Surrogate s = subject();
    int checked = 0;
    for (Case c : cases()) {
      for (int j = c.experts(); j >= 1; j--) {
        if (!isMasked(c.target(), j)) {
          continue;
        }
        Case reduced = Cases.withoutExpert(c, j, s.layout());
        double[] g = new double[c.scores().length];
        double[] gr = new double[reduced.scores().length];
        double loss = s.evaluate(c.scores(), c.target(), g);
        double lossReduced = s.evaluate(reduced.scores(), reduced.target(), gr);
        assertThat(lossReduced)
            .as("%s without expert %d vs masked at %s", s.name(), j, c)
            .isCloseTo(
                loss, org.assertj.core.api.Assertions.within(1e-12 * Math.max(1, Math.abs(loss))));
        int drop = Cases.expertScoreIndex(s.layout(), c.classes(), j);
        double[] expected = drop < 0 ? g : Cases.remove(g, drop);
        for (int i = 0; i < gr.length; i++) {
          assertThat(gr[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-12));
        }
        checked++;
      }
    }
    assertThat(checked).as("cases with a masked expert").isPositive();
  }

  @Test
  default void rejectsNonFiniteScoresAndWrongShapes() {
    Surrogate s = subject();
    Case c = cases().get(1);
    double[] bad = c.scores().clone();
    bad[0] = Double.NaN;
    assertThatThrownBy(() -> s.evaluate(bad, c.target(), new double[bad.length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> s.evaluate(c.scores(), c.target(), new double[bad.length + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  default void nameRoundTripsThroughTheCatalogue() {
    Surrogate s = subject();
    Surrogate again = Surrogates.byName(s.name());
    assertThat(again.name()).isEqualTo(s.name());
    assertThat(again.getClass()).isEqualTo(s.getClass());
    for (Case c : cases().subList(0, 5)) {
      assertThat(again.value(c.scores(), c.target())).isEqualTo(s.value(c.scores(), c.target()));
    }
  }

  @Test
  default void routeReturnsAnAgent() {
    Surrogate s = subject();
    for (Case c : cases()) {
      int a = s.route(c.scores(), c.classes(), c.experts());
      assertThat(a).isBetween(0, c.experts());
    }
  }

  /** Whether expert j is unobserved in the field the subject reads (both are NaN in the cases). */
  private static boolean isMasked(Target t, int j) {
    return Double.isNaN(t.cost(j));
  }
}

package org.defer4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegionLearnerTest {
  static final List<PocketProblem.Point> POINTS = PocketProblem.standard();

  /** The standard draw: 220 background points first, then the 90 pocket points. */
  static final int BACKGROUND = 220;

  @Test
  void classifierIsRightAboutHalfTheTimeInThePocketOnly() {
    int pocketRight = 0;
    int backgroundRight = 0;
    for (int i = 0; i < POINTS.size(); i++) {
      PocketProblem.Point p = POINTS.get(i);
      boolean right = PocketProblem.classify(p.x(), p.y()) == p.label();
      if (i < BACKGROUND) {
        backgroundRight += right ? 1 : 0;
      } else {
        pocketRight += right ? 1 : 0;
      }
    }
    // Pocket labels are fair coins: 90 draws, 2 binomial sd ≈ 9.5 around 45.
    assertThat(pocketRight).isBetween(35, 55);
    // Background labels flip with probability 0.04: 220 draws, mean 8.8 flips, sd ≈ 2.9.
    assertThat(BACKGROUND - backgroundRight).isBetween(2, 18);
  }

  @Test
  void learnedRegionDefersThePocketAndRaisesAccuracy() {
    PocketProblem.Readout none = PocketProblem.readout(POINTS, new boolean[POINTS.size()]);
    RegionLearner.Learned l = new RegionLearner(WebUi.LEARN_EPOCHS, 1L).learn(POINTS, 0.25, 20);
    int pocket = 0;
    for (int i = BACKGROUND; i < POINTS.size(); i++) {
      pocket += l.deferred()[i] ? 1 : 0;
    }
    // At c = 0.25 the Bayes rule defers the whole pocket (error ≈ 0.5 > c) and keeps the
    // background (error ≈ 0.04 < c) except close to the boundary, where no learner is exact.
    assertThat(pocket).as("pocket points deferred").isGreaterThanOrEqualTo(75);
    assertThat(l.readout().deferred() - pocket).as("background points deferred").isLessThan(45);
    assertThat(l.readout().accuracy()).isGreaterThan(none.accuracy() + 0.08);
    assertThat(l.grid().chosen()).hasSize(400);
  }

  @Test
  void sameSeedSameRegion() {
    boolean[] a = new RegionLearner(30, 4L).learn(POINTS, 0.3, 8).deferred();
    boolean[] b = new RegionLearner(30, 4L).learn(POINTS, 0.3, 8).deferred();
    assertThat(a).isEqualTo(b);
  }
}

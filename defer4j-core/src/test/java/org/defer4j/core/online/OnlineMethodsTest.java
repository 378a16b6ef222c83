package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue: names, settings, errors, and the empirical (full-information) initialisation. */
class OnlineMethodsTest {
  private final OnlineStream stream = SyntheticStreams.arrival(200, 50, 1);

  @Test
  void everyMethodBuildsAndNamesItself() {
    for (String m : OnlineMethods.NAMES) {
      OnlineRouter r =
          OnlineMethods.create(m, OnlineSettings.defaults(), stream, FeedbackMode.BANDIT, 0);
      assertThat(r.name()).isEqualTo(m);
    }
  }

  @Test
  void unknownMethodAndUnknownKeyAreNamed() {
    assertThatThrownBy(
            () ->
                OnlineMethods.create(
                    "ucb1", OnlineSettings.defaults(), stream, FeedbackMode.BANDIT, 0))
        .hasMessage(
            "unknown method 'ucb1'; expected one of l2d-slds, linucb, shared-linucb, lints,"
                + " online-l2d, random");
    assertThatThrownBy(
            () ->
                OnlineMethods.create(
                    "linucb",
                    OnlineSettings.of(Map.of("alhpa", "2")),
                    stream,
                    FeedbackMode.BANDIT,
                    0))
        .hasMessageStartingWith("unknown --set key 'alhpa' for method linucb; its keys are [")
        .hasMessageContaining("alpha");
    assertThatThrownBy(
            () ->
                OnlineMethods.create(
                    "linucb",
                    OnlineSettings.of(Map.of("alpha", "x")),
                    stream,
                    FeedbackMode.BANDIT,
                    0))
        .hasMessage("--set alpha=x: not a finite number");
    assertThatThrownBy(
            () ->
                OnlineMethods.create(
                    "l2d-slds",
                    OnlineSettings.of(Map.of("a_g", "0.9,0.8,0.7")),
                    stream,
                    FeedbackMode.BANDIT,
                    0))
        .hasMessageContaining("A_g needs one value per regime (2), got 3");
  }

  @Test
  void effectiveSettingsListDefaultsAndGivenValues() {
    OnlineSettings s = OnlineSettings.of(Map.of("alpha", "2"));
    OnlineMethods.create("shared-linucb", s, stream, FeedbackMode.BANDIT, 0);
    assertThat(s.effective()).containsEntry("alpha", "2").containsEntry("lambda", "1");
  }

  @Test
  void empiricalNoiseIsEachAgentsMeanSquaredResidualOverTheWindow() {
    // rounds 1..10 where available; the newcomer (arrives at 50) is never there: pooled mean
    Map<String, Double> r = OnlineMethods.empiricalNoise(stream, 10);
    double s = 0.0;
    double pooled = 0.0;
    int n = 0;
    for (int t = 1; t <= 10; t++) {
      s += stream.residuals()[t][0] * stream.residuals()[t][0];
      for (int k = 0; k < 4; k++) {
        if (stream.available()[t][k]) {
          pooled += stream.residuals()[t][k] * stream.residuals()[t][k];
          n++;
        }
      }
    }
    assertThat(r.get("incumbent0")).isCloseTo(s / 10, within(1e-12));
    assertThat(r.get("newcomer")).isCloseTo(pooled / n, within(1e-12));
  }
}

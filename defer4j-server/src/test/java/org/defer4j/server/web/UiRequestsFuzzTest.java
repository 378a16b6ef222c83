package org.defer4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the parsing of the web UI endpoints' inputs: any input parses into a valid request or
 * fails with a {@link UiRequestException} (a 4xx with a message); any other exception is a finding.
 * Regression mode replays the seeds under {@code UiRequestsFuzzTestInputs/}; with {@code
 * JAZZER_FUZZ=1} Jazzer mutates them for the annotated duration.
 */
class UiRequestsFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void learnBody(byte[] data) {
    String body = new String(data, StandardCharsets.UTF_8);
    try {
      UiRequests.LearnRequest r = UiRequests.learn(body);
      assertThat(r.points()).hasSizeBetween(1, UiRequests.MAX_POINTS);
      assertThat(r.deferralCost()).isStrictlyBetween(0.0, 1.0);
      for (PocketProblem.Point p : r.points()) {
        assertThat(Math.abs(p.x())).isLessThanOrEqualTo(UiRequests.MAX_COORDINATE);
        assertThat(Math.abs(p.y())).isLessThanOrEqualTo(UiRequests.MAX_COORDINATE);
      }
    } catch (UiRequestException e) {
      assertThat(e.status()).isBetween(400, 499);
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "5s")
  void queryNumbers(byte[] data) {
    String value = new String(data, StandardCharsets.UTF_8);
    try {
      long v = UiRequests.integer("size", value, 80, 2, 200);
      assertThat(v).isBetween(2L, 200L);
    } catch (UiRequestException e) {
      assertThat(e.status()).isEqualTo(400);
    }
    try {
      double v = UiRequests.number("xmin", value, 0.0);
      assertThat(Double.isFinite(v) && Math.abs(v) <= UiRequests.MAX_COORDINATE).isTrue();
    } catch (UiRequestException e) {
      assertThat(e.status()).isEqualTo(400);
    }
  }
}

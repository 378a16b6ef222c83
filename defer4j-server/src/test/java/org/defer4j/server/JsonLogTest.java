package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One JSON object per line: ts, level, event, then the fields in the order given. */
class JsonLogTest {
  @AfterEach
  void restore() {
    JsonLog.to(System.out);
  }

  @Test
  void writesEveryKindOfValueInOrder() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonLog.to(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    JsonLog.event(
        "info",
        "request",
        "status",
        200,
        "big",
        12_345_678_901L,
        "ms",
        0.125,
        "exact",
        new BigDecimal("1.50"),
        "key",
        null,
        "ok",
        true,
        "path",
        "/v1/route \"é\"");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n").doesNotContain("\n{");
    String line = text.strip();
    // The fields after the timestamp, exactly as the line has them.
    assertThat(line.substring(line.indexOf(",\"level\"")))
        .isEqualTo(
            ",\"level\":\"info\",\"event\":\"request\",\"status\":200,\"big\":12345678901,"
                + "\"ms\":0.125,\"exact\":1.5,\"key\":null,\"ok\":true,"
                + "\"path\":\"/v1/route \\\"é\\\"\"}");
    JsonNode o = Json.read(line);
    assertThat(o.get("ts").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(o.get("status").isInt()).isTrue();
    assertThat(o.get("ms").isDouble()).isTrue();
  }
}

package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void fileThenEnvironmentThenFlags() throws Exception {
    Path f = dir.resolve("router.yaml");
    Files.writeString(
        f,
        "port: 9000\nmax-batch: 50\ndata-dir: /tmp/x\nexperts:\n  - name: gpt4\n    capacity: 100\n"
            + "    period: PT1H\n    windows: [\"Mon-Fri 08:00-20:00\"]\n    timezone: Europe/Paris\n"
            + "upstreams:\n  gpt4:\n    base-url: https://api.openai.com/v1\n    model: gpt-4o\n"
            + "    api-key-env: OPENAI_API_KEY\n");
    ServerConfig c = ServerConfig.load(f, Map.of("DEFER4J_MAX_BATCH", "70")).port(1234).build();
    assertThat(c.port()).isEqualTo(1234);
    assertThat(c.maxBatch()).isEqualTo(70);
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(c.experts()).hasSize(1);
    assertThat(c.experts().get(0).capacity()).isEqualTo(100);
    assertThat(c.upstreams().get("gpt4").completions().toString())
        .isEqualTo("https://api.openai.com/v1/chat/completions");
    assertThat(ServerConfig.envName("max-body-bytes")).isEqualTo("DEFER4J_MAX_BODY_BYTES");
  }

  @Test
  void badSettingsNameTheirKey() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "prot: 9000\n");
    assertThatThrownBy(() -> ServerConfig.load(f, Map.of()))
        .hasMessageContaining("unknown key 'prot'");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("DEFER4J_PORT", "x")).build())
        .hasMessageContaining("port");
    assertThatThrownBy(() -> ServerConfig.builder().set("max-batch", 0).build())
        .hasMessageContaining("max-batch");
    assertThatThrownBy(() -> ServerConfig.builder().set("sqlite-synchronous", "OFF").build())
        .hasMessageContaining("FULL, NORMAL");
    Files.writeString(f, "experts:\n  - name: gpt4\n    capacity: 3\n");
    assertThatThrownBy(() -> ServerConfig.load(f, Map.of())).hasMessageContaining("needs a period");
  }
}

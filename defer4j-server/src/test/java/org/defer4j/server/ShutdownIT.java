package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown under load: {@code close()} while 16 clients route; every request answered 200
 * has its decision in the store afterwards, and no request gets a 5xx.
 */
class ShutdownIT {
  @TempDir Path dir;

  @Test
  void closeUnderLoadLosesNoAnsweredDecision() throws Exception {
    List<Prompts.Prompt> prompts = Prompts.gsm8k();
    ServerConfig cfg =
        ServerConfig.builder()
            .port(0)
            .dataDir(dir.resolve("data"))
            .set("log-requests", false)
            .build();
    RouterServer s = RouterServer.start(cfg, Map.of());
    String key = s.adminKey();
    Http h = new Http(s.url(), key);
    List<String> answered = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger errors5xx = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    for (int t = 0; t < 16; t++) {
      int client = t;
      pool.submit(
          () -> {
            int i = 0;
            while (!stop.get()) {
              try {
                Http.Res r =
                    h.post(
                        "/v1/route",
                        "{\"text\": "
                            + Json.write(prompts.get((client * 13 + i++) % prompts.size()).text())
                            + "}");
                if (r.status() == 200) {
                  answered.add(r.json().get("id").asText());
                } else if (r.status() >= 500) {
                  errors5xx.incrementAndGet();
                }
              } catch (RuntimeException e) {
                // refused once the server stopped listening
              }
            }
          });
    }
    while (answered.size() < 200) {
      Thread.sleep(10);
    }
    s.close();
    stop.set(true);
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.MINUTES);
    assertThat(errors5xx.get()).isZero();
    try (Router r = Router.open(cfg)) {
      for (String id : new ArrayList<>(answered)) {
        assertThat(r.decisionJson(id).get("id").asText()).isEqualTo(id);
      }
    }
  }
}

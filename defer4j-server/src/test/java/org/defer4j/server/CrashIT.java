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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a server process (SQLite) while clients post outcomes: after a restart on the same
 * data directory every acknowledged outcome (and every acknowledged decision) is in the store.
 */
class CrashIT {
  @TempDir Path dir;

  @Test
  void killNineKeepsEveryAcknowledgedOutcome() throws Exception {
    List<Prompts.Prompt> prompts = Prompts.gsm8k();
    String key = ApiKey.generate();
    Map<String, String> env = Map.of("DEFER4J_API_KEY", key);
    List<String> args = List.of("--data-dir", dir.resolve("data").toString());
    List<String> decided = Collections.synchronizedList(new ArrayList<>());
    List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
    Child c = Child.start(dir.resolve("run1"), args, env);
    try {
      Http h = new Http(c.url(), key);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int t = 0; t < 8; t++) {
        int client = t;
        pool.submit(
            () -> {
              int i = 0;
              while (!stop.get()) {
                try {
                  Prompts.Prompt p = prompts.get((client * 97 + i++) % prompts.size());
                  Http.Res r = h.post("/v1/route", "{\"text\": " + Json.write(p.text()) + "}");
                  if (r.status() != 200) {
                    continue;
                  }
                  String id = r.json().get("id").asText();
                  decided.add(id);
                  Http.Res o =
                      h.post(
                          "/v1/outcomes",
                          "{\"decisionId\": \""
                              + id
                              + "\", \"costs\": {\"mixtral\": "
                              + p.mixtral()
                              + ", \"gpt4\": "
                              + p.gpt4()
                              + "}}");
                  if (o.status() == 201) {
                    acknowledged.add(id);
                  }
                } catch (RuntimeException e) {
                  // the server died under us: stop
                  return;
                }
              }
            });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      c.kill();
      stop.set(true);
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } finally {
      c.close();
    }
    assertThat(acknowledged.size()).isGreaterThanOrEqualTo(300);
    try (Child again = Child.start(dir.resolve("run2"), args, env)) {
      Http h = new Http(again.url(), key);
      List<String> ack = new ArrayList<>(acknowledged);
      for (String id : ack) {
        Http.Res d = h.get("/v1/decisions/" + id);
        assertThat(d.status()).as(id).isEqualTo(200);
        assertThat(d.json().get("outcome").isNull()).as(id).isFalse();
      }
      for (String id : new ArrayList<>(decided)) {
        assertThat(h.get("/v1/decisions/" + id).status()).as(id).isEqualTo(200);
      }
      // The outcome posted again is a duplicate: stored once.
      String id = ack.get(0);
      Http.Res d = h.get("/v1/decisions/" + id);
      Http.Res again2 =
          h.post(
              "/v1/outcomes",
              "{\"decisionId\": \""
                  + id
                  + "\", \"costs\": "
                  + d.json().get("outcome").get("costs")
                  + "}");
      assertThat(again2.status()).isEqualTo(200);
    }
  }
}

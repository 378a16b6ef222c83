package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Concurrent clients for the tests. */
final class Load {
  private Load() {}

  /** One answer of a route call. */
  record Answer(int status, JsonNode json) {}

  /**
   * {@code clients} threads, each sending {@code perClient} single-case route requests (prompt i of
   * the list, round robin), all released at once.
   */
  static List<Answer> route(
      List<Http> servers, int clients, int perClient, List<Prompts.Prompt> prompts)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Answer>>> fs = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Http h = servers.get(c % servers.size());
      fs.add(
          pool.submit(
              () -> {
                go.await();
                List<Answer> out = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                  ObjectNode o = Json.object();
                  o.put("text", prompts.get((client * perClient + i) % prompts.size()).text());
                  Http.Res r = h.post("/v1/route", o);
                  out.add(new Answer(r.status(), r.json()));
                }
                return out;
              }));
    }
    go.countDown();
    List<Answer> all = Collections.synchronizedList(new ArrayList<>());
    for (Future<List<Answer>> f : fs) {
      all.addAll(f.get(5, TimeUnit.MINUTES));
    }
    pool.shutdown();
    return all;
  }

  /** Served decisions of {@code agent} by the start of the hour they were made in. */
  static Map<Long, Integer> servedPerPeriod(List<Answer> answers, String agent, long seconds) {
    Map<Long, Integer> out = new TreeMap<>();
    for (Answer a : answers) {
      if (a.status() == 200 && a.json().get("chosen").toString().contains("\"" + agent + "\"")) {
        long t = Instant.parse(a.json().get("createdAt").asText()).getEpochSecond();
        out.merge(Math.floorDiv(t, seconds) * seconds, 1, Integer::sum);
      }
    }
    return out;
  }
}

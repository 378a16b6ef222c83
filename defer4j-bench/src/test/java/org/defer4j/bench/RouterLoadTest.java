package org.defer4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.server.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load benchmark's own logic: request bodies, reading wrk's figures, medians. */
class RouterLoadTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Output of one wrk run as router-load.lua ends it, below wrk's own summary. */
  private static final String WRK_OUTPUT =
      """
      Running 10s test @ http://127.0.0.1:1234/v1/route
        2 threads and 32 connections
      Requests/sec:   2000.00
      d4j requests 20000
      d4j duration_us 10000000
      d4j errors_connect 0
      d4j errors_read 1
      d4j errors_write 0
      d4j errors_status 2
      d4j errors_timeout 3
      d4j p50_us 1500
      d4j p90_us 3000
      d4j p99_us 9000
      d4j p99.9_us 20000
      d4j max_us 45000
      """;

  @Test
  void medianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
    // By hand: sorted {1, 2, 3} → 2; sorted {1, 2, 3, 4} → (2 + 3) / 2.
    assertThat(RouterLoad.median(new double[] {3, 1, 2})).isEqualTo(2.0);
    assertThat(RouterLoad.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(RouterLoad.median(new double[] {7})).isEqualTo(7.0);
    assertThatThrownBy(() -> RouterLoad.median(new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsWrksFiguresAndCountsEveryKindOfError() {
    RouterLoad.Result r = RouterLoad.parse(WRK_OUTPUT);
    assertThat(r.requests()).isEqualTo(20_000);
    // 20,000 requests in 10 s.
    assertThat(r.perSecond()).isCloseTo(2000.0, within(1e-9));
    // read 1 + status 2 + timeout 3.
    assertThat(r.errors()).isEqualTo(6);
    assertThat(r.p50()).isEqualTo(1500.0);
    assertThat(r.p90()).isEqualTo(3000.0);
    assertThat(r.p99()).isEqualTo(9000.0);
    assertThat(r.p999()).isEqualTo(20000.0);
    assertThat(r.max()).isEqualTo(45000.0);
    assertThat(r.cpuMicros()).isNaN();
  }

  @Test
  void aMissingFigureIsAnErrorNamingIt() {
    String cut = WRK_OUTPUT.replace("d4j p99_us 9000\n", "");
    assertThatThrownBy(() -> RouterLoad.parse(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p99_us");
  }

  @Test
  void cpuPerRequestDividesByTheAnsweredRequests() {
    // 2 s of CPU and 0.5 s of the writer over 20,000 requests: 100 µs and 25 µs each.
    RouterLoad.Result r = RouterLoad.parse(WRK_OUTPUT).withCpu(2_000_000_000L, 500_000_000L);
    assertThat(r.cpuMicros()).isCloseTo(100.0, within(1e-9));
    assertThat(r.writerCpuMicros()).isCloseTo(25.0, within(1e-9));
  }

  @Test
  void theMedianOfRoundsIsTakenFigureByFigureAndFailuresAreSummed() {
    List<RouterLoad.Result> rounds = new ArrayList<>();
    // Rates 1000, 3000, 2000 /s; p99 5, 1, 9 ms; 1, 0, 2 failures.
    rounds.add(result(10_000, 5_000, 1));
    rounds.add(result(30_000, 1_000, 0));
    rounds.add(result(20_000, 9_000, 2));
    RouterLoad.Result m = RouterLoad.median(rounds);
    assertThat(m.perSecond()).isCloseTo(2000.0, within(1e-6));
    assertThat(m.p99()).isEqualTo(5_000.0);
    assertThat(m.errors()).isEqualTo(3);
  }

  private static RouterLoad.Result result(long requestsIn10s, double p99, long errors) {
    return new RouterLoad.Result(
        requestsIn10s, 10_000_000L, errors, 1, 2, p99, 2 * p99, 3 * p99, 10, 1);
  }

  @Test
  void singleBodiesCarryEachCasesNamedFeatures() throws Exception {
    List<RouterLoad.Case> cases = cases(3);
    List<String> bodies = RouterLoad.singleBodies(cases);
    assertThat(bodies).hasSize(3).doesNotHaveDuplicates();
    JsonNode b = MAPPER.readTree(bodies.get(1));
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.get("features").get("a").asDouble()).isEqualTo(1.0);
    assertThat(b.get("features").get("prompt").asText()).isEqualTo("case 1\nsecond line");
    // One body per line of the bodies file: a newline in a text is escaped.
    assertThat(bodies).allSatisfy(s -> assertThat(s).doesNotContain("\n"));
  }

  @Test
  void batchBodiesAreRunsOfConsecutiveCasesFromSpreadOffsetsWrappingAround() throws Exception {
    // 5 cases, batches of 4, 2 of them: they start at cases 0 * 5 / 2 = 0 and 1 * 5 / 2 = 2,
    // so the second is cases 2, 3, 4, 0.
    List<String> bodies = RouterLoad.batchBodies(cases(5), 4, 2);
    assertThat(bodies).hasSize(2);
    JsonNode second = MAPPER.readTree(bodies.get(1)).get("cases");
    assertThat(second).hasSize(4);
    List<Double> a = new ArrayList<>();
    second.forEach(c -> a.add(c.get("features").get("a").asDouble()));
    assertThat(a).containsExactly(2.0, 3.0, 4.0, 0.0);
    assertThatThrownBy(() -> RouterLoad.batchBodies(cases(5), 0, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThePolicysInputsFromATablesXColumnsAndItsTextColumn(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("t.csv");
    Files.writeString(
        csv, "y,x.a,x.b,prompt,m.e.y\n" + "1,0.5,2,\"hello, world\",0\n" + "0,-1.5,3,bye,1\n");
    List<RouterLoad.Case> cases = RouterLoad.readCases(csv, List.of("b", "a"), "prompt");
    assertThat(cases).hasSize(2);
    assertThat(cases.get(0).features())
        .containsExactly(
            Map.entry("b", 2.0), Map.entry("a", 0.5), Map.entry("prompt", "hello, world"));
    assertThat(cases.get(1).features().get("a")).isEqualTo(-1.5);
    assertThatThrownBy(() -> RouterLoad.readCases(csv, List.of("c"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.c");
  }

  @Test
  void rejectsAnUnknownOption() {
    assertThatThrownBy(() -> RouterLoad.Options.parse(new String[] {"-secs", "3"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secs");
    RouterLoad.Options o = RouterLoad.Options.parse(new String[] {"-batch", "none"});
    assertThat(o.batchSizes()).isEmpty();
    assertThat(o.connections()).containsExactly(1, 8, 32);
    assertThat(o.bareStore()).isFalse();
    assertThat(RouterLoad.Options.parse(new String[] {"-bare-store", "true"}).bareStore()).isTrue();
  }

  /**
   * The bare + store endpoint commits one decision row per request before it answers: after each
   * answer the row is in the store's database, with the request's features as its input.
   */
  @Test
  void bareStoreCommitsEachDecisionBeforeItAnswers(@TempDir Path dir) throws Exception {
    try (RouterLoad.BareStoreServer server = RouterLoad.BareStoreServer.start(8, 1 << 20, dir)) {
      HttpClient http = HttpClient.newHttpClient();
      URI url = URI.create("http://127.0.0.1:" + server.port() + "/v1/route");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(url)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"features\": {\"a\": " + i + "}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String id = MAPPER.readTree(r.body()).get("id").asText();
        ids.add(id);
        try (Connection c = DriverManager.getConnection(Store.sqliteUrl(dir));
            PreparedStatement ps =
                c.prepareStatement("SELECT input FROM d4j_decision WHERE id = ?")) {
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("decision %s stored", id).isTrue();
            assertThat(MAPPER.readTree(rs.getString(1)).get("a").asInt()).isEqualTo(i);
          }
        }
      }
      assertThat(ids).doesNotHaveDuplicates();
      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
    }
  }

  private static List<RouterLoad.Case> cases(int n) {
    List<RouterLoad.Case> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("a", (double) i);
      f.put("prompt", "case " + i + "\nsecond line");
      out.add(new RouterLoad.Case(f));
    }
    return out;
  }
}

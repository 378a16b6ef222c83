package org.defer4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.server.JsonLog;
import org.defer4j.server.Role;
import org.defer4j.server.Router;
import org.defer4j.server.RouterServer;
import org.defer4j.server.ServerConfig;
import org.defer4j.server.store.Store;
import org.defer4j.server.store.Tx;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The router service under load, on loopback: {@code POST /v1/route} of the real {@link
 * RouterServer} beside a bare Javalin endpoint, both driven by {@code wrk} in the same run.
 *
 * <p><b>The router</b> runs as {@code defer4j serve} runs with no configuration: the bundled demo
 * policy (RouteLLM GSM8K, Mixtral or GPT-4: a linear scorer over the prompt's TF-IDF and its
 * length, calibrated rule) or the artifact {@code -policy} names, a fresh SQLite store in a
 * temporary data directory (WAL, {@code synchronous=FULL}: every decision is committed, with its
 * fsync, before the response), request logging on (its JSON lines go to a file, as a redirected
 * standard output would), metrics on. The load uses a key of role {@code route}.
 *
 * <p><b>The bare endpoint</b> is Javalin as the router uses it (same version, same Jetty thread
 * pool as the router's default {@code threads}), one {@code POST /v1/route} that parses the body
 * with Jackson, checks that it holds {@code features} or {@code cases}, and answers a fixed small
 * JSON object: the HTTP floor under the router on this machine.
 *
 * <p><b>Bodies</b>: one per row of {@code -table} (default the demo's test split {@code
 * datasets/routellm-gsm8k-test.parquet}), {@code {"features": {...}}} with the policy's named
 * inputs from the row (for the demo {@code prompt_length} and the {@code prompt} text; the table's
 * {@code x.name} columns in general); each wrk thread cycles through them from its own offset.
 * Batch bodies ({@code {"cases": [...]}}) are runs of consecutive cases from spread-out offsets.
 *
 * <p><b>Procedure</b>: both servers are warmed ({@code -warmup} seconds each at the largest
 * connection count); then for each connection count, {@code -rounds} rounds alternate bare and
 * router, {@code -seconds} each (closed loop: every connection sends its next request when the
 * previous answer arrived); then the batch sizes, against the router only. Each figure of the table
 * is the median of its rounds, taken column by column. wrk's latency is from writing the request to
 * reading the whole response.
 *
 * <p>Usage: {@code java -cp defer4j-bench.jar org.defer4j.bench.RouterLoad [-policy ARTIFACT]
 * [-table TABLE] [-seconds S] [-warmup S] [-rounds R] [-connections 1,8,32] [-batch 100,1000]
 * [-batch-connections C] [-dir DIR] [-wrk PATH] [-bare-store true]}; {@code -bare-store true} adds
 * a third server to every round, {@link BareStoreServer} (the bare endpoint plus the router's
 * durable write). Needs {@code wrk} (Debian package {@code wrk}).
 */
public final class RouterLoad {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] BARE_ANSWER =
      "{\"decisionId\":\"d0\",\"agent\":\"mixtral\",\"fallback\":false}"
          .getBytes(StandardCharsets.UTF_8);

  private RouterLoad() {}

  /** One case of the table: the policy's named inputs (numbers, and text for a text column). */
  record Case(Map<String, Object> features) {
    Case {
      features = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }
  }

  /**
   * What one wrk run measured; latencies in microseconds; the CPU time the servers' JVM and its
   * store writer thread spent per answered request, in microseconds (NaN when not measured).
   */
  record Result(
      long requests,
      long durationMicros,
      long errors,
      double p50,
      double p90,
      double p99,
      double p999,
      double max,
      double cpuMicros,
      double writerCpuMicros) {

    /** Requests answered per second. */
    double perSecond() {
      return requests / (durationMicros / 1e6);
    }

    Result withCpu(long processNanos, long writerNanos) {
      return new Result(
          requests,
          durationMicros,
          errors,
          p50,
          p90,
          p99,
          p999,
          max,
          processNanos / 1e3 / requests,
          writerNanos / 1e3 / requests);
    }
  }

  /** How a run is set up. */
  record Options(
      Path policy,
      Path table,
      int seconds,
      int warmup,
      int rounds,
      int[] connections,
      int[] batchSizes,
      int batchConnections,
      Path dir,
      String wrk,
      boolean bareStore) {

    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith("-") || i + 1 >= args.length) {
          throw new IllegalArgumentException("expected -name value pairs, got " + args[i]);
        }
        m.put(args[i].substring(1), args[i + 1]);
      }
      Options o =
          new Options(
              m.containsKey("policy") ? Path.of(m.get("policy")) : null,
              Path.of(m.getOrDefault("table", "datasets/routellm-gsm8k-test.parquet")),
              Integer.parseInt(m.getOrDefault("seconds", "10")),
              Integer.parseInt(m.getOrDefault("warmup", "15")),
              Integer.parseInt(m.getOrDefault("rounds", "3")),
              ints(m.getOrDefault("connections", "1,8,32")),
              ints(m.getOrDefault("batch", "100,1000")),
              Integer.parseInt(m.getOrDefault("batch-connections", "8")),
              m.containsKey("dir") ? Path.of(m.get("dir")) : null,
              m.getOrDefault("wrk", "wrk"),
              Boolean.parseBoolean(m.getOrDefault("bare-store", "false")));
      m.keySet()
          .removeAll(
              List.of(
                  "policy",
                  "table",
                  "seconds",
                  "warmup",
                  "rounds",
                  "connections",
                  "batch",
                  "batch-connections",
                  "dir",
                  "wrk",
                  "bare-store"));
      if (!m.isEmpty()) {
        throw new IllegalArgumentException("unknown options " + m.keySet());
      }
      return o;
    }

    private static int[] ints(String s) {
      if (s.isBlank() || s.equals("none")) {
        return new int[0];
      }
      return Arrays.stream(s.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Path dir = o.dir() == null ? Files.createTempDirectory("defer4j-load") : o.dir();
    Files.createDirectories(dir);
    LearnedPolicy policy =
        o.policy() == null
            ? PolicyArtifact.fromBytes(Router.demoPolicyBytes(), "the bundled demo policy")
            : PolicyArtifact.load(o.policy());
    List<Case> cases =
        readCases(o.table(), policy.features().columns(), policy.task().textColumn());
    Path lua = dir.resolve("router-load.lua");
    try (InputStream in = RouterLoad.class.getResourceAsStream("router-load.lua")) {
      if (in == null) {
        throw new IllegalStateException("router-load.lua is missing from the jar");
      }
      Files.write(lua, in.readAllBytes());
    }
    Path single = writeLines(dir.resolve("single.jsonl"), singleBodies(cases));
    Map<Integer, Path> batches = new LinkedHashMap<>();
    for (int b : o.batchSizes()) {
      batches.put(b, writeLines(dir.resolve("batch-" + b + ".jsonl"), batchBodies(cases, b, 16)));
    }
    Path data = Files.createDirectories(dir.resolve("router-data"));
    Path requestLog = dir.resolve("router-requests.log");
    System.out.printf(
        Locale.ROOT,
        "RouterLoad %s: policy %s (%s, scorer %s), %d cases from %s, work directory %s%n",
        Instant.now(),
        o.policy() == null ? "bundled demo" : o.policy(),
        policy.name(),
        policy.scorer(),
        cases.size(),
        o.table(),
        dir);

    ServerConfig.Builder cb = ServerConfig.builder().port(0).dataDir(data);
    if (o.policy() != null) {
      cb.policyFile(o.policy());
    }
    ServerConfig config = cb.build();
    try (PrintStream log =
            new PrintStream(
                new BufferedOutputStream(new FileOutputStream(requestLog.toFile())),
                true,
                StandardCharsets.UTF_8);
        BareServer bare = BareServer.start(config.threads(), config.maxBodyBytes());
        BareStoreServer bareStore =
            o.bareStore()
                ? BareStoreServer.start(
                    config.threads(),
                    config.maxBodyBytes(),
                    Files.createDirectories(dir.resolve("bare-store-data")))
                : null;
        RouterServer router = RouterServer.start(config)) {
      JsonLog.to(log);
      String key = router.router().createKey(Role.ROUTE, "load").getKey();
      String bareUrl = "http://127.0.0.1:" + bare.port() + "/v1/route";
      String routerUrl = "http://127.0.0.1:" + router.port() + "/v1/route";
      String bareStoreUrl =
          bareStore == null ? null : "http://127.0.0.1:" + bareStore.port() + "/v1/route";
      String firstBody = Files.readAllLines(single).get(0);
      check(bareUrl, key, firstBody);
      if (bareStoreUrl != null) {
        check(bareStoreUrl, key, firstBody);
      }
      check(routerUrl, key, firstBody);
      int top = Arrays.stream(o.connections()).max().orElse(32);
      Wrk wrk = new Wrk(o.wrk(), lua, key, dir);
      System.out.printf(Locale.ROOT, "warming the servers, %d s each%n", o.warmup());
      wrk.run("warm-bare", bareUrl, top, o.warmup(), single);
      if (bareStoreUrl != null) {
        wrk.run("warm-bare-store", bareStoreUrl, top, o.warmup(), single);
      }
      wrk.run("warm-router", routerUrl, top, o.warmup(), single);
      long served = 0;
      List<String> rows = new ArrayList<>();
      for (int c : o.connections()) {
        List<Result> b = new ArrayList<>();
        List<Result> bs = new ArrayList<>();
        List<Result> r = new ArrayList<>();
        for (int round = 1; round <= o.rounds(); round++) {
          b.add(wrk.run("bare-c" + c + "-r" + round, bareUrl, c, o.seconds(), single));
          if (bareStoreUrl != null) {
            bs.add(
                wrk.run("bare-store-c" + c + "-r" + round, bareStoreUrl, c, o.seconds(), single));
          }
          Result rr = wrk.run("router-c" + c + "-r" + round, routerUrl, c, o.seconds(), single);
          served += rr.requests();
          r.add(rr);
        }
        Result mb = median(b);
        Result mr = median(r);
        rows.add(row("bare Javalin", c, 1, mb, Double.NaN));
        if (!bs.isEmpty()) {
          Result mbs = median(bs);
          rows.add(row("bare + store", c, 1, mbs, mbs.perSecond() / mb.perSecond()));
        }
        rows.add(row("router", c, 1, mr, mr.perSecond() / mb.perSecond()));
      }
      for (Map.Entry<Integer, Path> e : batches.entrySet()) {
        List<Result> r = new ArrayList<>();
        for (int round = 1; round <= o.rounds(); round++) {
          Result rr =
              wrk.run(
                  "router-batch" + e.getKey() + "-r" + round,
                  routerUrl,
                  o.batchConnections(),
                  o.seconds(),
                  e.getValue());
          served += rr.requests() * e.getKey();
          r.add(rr);
        }
        rows.add(row("router, batch", o.batchConnections(), e.getKey(), median(r), Double.NaN));
      }
      long stored = storedDecisions(router);
      System.out.println();
      System.out.println(
          "| server | connections | cases per request | requests/s | decisions/s | p50 ms | p90 ms"
              + " | p99 ms | p99.9 ms | failures | router / bare | server CPU µs per request"
              + " | of it the store writer |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
      rows.forEach(System.out::println);
      System.out.printf(
          Locale.ROOT,
          "%ndecisions in the store: %d; answered within the timed rounds: %d (the rest were"
              + " warm-up or in flight when a round ended)%n",
          stored,
          served);
    } finally {
      JsonLog.to(System.out);
    }
  }

  /** A row of the Markdown table (the ratio is omitted when NaN). */
  static String row(String server, int connections, int perRequest, Result r, double ratio) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %,.0f | %s | %.2f | %.2f | %.2f | %.2f | %d | %s | %,.0f | %s |",
        server,
        connections,
        perRequest,
        r.perSecond(),
        server.equals("bare Javalin")
            ? "—"
            : String.format(Locale.ROOT, "%,.0f", r.perSecond() * perRequest),
        r.p50() / 1000,
        r.p90() / 1000,
        r.p99() / 1000,
        r.p999() / 1000,
        r.errors(),
        Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio),
        r.cpuMicros(),
        server.equals("bare Javalin")
            ? "—"
            : String.format(Locale.ROOT, "%,.0f", r.writerCpuMicros()));
  }

  // ---------------------------------------------------------------- bodies

  /**
   * The cases of a table (CSV or Parquet, read by DuckDB in file order): for each input column
   * {@code name} the table's {@code x.name} (or {@code name}) as a number, and the text column as
   * text.
   *
   * @param textColumn the policy's text column, or null
   */
  static List<Case> readCases(Path table, List<String> columns, String textColumn)
      throws SQLException {
    String reader = table.toString().endsWith(".parquet") ? "read_parquet" : "read_csv";
    List<Case> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        PreparedStatement ps = c.prepareStatement("SELECT * FROM " + reader + "(?)")) {
      ps.setString(1, table.toString());
      try (ResultSet rs = ps.executeQuery()) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          index.put(rs.getMetaData().getColumnName(i), i);
        }
        Map<String, Integer> numeric = new LinkedHashMap<>();
        for (String name : columns) {
          Integer i = index.getOrDefault("x." + name, index.get(name));
          if (i == null && !(textColumn != null && name.equals("prompt_length"))) {
            throw new IllegalArgumentException(
                table + " has no column x." + name + " (the policy reads " + columns + ")");
          }
          if (i != null) {
            numeric.put(name, i);
          }
        }
        Integer text = textColumn == null ? null : index.get(textColumn);
        if (textColumn != null && text == null) {
          throw new IllegalArgumentException(table + " has no text column " + textColumn);
        }
        while (rs.next()) {
          Map<String, Object> f = new LinkedHashMap<>();
          for (Map.Entry<String, Integer> e : numeric.entrySet()) {
            f.put(e.getKey(), rs.getDouble(e.getValue()));
          }
          if (text != null) {
            f.put(textColumn, rs.getString(text));
          }
          out.add(new Case(f));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(table + " has no rows");
    }
    return out;
  }

  /** One {@code /v1/route} body per case: {@code {"features": {...}}}. */
  static List<String> singleBodies(List<Case> cases) {
    List<String> out = new ArrayList<>(cases.size());
    for (Case c : cases) {
      ObjectNode o = MAPPER.createObjectNode();
      o.set("features", features(c));
      out.add(o.toString());
    }
    return out;
  }

  /**
   * {@code count} batch bodies of {@code size} consecutive cases each (wrapping around the table),
   * the k-th starting at case {@code k * n / count}, so the batches start at spread-out offsets.
   */
  static List<String> batchBodies(List<Case> cases, int size, int count) {
    if (size < 1 || count < 1) {
      throw new IllegalArgumentException("size and count must be >= 1, got " + size + ", " + count);
    }
    int n = cases.size();
    List<String> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int start = (int) ((long) k * n / count);
      ObjectNode o = MAPPER.createObjectNode();
      ArrayNode arr = o.putArray("cases");
      for (int i = 0; i < size; i++) {
        arr.addObject().set("features", features(cases.get((start + i) % n)));
      }
      out.add(o.toString());
    }
    return out;
  }

  private static ObjectNode features(Case c) {
    ObjectNode f = MAPPER.createObjectNode();
    for (Map.Entry<String, Object> e : c.features().entrySet()) {
      if (e.getValue() instanceof Double d) {
        f.put(e.getKey(), d);
      } else {
        f.put(e.getKey(), (String) e.getValue());
      }
    }
    return f;
  }

  private static Path writeLines(Path file, List<String> lines) throws IOException {
    for (String l : lines) {
      if (l.indexOf('\n') >= 0) {
        throw new IllegalStateException("a request body spans lines");
      }
    }
    return Files.write(file, lines, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- figures

  /**
   * Reads the {@code d4j NAME VALUE} lines that router-load.lua prints at the end of a wrk run.
   * Failures are every error wrk counts: connect, read, write, timeout and non-2xx/3xx answers.
   *
   * @throws IllegalArgumentException when a figure is missing
   */
  static Result parse(String wrkOutput) {
    Map<String, Double> v = new LinkedHashMap<>();
    for (String line : wrkOutput.split("\n")) {
      String[] p = line.trim().split("\\s+");
      if (p.length == 3 && p[0].equals("d4j")) {
        v.put(p[1], Double.parseDouble(p[2]));
      }
    }
    String[] need = {
      "requests",
      "duration_us",
      "errors_connect",
      "errors_read",
      "errors_write",
      "errors_status",
      "errors_timeout",
      "p50_us",
      "p90_us",
      "p99_us",
      "p99.9_us",
      "max_us"
    };
    for (String k : need) {
      if (!v.containsKey(k)) {
        throw new IllegalArgumentException("wrk printed no " + k + ":\n" + wrkOutput);
      }
    }
    long errors =
        Math.round(
            v.get("errors_connect")
                + v.get("errors_read")
                + v.get("errors_write")
                + v.get("errors_status")
                + v.get("errors_timeout"));
    return new Result(
        Math.round(v.get("requests")),
        Math.round(v.get("duration_us")),
        errors,
        v.get("p50_us"),
        v.get("p90_us"),
        v.get("p99_us"),
        v.get("p99.9_us"),
        v.get("max_us"),
        Double.NaN,
        Double.NaN);
  }

  /** The median of each figure over the rounds, figure by figure (failures: the sum). */
  static Result median(List<Result> rounds) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("no rounds");
    }
    double rate = median(rounds.stream().mapToDouble(Result::perSecond).toArray());
    long errors = rounds.stream().mapToLong(Result::errors).sum();
    // Requests and duration are given so that requests / duration is the median rate.
    return new Result(
        Math.round(rate * 1e6),
        1_000_000_000_000L,
        errors,
        median(rounds.stream().mapToDouble(Result::p50).toArray()),
        median(rounds.stream().mapToDouble(Result::p90).toArray()),
        median(rounds.stream().mapToDouble(Result::p99).toArray()),
        median(rounds.stream().mapToDouble(Result::p999).toArray()),
        rounds.stream().mapToDouble(Result::max).max().orElseThrow(),
        median(rounds.stream().mapToDouble(Result::cpuMicros).toArray()),
        median(rounds.stream().mapToDouble(Result::writerCpuMicros).toArray()));
  }

  /** The median: the middle value, or the mean of the two middle values of an even count. */
  static double median(double[] xs) {
    if (xs.length == 0) {
      throw new IllegalArgumentException("the median of nothing");
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  // ---------------------------------------------------------------- servers and wrk

  private static void check(String url, String key, String body) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    System.out.println(url + " answers: " + abbreviate(r.body()));
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }

  private static long storedDecisions(RouterServer s) {
    return s.router()
        .store()
        .read(
            c -> {
              try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM d4j_decision");
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            });
  }

  /** Runs wrk and keeps each run's output in the work directory. */
  private record Wrk(String executable, Path script, String key, Path dir) {
    Result run(String name, String url, int connections, int seconds, Path bodies)
        throws IOException, InterruptedException {
      // At most 2 client threads: the machine's cores are shared by client and server.
      int threads = Math.min(connections, 2);
      List<String> cmd =
          List.of(
              executable,
              "-t" + threads,
              "-c" + connections,
              "-d" + seconds + "s",
              "--timeout",
              "10s",
              "--latency",
              "-H",
              "Authorization: Bearer " + key,
              "-s",
              script.toString(),
              url,
              "--",
              bodies.toString());
      Path out = dir.resolve("wrk-" + name + ".txt");
      long cpu0 = processCpuNanos();
      long writer0 = writerCpuNanos();
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("wrk did not finish: " + name);
      }
      long cpu = processCpuNanos() - cpu0;
      long writer = writerCpuNanos() - writer0;
      String text = Files.readString(out);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("wrk failed (" + p.exitValue() + "): " + text);
      }
      Result r = parse(text).withCpu(cpu, writer);
      System.out.printf(
          Locale.ROOT,
          "%-22s %,10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  failures %d"
              + "  CPU %,.0f µs/req (writer %,.0f)%n",
          name,
          r.perSecond(),
          r.p50() / 1000,
          r.p99() / 1000,
          r.p999() / 1000,
          r.errors(),
          r.cpuMicros(),
          r.writerCpuMicros());
      return r;
    }
  }

  /** CPU time of this JVM (both servers, GC and JIT included), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of the store writer threads (the router's, and the bare + store endpoint's when it
   * runs; only the server under load writes), in nanoseconds (0 before one exists).
   */
  private static long writerCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && t.getThreadName().equals("defer4j-store-writer")) {
        sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
      }
    }
    return sum;
  }

  /**
   * A Javalin server on a free loopback port with one {@code POST /v1/route}, set up as the router
   * sets up its own (same Jetty pool size, same request size limit, no banner).
   */
  private static Javalin serve(int threads, long maxBodyBytes, String poolName, Handler route) {
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.startup.startupWatcherEnabled = false;
              cfg.http.maxRequestSize = maxBodyBytes;
              QueuedThreadPool pool = new QueuedThreadPool(threads, 8, 60_000);
              pool.setName(poolName);
              cfg.jetty.threadPool = pool;
              cfg.routes.post("/v1/route", route);
            });
    app.start("127.0.0.1", 0);
    return app;
  }

  /**
   * The bare endpoint plus the router's durable write: the Jackson parse, then one row of the
   * router's decision table committed through the router's {@link Store} (SQLite, WAL, {@code
   * synchronous=FULL}, the writer's group commit) before the answer. The row holds the request's
   * features as text and fixed text of a two-agent decision in the other columns; no
   * authentication, policy, budget counters, metrics or request log. The floor of any router that
   * commits each decision before answering, on this machine.
   */
  static final class BareStoreServer implements AutoCloseable {
    private static final String INSERT =
        "INSERT INTO d4j_decision (id, created_at, policy_id, agent, chosen, kind, fallback,"
            + " case_id, source, status, input, available, scores, expected_costs, reasons,"
            + " prediction, shadow_policy_id, shadow_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private final Javalin app;
    private final Store store;

    private BareStoreServer(Javalin app, Store store) {
      this.app = app;
      this.store = store;
    }

    static BareStoreServer start(int threads, long maxBodyBytes, Path dataDir) throws SQLException {
      Store store = Store.open(Store.Options.sqlite(dataDir), Clock.systemUTC());
      Javalin app =
          serve(
              threads,
              maxBodyBytes,
              "bare-store-http",
              ctx -> {
                JsonNode features = MAPPER.readTree(ctx.bodyAsBytes()).path("features");
                if (!features.isObject()) {
                  ctx.status(400).result("{\"error\":\"features must be an object\"}");
                  return;
                }
                String input = MAPPER.writeValueAsString(features);
                String id = UUID.randomUUID().toString();
                long now = System.currentTimeMillis();
                Store.await(store.submit(tx -> insert(tx, id, now, input)));
                ctx.contentType("application/json")
                    .result("{\"id\":\"" + id + "\",\"agent\":\"model\"}");
              });
      return new BareStoreServer(app, store);
    }

    /** One decision row: the request's features, fixed text of a two-agent decision elsewhere. */
    private static Void insert(Tx tx, String id, long now, String input) throws SQLException {
      PreparedStatement ps = tx.prepare(INSERT);
      ps.setString(1, id);
      ps.setLong(2, now);
      ps.setString(3, "p-bare");
      ps.setString(4, "model");
      ps.setString(5, "[\"model\"]");
      ps.setString(6, "agent");
      ps.setInt(7, 0);
      ps.setNull(8, Types.VARCHAR);
      ps.setString(9, "route");
      ps.setString(10, "served");
      ps.setString(11, input);
      ps.setString(12, "[\"model\",\"hr\"]");
      ps.setString(13, "{\"model\":1.2743759944514552,\"hr\":1.1689833957256304}");
      ps.setString(14, "{\"model\":null,\"hr\":null}");
      ps.setString(15, "{\"model\":\"ok\",\"hr\":\"ok\"}");
      ps.setString(16, "\"No\"");
      ps.setNull(17, Types.VARCHAR);
      ps.setNull(18, Types.VARCHAR);
      ps.executeUpdate();
      return null;
    }

    int port() {
      return app.port();
    }

    @Override
    public void close() {
      app.stop();
      store.close();
    }
  }

  /** The bare Javalin endpoint: Jackson parse, a fixed answer. */
  static final class BareServer implements AutoCloseable {
    private final Javalin app;

    private BareServer(Javalin app) {
      this.app = app;
    }

    static BareServer start(int threads, long maxBodyBytes) {
      return new BareServer(
          serve(
              threads,
              maxBodyBytes,
              "bare-http",
              ctx -> {
                JsonNode body = MAPPER.readTree(ctx.bodyAsBytes());
                if (!body.path("features").isObject() && !body.path("cases").isArray()) {
                  ctx.status(400);
                }
                ctx.contentType("application/json").result(BARE_ANSWER);
              }));
    }

    int port() {
      return app.port();
    }

    @Override
    public void close() {
      app.stop();
    }
  }
}

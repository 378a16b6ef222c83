package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.server.Role;
import org.defer4j.server.RouterServer;
import org.defer4j.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the router service (docs/server.md). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the router service: deferral decisions over HTTP (/v1/route), outcomes, the expert"
          + " registry with live budgets, policies with rollback, an OpenAI-compatible"
          + " /v1/chat/completions, /metrics, /openapi.json and the web UI (/ui/).",
      "Every decision and outcome is stored (SQLite under --data-dir, or PostgreSQL with"
          + " --jdbc-url). Without --policy it routes with the policy active in the store, or"
          + " the bundled demo policy (RouteLLM GSM8K, Mixtral or GPT-4). Settings also come"
          + " from --config FILE and DEFER4J_* environment variables (docs/server.md). Stops"
          + " gracefully on SIGTERM or Ctrl-C."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", description = "Port (0: a free one; default 8080).")
  Integer port;

  @Option(names = "--host", description = "Address to bind (default: every interface).")
  String host;

  @Option(names = "--policy", description = "Policy artifact to activate (from 'train').")
  Path policy;

  @Option(names = "--data-dir", description = "Data directory (default: defer4j-data).")
  Path dataDir;

  @Option(
      names = "--jdbc-url",
      description = "PostgreSQL JDBC URL (default: SQLite in --data-dir).")
  String jdbcUrl;

  @Option(names = "--config", description = "Configuration file (YAML or JSON).")
  Path config;

  @Option(
      names = "--replay",
      description =
          "After starting, send every row of this labelled table through the HTTP API: route its"
              + " cases (in batches), then post their outcomes (truth, answers, costs).")
  Path replay;

  @Option(
      names = "--exit-after",
      description = "Stop gracefully this many seconds after starting (and replaying); 0: at once.")
  Long exitAfter;

  @Override
  public Integer call() throws Exception {
    System.setProperty("org.slf4j.simpleLogger.log.org.defer4j.server", "info");
    PrintWriter out = spec.commandLine().getOut();
    ServerConfig.Builder b = ServerConfig.load(config, System.getenv());
    if (port != null) {
      OptionBounds.check(spec, "--port", port, 0, 65535);
      b.port(port);
    }
    if (host != null) {
      b.host(host);
    }
    if (policy != null) {
      b.policyFile(policy);
    }
    if (dataDir != null) {
      b.dataDir(dataDir);
    }
    if (jdbcUrl != null) {
      b.jdbcUrl(jdbcUrl);
    }
    if (exitAfter != null && exitAfter < 0) {
      throw new IllegalArgumentException("--exit-after must be >= 0, got " + exitAfter);
    }
    ServerConfig cfg = b.build();
    RouterServer server = RouterServer.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "defer4j-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String url = "http://localhost:" + server.port();
    LearnedPolicy p = server.router().activePolicy();
    out.printf(
        Locale.ROOT,
        "defer4j router listening on %s (store: %s; policy %s, %s, agents %s)%n",
        url,
        server.router().store().safeUrl(),
        server.router().activeEntry().id(),
        server.router().activeEntry().method(),
        String.join(", ", p.agents().names()));
    String key = server.adminKey();
    if (key != null) {
      out.println("first admin key (shown once; only its hash is stored): " + key);
    } else if (cfg.apiKey() != null) {
      out.println("admin key: the value of DEFER4J_API_KEY");
    } else {
      out.println("admin key: the one printed when this data directory was new");
    }
    out.println("route a case:");
    out.println(
        "  curl -s "
            + url
            + "/v1/route -H 'Authorization: Bearer "
            + (key != null ? key : "KEY")
            + "' -d '"
            + example(p)
            + "'");
    out.println(
        "web UI " + url + "/ui/   metrics " + url + "/metrics   API " + url + "/openapi.json");
    out.flush();
    if (replay != null) {
      var k = server.router().createKey(Role.ROUTE, "replay");
      try {
        Replay.run(url, k.getKey(), p, replay, out);
      } finally {
        server.router().revokeKey(k.getValue().id());
      }
    }
    if (exitAfter != null) {
      if (exitAfter > 0) {
        stopped.await(exitAfter, TimeUnit.SECONDS);
      }
      Runtime.getRuntime().removeShutdownHook(hook);
      server.close();
      out.println("stopped");
      out.flush();
      return 0;
    }
    stopped.await();
    return 0;
  }

  /** A request body for the policy: its text, or its features set to 0. */
  static String example(LearnedPolicy p) {
    if (p.task().textColumn() != null) {
      return "{\"text\": \"Natalia sold clips to 48 of her friends in April, and then she sold half"
          + " as many clips in May. How many clips did Natalia sell altogether?\"}";
    }
    StringBuilder sb = new StringBuilder("{\"features\": {");
    int i = 0;
    for (String f : p.features().columns()) {
      sb.append(i++ == 0 ? "" : ", ").append('"').append(f).append("\": 0");
    }
    return sb.append("}}").toString();
  }
}

